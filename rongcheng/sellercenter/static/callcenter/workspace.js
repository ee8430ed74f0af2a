// The agent workspace (CALL-8): actions without reloading the page (so the soft phone stays
// registered), the ring and its sound, auto-answer, the wrap-up countdown, the floor's states and
// the call-back requests of the agent's queues.
import { follow, refresh } from "./live.js";
import { startPhone } from "./phone.js";

const root = document.querySelector("[data-cc-workspace]");
const panel = root.querySelector("[data-cc-panel]");
const floor = root.querySelector("[data-cc-floor]");
const callbacks = root.querySelector("[data-cc-callbacks]");
const ring = new Audio(root.dataset.ring);
ring.loop = true;
const phone = startPhone(root);
let wrapUpTimer = null;

async function post(form) {
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) {
    const refusal = await response.json().catch(() => ({ message: response.statusText }));
    window.alert(refusal.message);
  }
  await refresh(panel, root.dataset.panelUrl);
  settle();
}

// Answering, rejecting and hanging up with the soft phone are the phone's own; the engine
// reports them back.
root.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-cc-action]");
  if (!form) return;
  event.preventDefault();
  const action = event.submitter && event.submitter.dataset.cc;
  if (action === "answer" && phone.answer()) return;
  if (action === "reject" && phone.reject()) return;
  if (action === "hang_up" && phone.hangUp()) return;
  post(form);
});

function settle() {
  const state = panel.querySelector("[data-state]");
  if (!state) return;
  const ringing = state.dataset.state === "ringing";
  if (ringing) {
    ring.play().catch(() => {}); // a page never clicked may not play sound yet
    if (state.dataset.autoAnswer === "1") {
      const answer = panel.querySelector('[data-cc="answer"]');
      if (answer) answer.click();
    }
  } else {
    ring.pause();
    ring.currentTime = 0;
  }
  window.clearInterval(wrapUpTimer);
  const shown = state.querySelector("[data-wrap-up-timer]");
  if (shown) {
    const ends = Date.now() + Number(state.dataset.wrapUpLeft) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      shown.textContent = `${left} s`;
      // The server ends the wrap-up (its tick) and pushes the new state, page open or not.
      if (left === 0) window.clearInterval(wrapUpTimer);
    };
    tick();
    wrapUpTimer = window.setInterval(tick, 1000);
  }
}

follow(root.dataset.socket, async (message) => {
  // The server picks which requests this agent may see.
  if (message.type === "callback") {
    refresh(callbacks, root.dataset.callbacksUrl);
    return;
  }
  if (message.type !== "agent") return;
  if (String(message.agent) === root.dataset.agent) {
    await refresh(panel, root.dataset.panelUrl);
    settle();
  }
  refresh(floor, root.dataset.floorUrl);
});
settle();
