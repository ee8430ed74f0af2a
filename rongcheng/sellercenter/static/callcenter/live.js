// The call center's pages follow /ws/callcenter/…: each message says something changed, and the
// page fetches the changed part in its own language. The socket reconnects after a drop.
export function follow(path, onMessage) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let delay = 1000;
  const open = () => {
    const socket = new WebSocket(`${scheme}://${window.location.host}${path}`);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (event.code >= 4400) return; // refused: not signed in, or not for this user
      window.setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  open();
}

export async function refresh(holder, url) {
  const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (response.ok) holder.innerHTML = await response.text();
}
