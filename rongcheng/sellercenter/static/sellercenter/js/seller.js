// 全选本页: one box checks or clears every product box of the bulk form; without
// JavaScript the boxes are checked one by one.
document.querySelectorAll("form[data-bulk]").forEach((form) => {
  const all = form.querySelector("[data-select-all]");
  const boxes = () => form.querySelectorAll('input[name="product"]');
  if (!all) return;
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  form.addEventListener("change", (event) => {
    if (event.target.name !== "product") return;
    const list = Array.from(boxes());
    all.checked = list.every((box) => box.checked);
    all.indeterminate = !all.checked && list.some((box) => box.checked);
  });
});

// The new-order badge goes up as soon as a paid order reaches this store (FUL-7): the
// notices are pushed over the WebSocket to every open page of the staff member.
const badge = document.querySelector("[data-new-order-badge]");
if (badge && "WebSocket" in window) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws/notifications/`);
  socket.addEventListener("message", (event) => {
    const notice = JSON.parse(event.data);
    if (notice.kind !== "new_order") return;
    badge.textContent = String(Number(badge.textContent || 0) + 1);
    badge.hidden = false;
  });
}
