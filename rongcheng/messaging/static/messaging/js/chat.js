// The chat window (IM-1): messages come over the WebSocket, each once (by id); after a lost
// connection it reconnects with the last id it has and the server sends what came meanwhile.
// Text goes over the socket when it is open, pictures (and text without a socket) by the
// form's POST, whose answer arrives over the socket like every other message.
(() => {
  const root = document.querySelector("[data-chat]");
  if (!root || !("WebSocket" in window)) return;
  const log = root.querySelector("[data-chat-log]");
  const form = root.querySelector("[data-chat-form]");
  const input = root.querySelector("[data-chat-input]");
  const picture = root.querySelector("[data-chat-image]");
  const status = root.querySelector("[data-chat-status]");
  const problem = root.querySelector("[data-chat-error]");
  const canned = root.querySelector("[data-canned]");
  const mySide = root.dataset.side;
  const HEARTBEAT_MS = 25000;
  let socket = null;
  let heartbeat = null;
  let retryMs = 1000;
  let readUpTo = Number(root.dataset.readUpTo || 0);

  const lastId = () => {
    const ids = Array.from(log.querySelectorAll("[data-id]"), (item) => Number(item.dataset.id));
    return ids.length ? Math.max(...ids) : 0;
  };

  const showError = (text) => {
    problem.textContent = text || "";
    problem.hidden = !text;
  };

  const markReceipts = () => {
    log.querySelectorAll(".chat-msg.mine").forEach((item) => {
      const read = Number(item.dataset.id) <= readUpTo;
      item.classList.toggle("is-read", read);
      const receipt = item.querySelector(".chat-receipt");
      if (receipt) receipt.textContent = read ? root.dataset.labelRead : root.dataset.labelUnread;
    });
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const render = (message) => {
    if (log.querySelector(`[data-id="${message.id}"]`)) return;
    const empty = log.querySelector("[data-chat-empty]");
    if (empty) empty.remove();
    let item;
    if (message.side === "event") {
      item = element("li", "chat-event", message.body);
    } else {
      const mine = message.side === mySide;
      item = element("li", `chat-msg ${mine ? "mine" : "theirs"}`);
      const meta = element("span", "chat-meta", `${message.sender} · `);
      const time = element("time", "", message.time);
      time.dateTime = message.created_at;
      meta.append(time);
      item.append(meta);
      if (message.image) {
        const link = element("a", "chat-image");
        link.href = message.image;
        link.target = "_blank";
        link.rel = "noopener";
        const img = element("img");
        img.src = message.image;
        img.alt = "";
        link.append(img);
        item.append(link);
      }
      if (message.body) item.append(element("span", "chat-bubble", message.body));
      if (mine) item.append(element("span", "chat-receipt", root.dataset.labelUnread));
    }
    item.dataset.id = String(message.id);
    log.append(item);
    log.scrollTop = log.scrollHeight;
    markReceipts();
  };

  const acknowledge = () => {
    const theirs = Array.from(log.querySelectorAll(".chat-msg.theirs"), (i) => Number(i.dataset.id));
    if (!theirs.length || document.hidden || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "read", up_to: Math.max(...theirs) }));
  };

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const after = lastId();
    socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socket}${after ? `?after=${after}` : ""}`);
    socket.addEventListener("open", () => {
      retryMs = 1000;
      status.hidden = true;
      heartbeat = window.setInterval(() => socket.send(JSON.stringify({ type: "ping" })), HEARTBEAT_MS);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message") {
        render(data);
        if (data.side !== mySide) acknowledge();
      } else if (data.type === "read" && data.side !== mySide) {
        readUpTo = Math.max(readUpTo, data.up_to);
        markReceipts();
      } else if (data.type === "error") {
        showError(data.message);
      }
    });
    socket.addEventListener("close", (event) => {
      window.clearInterval(heartbeat);
      // 4401: signed out, 4404: not a participant; both stay as they are.
      if (event.code === 4401 || event.code === 4404) return;
      status.textContent = root.dataset.labelOffline;
      status.hidden = false;
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  };

  const postForm = async () => {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.message);
    render(data);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const body = input.value.trim();
    try {
      if (picture && picture.files.length) {
        await postForm();
        picture.value = "";
      } else if (!body) {
        return;
      } else if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "message", body }));
      } else {
        await postForm();
      }
      input.value = "";
    } catch (error) {
      showError(error.message);
    }
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  if (picture) picture.addEventListener("change", () => { if (picture.files.length) form.requestSubmit(); });
  if (canned) {
    canned.addEventListener("change", () => {
      if (!canned.value) return;
      input.value = canned.value;
      canned.value = "";
      input.focus();
    });
  }
  document.addEventListener("visibilitychange", acknowledge);
  log.scrollTop = log.scrollHeight;
  connect();
})();
