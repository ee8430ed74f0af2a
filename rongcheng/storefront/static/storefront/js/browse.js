/* 绒城购 browsing pages: small enhancements over pages that work without script.
 * Every block starts only when its markup is on the page. */
(function () {
  "use strict";

  /* Carousels (home banner, category ads, featured brands): scroll-snap strips that
   * advance on their own and get dots; the links stay plain anchors for crawlers. */
  function carousel(root) {
    var track = root.querySelector(".carousel-track");
    var slides = track ? track.children : [];
    if (slides.length < 2) return;
    var dots = document.createElement("div");
    dots.className = "carousel-dots";
    var index = 0;
    function show(i) {
      index = (i + slides.length) % slides.length;
      track.scrollTo({ left: slides[index].offsetLeft - track.offsetLeft, behavior: "smooth" });
    }
    Array.prototype.forEach.call(slides, function (slide, i) {
      var dot = document.createElement("button");
      dot.type = "button";
      dot.setAttribute("aria-label", String(i + 1));
      dot.addEventListener("click", function () { show(i); });
      dots.appendChild(dot);
    });
    root.appendChild(dots);
    function mark() {
      var i = Math.round(track.scrollLeft / Math.max(track.clientWidth, 1));
      index = Math.min(i, slides.length - 1);
      Array.prototype.forEach.call(dots.children, function (dot, j) {
        dot.classList.toggle("current", j === index);
      });
    }
    track.addEventListener("scroll", function () { window.requestAnimationFrame(mark); });
    mark();
    var timer = null;
    function start() { timer = window.setInterval(function () { show(index + 1); }, 5000); }
    function stop() { window.clearInterval(timer); }
    root.addEventListener("mouseenter", stop);
    root.addEventListener("mouseleave", start);
    root.addEventListener("focusin", stop);
    if (!window.matchMedia("(prefers-reduced-motion: reduce)").matches) start();
  }
  document.querySelectorAll("[data-carousel]").forEach(carousel);

  /* Home videos (HOME-3): a playing video that scrolls out of view keeps playing in a
   * floating mini player. The slot keeps its place in the page, so observing it does
   * not flicker when the frame inside becomes fixed. */
  var slots = document.querySelectorAll("[data-mini-player]");
  if (slots.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var slot = entry.target;
        var video = slot.querySelector("video");
        var float = !entry.isIntersecting && !video.paused && !slot.dataset.dismissed;
        slot.classList.toggle("is-floating", float);
        slot.querySelector(".mini-close").hidden = !float;
      });
    }, { threshold: 0.2 });
    slots.forEach(function (slot) {
      var video = slot.querySelector("video");
      video.addEventListener("play", function () {
        delete slot.dataset.dismissed;
        slots.forEach(function (other) {
          var v = other.querySelector("video");
          if (other !== slot && !v.paused) v.pause();
        });
      });
      video.addEventListener("pause", function () {
        slot.classList.remove("is-floating");
        slot.querySelector(".mini-close").hidden = true;
      });
      slot.querySelector(".mini-close").addEventListener("click", function () {
        slot.dataset.dismissed = "1";
        video.pause();
      });
      observer.observe(slot);
    });
  }

  /* Product gallery: thumbnails switch the main image without a reload. */
  var main = document.querySelector("[data-gallery-main]");
  var thumbs = document.querySelectorAll("[data-gallery-thumb]");
  function showImage(link) {
    if (!main || !link) return;
    /* The WebP variants of <picture> win over the <img> source: they change with it. */
    var variants = main.parentNode.querySelector("source");
    if (variants && link.dataset.srcset) variants.srcset = link.dataset.srcset;
    else if (variants) variants.remove();
    main.src = link.getAttribute("href");
    main.alt = link.querySelector("img").alt;
    thumbs.forEach(function (t) { t.classList.toggle("current", t === link); });
  }
  thumbs.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showImage(link);
    });
    link.addEventListener("mouseenter", function () { showImage(link); });
  });

  /* SKU picker (PDP-1): the links work without script (?sku=); with script the price,
   * the stock and the choice change in place, by the same rule the server applies. */
  var picker = document.querySelector("[data-sku-picker]");
  var data = document.getElementById("sku-data");
  if (picker && data) {
    var skus = JSON.parse(data.textContent);
    var priceBox = document.querySelector("[data-price] .price-box");
    var note = document.querySelector("[data-special-note]");
    var stockLine = picker.querySelector("[data-stock]");
    var chosenText = picker.querySelector("[data-chosen]");
    var chosenId = Number(picker.dataset.chosenId);
    var current = skus.filter(function (s) { return s.id === chosenId; })[0] || skus[0];

    function find(colour, size) {
      return skus.filter(function (s) { return s.colour === colour && s.size === size; })[0];
    }
    function text(tag, className, value) {
      var el = document.createElement(tag);
      if (className) el.className = className;
      el.textContent = value;
      return el;
    }
    function render() {
      picker.querySelectorAll("[data-colour]").forEach(function (chip) {
        var colour = chip.dataset.colour;
        var target = find(colour, current.size) ||
          skus.filter(function (s) { return s.colour === colour; })[0];
        chip.setAttribute("href", "?sku=" + target.id);
        chip.classList.toggle("current", colour === current.colour);
      });
      picker.querySelectorAll("[data-size]").forEach(function (chip) {
        var target = find(current.colour, chip.dataset.size);
        chip.classList.toggle("current", chip.dataset.size === current.size);
        chip.classList.toggle("disabled", !target);
        if (target) chip.setAttribute("href", "?sku=" + target.id);
        else chip.removeAttribute("href");
      });
      chosenText.textContent = current.label;
      var price = text("span", "price" + (current.special ? " price-special" : ""), current.amount);
      price.insertBefore(text("small", "", "¥"), price.firstChild);
      priceBox.replaceChildren(price);
      if (current.special) {
        priceBox.append(" ", text("del", "price-regular", "¥" + current.regular));
        note.textContent = note.dataset.ends.replace("{date}", current.ends);
      }
      note.hidden = !current.special;
      if (stockLine.dataset.city) {
        if (current.stock > 0) {
          stockLine.replaceChildren(
            text("span", "in-stock", stockLine.dataset.in),
            " · " + stockLine.dataset.count.replace("{n}", current.stock)
          );
        } else {
          stockLine.replaceChildren(text("span", "out-of-stock", stockLine.dataset.out));
        }
      }
      var image = Array.prototype.filter.call(thumbs, function (t) {
        return t.dataset.colour === current.colour;
      })[0];
      if (image) showImage(image);
      window.history.replaceState(null, "", "?sku=" + current.id);
      picker.dispatchEvent(new CustomEvent("skuchosen", { detail: current, bubbles: true }));
    }
    picker.addEventListener("click", function (event) {
      var chip = event.target.closest(".chip");
      if (!chip || !chip.getAttribute("href")) return;
      event.preventDefault();
      var id = Number(chip.getAttribute("href").split("=")[1]);
      current = skus.filter(function (s) { return s.id === id; })[0] || current;
      render();
    });
  }

  /* Nearby stores (NEAR-1): on a phone the page asks for the position once and reloads
   * sorted by distance; everywhere a button offers the same. */
  var locate = document.querySelector("[data-locate]");
  if (locate && "geolocation" in navigator) {
    var status = document.querySelector("[data-locate-status]");
    var params = new URLSearchParams(window.location.search);
    function go() {
      navigator.geolocation.getCurrentPosition(function (position) {
        params.set("lat", position.coords.latitude.toFixed(6));
        params.set("lng", position.coords.longitude.toFixed(6));
        window.location.replace(window.location.pathname + "?" + params.toString());
      }, function () {
        if (status && locate.dataset.denied) status.textContent = locate.dataset.denied;
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    }
    locate.hidden = false;
    locate.addEventListener("click", go);
    if (!params.has("lat") && window.matchMedia("(max-width: 959px)").matches) go();
  }
})();
