// The header's unread messages: asked for members only (the link exists only on their
// pages), so the cached pages of anonymous visitors never carry anyone's count.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("[data-unread-url]");
  if (!link) return;
  const badge = link.querySelector("[data-unread]");
  fetch(link.dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { unread: 0 }))
    .then(({ unread }) => {
      badge.textContent = unread > 99 ? "99+" : String(unread);
      badge.hidden = !unread;
    })
    .catch(() => {});
});
