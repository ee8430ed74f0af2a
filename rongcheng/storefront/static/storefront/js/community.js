/* Forms on cached pages (favorite, questions, 到货通知): the page carries no CSRF token, so
   one is taken from the cookie when the form is sent, asking the server to set it first if
   this browser has none yet. */
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-late-token]");
    if (!form || form.querySelector("[data-csrf]")) return;
    event.preventDefault();
    var ready = cookie("csrftoken")
      ? Promise.resolve()
      : fetch(form.dataset.lateToken, { credentials: "same-origin" });
    ready.then(function () {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      field.value = cookie("csrftoken");
      field.setAttribute("data-csrf", "");
      form.appendChild(field);
      form.submit();
    });
  });

  /* 到货通知 follows the SKU the picker chose without a reload. */
  document.addEventListener("skuchosen", function (event) {
    var sku = event.detail;
    document.querySelectorAll("[data-restock-link]").forEach(function (link) {
      link.hidden = sku.sellable;
      link.href = link.dataset.base.replace("0", String(sku.id));
    });
  });
})();
