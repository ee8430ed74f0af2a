/* Instant filtering as the visitor types; the search button still asks the server. */
(function () {
  var picker = document.querySelector(".city-picker");
  var input = document.getElementById("city-q");
  var hot = picker.querySelector("[data-city-hot]");
  var empty = picker.querySelector(".city-empty");
  var groups = picker.querySelectorAll(".city-group");
  function matches(button, text, spelled) {
    var data = button.dataset;
    return data.name.indexOf(text) !== -1 ||
      (spelled !== "" && (data.pinyin.indexOf(spelled) === 0 || data.initials.indexOf(spelled) === 0));
  }
  input.addEventListener("input", function () {
    var text = input.value.trim();
    var spelled = text.toLowerCase().replace(/[\s'’]+/g, "");
    var found = 0;
    groups.forEach(function (group) {
      var shown = 0;
      group.querySelectorAll(".city-btn").forEach(function (button) {
        button.hidden = text !== "" && !matches(button, text, spelled);
        if (!button.hidden) { shown += 1; }
      });
      group.hidden = shown === 0;
      picker.querySelector('.city-index [data-letter="' + group.dataset.letter + '"]').hidden = shown === 0;
      found += shown;
    });
    if (hot) { hot.hidden = text !== ""; }
    empty.hidden = found > 0;
  });
})();
