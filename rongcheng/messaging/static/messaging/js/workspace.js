// The agents' workspace: when the team's conversations change (a new one waits, one is
// taken, transferred or gets a message), the lists are fetched again and swapped in place,
// leaving the open chat as it is.
(() => {
  const root = document.querySelector("[data-workspace]");
  if (!root || !("WebSocket" in window)) return;
  const lists = root.querySelector("[data-ws-lists]");
  let pending = false;
  let retryMs = 1000;

  const refresh = async () => {
    if (pending) return;
    pending = true;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-ws-lists]");
      if (fresh) lists.replaceChildren(...fresh.childNodes);
    } finally {
      pending = false;
    }
  };

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.teamSocket}`);
    socket.addEventListener("open", () => { retryMs = 1000; });
    socket.addEventListener("message", refresh);
    socket.addEventListener("close", (event) => {
      if (event.code === 4401 || event.code === 4404) return;
      window.setTimeout(() => { refresh(); connect(); }, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  };
  connect();
})();
