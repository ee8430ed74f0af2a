// Suggestions under the search box as the shopper types (prefix, pinyin, initials).
// Progressive: without this script the box is a plain GET form to the search page.
(function () {
  "use strict";
  var form = document.querySelector("form.searchbox[data-suggest]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".suggestions");
  var timer = null, controller = null, items = [], active = -1;

  function target(item) {
    var base = form.getAttribute("action");
    if (item.kind === "category") return base + "?category=" + item.id;
    var url = base + "?q=" + encodeURIComponent(item.text);
    return item.kind === "store" ? url + "&type=store" : url;
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
  }

  function render(found) {
    list.textContent = "";
    items = found;
    active = -1;
    if (!found.length) { close(); return; }
    found.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "search-suggestion-" + i;
      var a = document.createElement("a");
      a.href = target(item);
      a.textContent = item.text;
      var kind = list.dataset["kind" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1)];
      if (kind) {
        var tag = document.createElement("span");
        tag.className = "kind";
        tag.textContent = kind;
        a.appendChild(tag);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(form.dataset.suggest + "?q=" + encodeURIComponent(q), { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(render)
      .catch(function () { /* aborted by newer typing, or offline: keep the plain box */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + items.length) % items.length);
      input.setAttribute("aria-activedescendant", "search-suggestion-" + active);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = target(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
