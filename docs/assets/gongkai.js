// gongkai's script on every page (the search box is search.js). Nothing in it is needed to read
// a page or download a file.
//
// The catalog page's filters. Without this script the page lists every dataset as a card; with
// it the keyword box and the selects narrow the cards, the counts follow the other choices, and the
// URL keeps the choice (?q=…&topic=…&publisher=…&frequency=…&format=…&year=…&sort=…) to be shared.
// The year is a year the data describe (their period), not the year the site last updated them.
(function () {
  "use strict";

  function start() {
    var root = document.querySelector(".gk-catalog");
    if (!root) return;
    var selects = Array.prototype.slice.call(root.querySelectorAll("select"));
    var facets = selects.filter(function (s) { return s.dataset.facet; });
    var sort = root.querySelector('select[name="sort"]');
    var keyword = root.querySelector('input[name="q"]');
    var list = root.querySelector(".gk-cards");
    var cards = Array.prototype.slice.call(list.querySelectorAll(".gk-card"));
    var none = root.querySelector(".gk-none");
    var count = root.querySelector(".gk-count");
    var form = root.querySelector(".gk-filters");
    var params = new URLSearchParams(window.location.search);

    selects.forEach(function (s) {
      var wanted = params.get(s.name);
      if (wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
      s.addEventListener("change", update);
    });
    if (keyword) {
      keyword.value = params.get("q") || "";
      keyword.addEventListener("input", update);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    // A card's values of one filter: a JSON array in its data-* attribute (render.py).
    function values(card, key) {
      var text = card.getAttribute("data-" + key);
      if (!text) return [];
      try {
        var found = JSON.parse(text);
        return Array.isArray(found) ? found.map(String) : [];
      } catch (e) {
        return [];
      }
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

    // Every word typed (split at spaces) must occur in the card's title, description or keywords.
    function terms() {
      return keyword ? keyword.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    }

    function matches(card, except, wanted) {
      var text = card.getAttribute("data-text") || "";
      return wanted.every(function (w) { return text.indexOf(w) >= 0; }) && facets.every(function (s) {
        return s === except || !s.value || values(card, s.dataset.facet).indexOf(s.value) >= 0;
      });
    }

    function newestFirst(key) {
      return function (a, b) { return a.dataset[key] < b.dataset[key] ? 1 : a.dataset[key] > b.dataset[key] ? -1 : 0; };
    }

    function update() {
      var wanted = terms();
      var shown = 0;
      cards.forEach(function (card) {
        var ok = matches(card, null, wanted);
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      if (none) none.hidden = shown > 0;
      facets.forEach(function (s) {
        var pool = cards.filter(function (card) { return matches(card, s, wanted); });
        Array.prototype.forEach.call(s.options, function (o) {
          var n = o.value ? pool.filter(function (card) { return values(card, s.dataset.facet).indexOf(o.value) >= 0; }).length : pool.length;
          o.textContent = o.value ? fill(words.option, { value: o.value, n: n }) : fill(words.optionAll, { n: n });
        });
      });
      var ordered = cards.slice().sort(sort.value === "title"
        ? function (a, b) { return a.dataset.title.localeCompare(b.dataset.title, "zh-Hans-CN"); }
        : newestFirst(sort.value === "period" ? "period" : "modified"));
      ordered.forEach(function (card) { list.appendChild(card); });
      count.textContent = shown === cards.length ? fill(words.countAll, { n: cards.length }) : fill(words.countSome, { shown: shown, n: cards.length });
      var next = new URLSearchParams();
      if (wanted.length) next.set("q", keyword.value.trim());
      selects.forEach(function (s) { if (s.value && !(s === sort && s.value === "modified")) next.set(s.name, s.value); });
      var query = next.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Material wraps every table in .md-typeset__scrollwrap. One that scrolls sideways (a wide table
// on a phone) takes keyboard focus, named as a region, so it can be scrolled without a mouse
// (WCAG 2.1.1); one that fits does not, so the tab order holds no empty stops.
(function () {
  "use strict";

  function mark() {
    var label = document.documentElement.lang === "en" ? "Table (scrolls sideways)" : "表格（可左右滚动）";
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label);
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
