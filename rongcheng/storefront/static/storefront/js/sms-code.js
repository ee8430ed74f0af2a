/* "获取验证码" without leaving the page, then a countdown before the next request.
   Without this script the button submits the form and the page comes back with a notice. */
(function () {
  "use strict";

  function countdown(button, label, seconds) {
    button.disabled = true;
    (function tick() {
      if (seconds <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.textContent = button.dataset.again.replace("{n}", seconds);
      seconds -= 1;
      window.setTimeout(tick, 1000);
    })();
  }

  function show(notice, message, isError) {
    notice.textContent = message;
    notice.classList.toggle("is-error", isError);
  }

  document.querySelectorAll("button[data-send-code]").forEach(function (button) {
    var label = button.textContent;
    var notice = button.closest(".form-row").querySelector("[data-code-notice]");

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var form = button.form;
      var data = new FormData(form);
      data.set(button.name, button.value);
      button.disabled = true;
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          show(notice, answer.message, answer.code !== "ok");
          if (answer.code === "ok") {
            countdown(button, label, answer.resend_after);
          } else {
            button.disabled = false;
          }
        })
        .catch(function () {
          show(notice, button.dataset.failed, true);
          button.disabled = false;
        });
    });
  });
})();
