/* Buying: the product page's buy form, the bag's ticks and the checkout's delivery choice. */
(function () {
  "use strict";

  /* Radios and ticks that submit their form as soon as they change (a button in <noscript>
     does the same without script). */
  document.addEventListener("change", function (event) {
    var input = event.target.closest("[data-autosubmit]");
    if (input && input.form) input.form.submit();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  var form = document.querySelector("[data-buy-form]");
  if (!form) return;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* The picker changed the SKU without a reload: buy that one, or show it is sold out. */
  document.addEventListener("skuchosen", function (event) {
    var sku = event.detail;
    form.querySelector("[data-buy-sku]").value = sku.id;
    form.querySelector("[data-buy-buttons]").hidden = !sku.sellable;
    form.querySelector("[data-sold-out]").hidden = sku.sellable;
  });

  /* The page is shared by the page cache and carries no CSRF token: take it from the cookie,
     asking the server to set one first if this browser has none yet. */
  form.addEventListener("submit", function (event) {
    if (form.querySelector("[data-csrf]")) return;
    event.preventDefault();
    var submitter = event.submitter;
    var ready = cookie("csrftoken")
      ? Promise.resolve()
      : fetch(form.dataset.tokenUrl, { credentials: "same-origin" });
    ready.then(function () {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      field.value = cookie("csrftoken");
      field.setAttribute("data-csrf", "");
      form.appendChild(field);
      if (submitter && submitter.name) {
        var choice = document.createElement("input");
        choice.type = "hidden";
        choice.name = submitter.name;
        choice.value = submitter.value;
        form.appendChild(choice);
      }
      form.submit();
    });
  });
})();
