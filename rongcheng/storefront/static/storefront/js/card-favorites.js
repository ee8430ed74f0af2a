/* The hearts on product cards (FAV-1). Cards sit on cached pages and carry nobody's marks:
   on a member's page the script tag names the marks address, and one request per page asks
   which of its products the member keeps. A click keeps or removes the product through the
   favorites API with the CSRF token; a visitor's click goes to log in, then confirms. */
(function () {
  "use strict";

  var script = document.currentScript;
  var member = Boolean(script.dataset.marks);

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function csrfToken() {
    if (cookie("csrftoken")) return Promise.resolve(cookie("csrftoken"));
    return fetch(script.dataset.token, { credentials: "same-origin" }).then(function () {
      return cookie("csrftoken");
    });
  }

  // The same product may have two cards on a page (a grid and a strip): mark them all.
  function mark(productId, favoriteId) {
    document.querySelectorAll('[data-card-favorite="' + productId + '"]').forEach(function (button) {
      button.dataset.favoriteId = favoriteId || "";
      button.setAttribute("aria-pressed", favoriteId ? "true" : "false");
    });
  }

  function logIn(productId) {
    var back = location.pathname + location.search;
    location.href =
      script.dataset.add + "?product=" + productId + "&next=" + encodeURIComponent(back);
  }

  function toggle(button) {
    var productId = button.dataset.cardFavorite;
    var kept = button.dataset.favoriteId;
    var headers = { Accept: "application/json", "Content-Type": "application/json" };
    return csrfToken().then(function (token) {
      headers["X-CSRFToken"] = token;
      return fetch(kept ? script.dataset.api + "/" + kept : script.dataset.api, {
        method: kept ? "DELETE" : "POST",
        credentials: "same-origin",
        headers: headers,
        body: kept ? undefined : JSON.stringify({ product_id: Number(productId) }),
      });
    }).then(function (response) {
      if (response.status === 401) return logIn(productId);
      // 404 on removal: it was already removed (in another tab).
      if (kept && (response.ok || response.status === 404)) return mark(productId, "");
      if (!kept && response.ok) {
        return response.json().then(function (favorite) {
          mark(productId, String(favorite.id));
        });
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-card-favorite]");
    if (!button) return;
    event.preventDefault();
    if (!member) return logIn(button.dataset.cardFavorite);
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    toggle(button)
      .catch(function () {})
      .then(function () {
        delete button.dataset.busy;
      });
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!member) return;
    var ids = [];
    document.querySelectorAll("[data-card-favorite]").forEach(function (button) {
      if (ids.indexOf(button.dataset.cardFavorite) < 0) ids.push(button.dataset.cardFavorite);
    });
    if (!ids.length) return;
    fetch(script.dataset.marks + "?ids=" + ids.join(","), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { favorites: {} };
      })
      .then(function (data) {
        Object.keys(data.favorites).forEach(function (productId) {
          mark(productId, String(data.favorites[productId]));
        });
      })
      .catch(function () {});
  });
})();
