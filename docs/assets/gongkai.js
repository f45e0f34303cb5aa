// gongkai's only script. Nothing in it is needed to read a page or download a file.
//
// 1. Material's search panel is a dialog without a name; screen readers announce it as 搜索.
(function () {
  "use strict";
  function name() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", name);
  else name();
})();

// 2. The catalog page's filters. Without this script the page lists every dataset; with it the
// selects narrow the list, the counts follow the other choices, and the URL keeps the choice
// (?topic=…&publisher=…&frequency=…&format=…&year=…&sort=…) so a filtered view can be shared.
(function () {
  "use strict";
  var SEP = "\u001f";

  function start() {
    var root = document.querySelector(".gk-catalog");
    if (!root) return;
    var selects = Array.prototype.slice.call(root.querySelectorAll("select"));
    var facets = selects.filter(function (s) { return s.dataset.facet; });
    var sort = root.querySelector('select[name="sort"]');
    var body = root.querySelector("tbody");
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr"));
    var count = root.querySelector(".gk-count");
    var form = root.querySelector(".gk-filters");
    var params = new URLSearchParams(window.location.search);

    selects.forEach(function (s) {
      var wanted = params.get(s.name);
      if (wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
      s.addEventListener("change", update);
    });

    function values(row, key) {
      var text = row.getAttribute("data-" + key) || "";
      return text ? text.split(SEP) : [];
    }

    // The words come from the page (its language's message table), with {slots}.
    var words = {
      countAll: form.dataset.countAll || "共 {n} 个数据集",
      countSome: form.dataset.countSome || "显示 {shown} 个，共 {n} 个数据集",
      optionAll: form.dataset.optionAll || "全部（{n}）",
      option: form.dataset.option || "{value}（{n}）",
    };

    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? String(values[key]) : all; });
    }

    function matches(row, except) {
      return facets.every(function (s) {
        return s === except || !s.value || values(row, s.dataset.facet).indexOf(s.value) >= 0;
      });
    }

    function update() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = matches(row, null);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      facets.forEach(function (s) {
        var pool = rows.filter(function (row) { return matches(row, s); });
        Array.prototype.forEach.call(s.options, function (o) {
          var n = o.value ? pool.filter(function (row) { return values(row, s.dataset.facet).indexOf(o.value) >= 0; }).length : pool.length;
          o.textContent = o.value ? fill(words.option, { value: o.value, n: n }) : fill(words.optionAll, { n: n });
        });
      });
      var ordered = rows.slice().sort(function (a, b) {
        if (sort.value === "title") return a.dataset.title.localeCompare(b.dataset.title, "zh-Hans-CN");
        return a.dataset.modified < b.dataset.modified ? 1 : a.dataset.modified > b.dataset.modified ? -1 : 0;
      });
      ordered.forEach(function (row) { body.appendChild(row); });
      count.textContent = shown === rows.length ? fill(words.countAll, { n: rows.length }) : fill(words.countSome, { shown: shown, n: rows.length });
      var next = new URLSearchParams();
      selects.forEach(function (s) { if (s.value && !(s === sort && s.value === "modified")) next.set(s.name, s.value); });
      var query = next.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
