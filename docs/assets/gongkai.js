// gongkai's script on every page (the search box is search.js). Nothing in it is needed to read
// a page or download a file.
//
// The catalog page's filters. Without this script the page lists its datasets as cards (a long
// catalog: the latest hundred, and links to its parts, catalog/<k>/, render/listings.py); with it
// the keyword box and the selects narrow the cards, the counts follow the other choices, and the
// URL keeps the choice (?q=…&topic=…&publisher=…&frequency=…&format=…&year=…&sort=…) to be shared.
// The first choice that needs every dataset (a filter, another order) loads the parts' cards into
// the list, once. The year is a year the data describe (their period), not the site's update.
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
    var parts = Array.prototype.slice.call(root.querySelectorAll("a[data-gk-part]"));
    var loaded = parts.length === 0; // true once every dataset's card is in the list
    var loading = false;
    var failed = false;
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

    // A card's values of one filter: its data-* attribute, the value itself for the filters that
    // have one value a dataset, else a JSON array (render/listings.py).
    function values(card, key) {
      var text = card.getAttribute("data-" + key);
      if (!text) return [];
      if (key === "publisher" || key === "frequency") return [text];
      try {
        var found = JSON.parse(text);
        return Array.isArray(found) ? found.map(String) : [];
      } catch (e) {
        return [];
      }
    }

    // The words come from the page (its language's message table), with {slots}.
    var total = Number(form.dataset.total) || cards.length;
    var words = {
      loading: form.dataset.loading || "正在载入全部 {n} 个数据集……",
      failed: form.dataset.failed || "",
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

    // What the keyword box searches: the card's title and first sentence, its topics and publisher,
    // and data-text (the words the card does not show), read once a card.
    var texts = new WeakMap();
    function textOf(card) {
      if (!texts.has(card)) {
        var shown = ["gk-card-title", "gk-card-lede"].map(function (c) {
          var node = card.querySelector("." + c);
          return node ? node.textContent : "";
        });
        var all = shown.concat(values(card, "topic"), values(card, "publisher"), [card.getAttribute("data-text") || ""]);
        texts.set(card, all.join(" ").toLowerCase());
      }
      return texts.get(card);
    }

    function titleOf(card) {
      var node = card.querySelector(".gk-card-title");
      return node ? node.textContent.trim() : "";
    }

    // Every part's cards, in place of the latest ones this page shows (each is in a part too).
    // A card's link is made absolute: it was relative to its part's address.
    function loadParts() {
      loading = true;
      count.textContent = fill(words.loading, { n: total });
      Promise.all(parts.map(function (a) {
        var url = new URL(a.getAttribute("href"), window.location.href);
        return fetch(url.href).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        }).then(function (html) {
          var found = new DOMParser().parseFromString(html, "text/html").querySelectorAll(".gk-cards .gk-card");
          return Array.prototype.map.call(found, function (card) {
            Array.prototype.forEach.call(card.querySelectorAll("a[href]"), function (link) {
              link.setAttribute("href", new URL(link.getAttribute("href"), url).href);
            });
            return document.importNode(card, true);
          });
        });
      })).then(function (lists) {
        cards.forEach(function (card) { card.remove(); });
        cards = [].concat.apply([], lists);
        cards.forEach(function (card) { list.appendChild(card); });
      }, function () {
        failed = true;
      }).then(function () {
        loaded = true;
        update();
      });
    }

    function matches(card, except, wanted) {
      var text = textOf(card);
      return wanted.every(function (w) { return text.indexOf(w) >= 0; }) && facets.every(function (s) {
        return s === except || !s.value || values(card, s.dataset.facet).indexOf(s.value) >= 0;
      });
    }

    function newestFirst(key) {
      return function (a, b) { return a.dataset[key] < b.dataset[key] ? 1 : a.dataset[key] > b.dataset[key] ? -1 : 0; };
    }

    function update() {
      var wanted = terms();
      if (!loaded && (wanted.length || sort.value !== "modified" || facets.some(function (s) { return s.value; }))) {
        if (!loading) loadParts();
        return;
      }
      var shown = 0;
      cards.forEach(function (card) {
        var ok = matches(card, null, wanted);
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      if (none) none.hidden = shown > 0;
      if (loaded) facets.forEach(function (s) { // (until then the page's own counts are of every dataset)
        var pool = cards.filter(function (card) { return matches(card, s, wanted); });
        Array.prototype.forEach.call(s.options, function (o) {
          var n = o.value ? pool.filter(function (card) { return values(card, s.dataset.facet).indexOf(o.value) >= 0; }).length : pool.length;
          o.textContent = o.value ? fill(words.option, { value: o.value, n: n }) : fill(words.optionAll, { n: n });
        });
      });
      var ordered = cards.slice().sort(sort.value === "title"
        ? function (a, b) { return titleOf(a).localeCompare(titleOf(b), "zh-Hans-CN"); }
        : newestFirst(sort.value === "period" ? "period" : "modified"));
      ordered.forEach(function (card) { list.appendChild(card); });
      var n = loaded && !failed ? cards.length : total;
      count.textContent = (shown === n ? fill(words.countAll, { n: n }) : fill(words.countSome, { shown: shown, n: n }))
        + (failed ? words.failed : "");
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
