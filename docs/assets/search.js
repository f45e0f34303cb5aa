// The site's search box (overrides/partials/search.html), reading the index the build writes
// under search/<language>/ (scripts/gongkai/search/). Opening a page loads none of it: the first
// query loads meta.json, the shards of its terms and the chunks of its first results, so a search
// costs the same on a catalog of ten datasets or ten thousand. Every address is resolved against
// the page's base (Material's __config), so the site works under any sub-path. Results are written
// with textContent only.
(function () {
  "use strict";

  // --- terms: the same rules as scripts/gongkai/search/terms.py -------------------------------
  var MIN_PREFIX = 3, MAX_PREFIX = 24, EXACT = "=";
  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{3134f}";
  var RUN = new RegExp("[" + CJK + "]+|[a-z0-9]+", "gu");

  function runs(text) {
    return String(text).normalize("NFKC").toLowerCase().match(RUN) || [];
  }

  function runTerms(run, prefixes) {
    if (/^[a-z0-9]/.test(run)) {
      if (!prefixes || run.length < MIN_PREFIX + 1) return [run];
      var out = [];
      for (var n = MIN_PREFIX; n < Math.min(run.length, MAX_PREFIX + 1); n++) out.push(run.slice(0, n));
      out.push(run);
      return out;
    }
    var chars = Array.from(run);
    if (chars.length === 1) return [run];
    var pairs = [];
    for (var i = 0; i < chars.length - 1; i++) pairs.push(chars[i] + chars[i + 1]);
    return pairs;
  }

  function terms(text, prefixes) {
    var seen = new Set(), out = [];
    runs(text).forEach(function (run) {
      runTerms(run, !!prefixes).forEach(function (t) {
        if (!seen.has(t)) { seen.add(t); out.push(t); }
      });
    });
    return out;
  }

  function exact(text) {
    var parts = runs(text);
    return parts.length ? EXACT + parts.join(" ") : null;
  }

  function shardOf(term, shards) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h % shards;
  }

  window.gongkaiSearchTerms = { terms: terms, exact: exact, shardOf: shardOf };  // for the tests

  // --- the index, loaded piece by piece --------------------------------------------------------
  var box = document.querySelector(".gk-search");
  if (!box) return;
  var input = box.querySelector("input.md-search__input");
  var form = box.querySelector("form");
  var list = box.querySelector(".md-search-result__list");
  var status = box.querySelector(".md-search-result__meta");
  var toggle = document.getElementById("__search");
  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { config = {}; }
  var words = config.translations || {};
  var root = new URL(String(config.base || ".").replace(/\/+$/, "") + "/", window.location.href);
  var folder = new URL("search/" + (box.dataset.gkLanguage || "zh") + "/", root);
  var SHOWN = 10;
  var meta = null, loaded = {};

  function load(path) {
    if (!loaded[path]) {
      var url = new URL(path, folder);
      if (meta) url.search = "v=" + meta.version;
      loaded[path] = fetch(url.href, meta ? {} : { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url.href);
        return r.json();
      });
      loaded[path].catch(function () { delete loaded[path]; });
    }
    return loaded[path];
  }

  function loadMeta() {
    return load("meta.json").then(function (m) {
      if (m.format !== 1) throw new Error("unknown index format");
      meta = m;
      return m;
    });
  }

  // A term's postings as "document field" -> slots: document, field, n, then n slots (shards.py).
  function postings(flat) {
    var out = new Map();
    for (var i = 0; i < flat.length; ) {
      var n = flat[i + 2];
      out.set(flat[i] + " " + flat[i + 1], flat.slice(i + 3, i + 3 + n));
      i += 3 + n;
    }
    return out;
  }

  function rank(m, perTerm, whole) {
    var docs = new Map();
    var rarest = perTerm.slice().sort(function (a, b) { return a.size - b.size; });
    rarest[0].forEach(function (slots, key) {
      if (!rarest.every(function (p) { return p.has(key); })) return;
      var parts = key.split(" "), doc = +parts[0], field = +parts[1];
      var shared = rarest.reduce(function (acc, p) {
        var s = new Set(p.get(key));
        return acc.filter(function (x) { return s.has(x); });
      }, slots);
      var exactSlots = whole && whole.get(key) || [];
      var score = m.weights[field] + (exactSlots.length ? 60 : 0);
      var hit = docs.get(doc) || { doc: doc, score: 0, fields: 0, where: null };
      hit.fields += 1;
      if (score > hit.score) hit.score = score;
      var name = m.fields[field];
      if ((name === "values" || name === "columns") && slots.length) {
        var slot = exactSlots.length ? exactSlots[0] : (shared.length ? shared[0] : slots[0]);
        var strength = score + (exactSlots.length ? 1 : 0);
        if (!hit.where || strength > hit.where.strength) hit.where = { kind: name, slot: slot, strength: strength };
      }
      docs.set(doc, hit);
    });
    // A document with every term, but no field with all of them (or a word so common that its
    // postings were cut, shards.py), still matches, below every field that holds the whole query.
    if (docs.size < SHOWN) {
      var everywhere = null;
      perTerm.forEach(function (p) {
        var here = new Map();
        p.forEach(function (slots, key) {
          var parts = key.split(" "), doc = +parts[0], weight = m.weights[+parts[1]];
          here.set(doc, Math.max(here.get(doc) || 0, weight));
        });
        if (everywhere === null) everywhere = here;
        else everywhere.forEach(function (w, doc) {
          if (!here.has(doc)) everywhere.delete(doc); else everywhere.set(doc, Math.min(w, here.get(doc)));
        });
      });
      everywhere.forEach(function (w, doc) {
        if (!docs.has(doc)) docs.set(doc, { doc: doc, score: w / 10, fields: 0, where: null });
      });
    }
    // Ties are broken by how many of the query's terms each field holds, all of them or not:
    // 新闻发布会 ranks the dataset whose title says 新闻发布 above one whose title says none of it.
    var partial = new Map();
    perTerm.forEach(function (p) {
      p.forEach(function (slots, key) {
        var parts = key.split(" "), doc = +parts[0];
        if (docs.has(doc)) partial.set(doc, (partial.get(doc) || 0) + m.weights[+parts[1]] / 20 / perTerm.length);
      });
    });
    return Array.from(docs.values()).map(function (h) {
      if (h.where && h.where.strength < h.score) h.where = null;  // found by its title, keywords: no column to name
      h.score += h.fields + partial.get(h.doc) + (h.doc < m.datasets ? 1000 : 0);  // dataset pages above the others
      return h;
    }).sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  function search(query) {
    var asked = terms(query, false).filter(function (t) { return t.length <= MAX_PREFIX || !/^[a-z0-9]/.test(t); });
    if (!asked.length) return Promise.resolve([]);
    var whole = exact(query);
    return loadMeta().then(function (m) {
      var wanted = asked.concat(whole ? [whole] : []);
      var shards = Array.from(new Set(wanted.map(function (t) { return shardOf(t, m.shards); })));
      return Promise.all(shards.map(function (n) { return load("t/" + n + ".json"); })).then(function (got) {
        var byShard = new Map(shards.map(function (n, i) { return [n, got[i]]; }));
        function of(t) { return postings(byShard.get(shardOf(t, m.shards))[t] || []); }
        var perTerm = asked.map(of);
        if (perTerm.some(function (p) { return p.size === 0; })) return [];
        var hits = rank(m, perTerm, whole ? of(whole) : null);
        // A word in so many documents that the index kept only its strongest (shards.py, "+<term>"):
        // the count is then a lower bound, shown as "1000+".
        var cut = asked.some(function (t) { return byShard.get(shardOf(t, m.shards))["+" + t] !== undefined; });
        return describe(m, hits.slice(0, SHOWN)).then(function (shown) {
          shown.total = hits.length;
          shown.atLeast = cut;
          return shown;
        });
      });
    });
  }

  // The display data of the first results: their documents' chunks and the values they name.
  function describe(m, hits) {
    var chunks = Array.from(new Set(hits.map(function (h) { return Math.floor(h.doc / m.doc_chunk); })));
    var valueChunks = Array.from(new Set(hits.filter(function (h) { return h.where && h.where.kind === "values"; })
      .map(function (h) { return Math.floor(h.where.slot / m.value_chunk); })));
    return Promise.all([
      Promise.all(chunks.map(function (n) { return load("d/" + n + ".json"); })),
      Promise.all(valueChunks.map(function (n) { return load("v/" + n + ".json"); }))
    ]).then(function (got) {
      var docChunk = new Map(chunks.map(function (n, i) { return [n, got[0][i]]; }));
      var valueChunk = new Map(valueChunks.map(function (n, i) { return [n, got[1][i]]; }));
      return hits.map(function (h) {
        var d = docChunk.get(Math.floor(h.doc / m.doc_chunk))[h.doc % m.doc_chunk];
        var result = { url: d[0], title: d[1], snippet: d[2], where: null };
        if (h.where && h.where.kind === "values") {
          var v = valueChunk.get(Math.floor(h.where.slot / m.value_chunk))[h.where.slot % m.value_chunk];
          var column = d[3][v[0]];
          result.where = { resource: column[0], resourceTitle: column[1], column: column[2], value: v[1] };
        } else if (h.where && h.where.kind === "columns") {
          var c = d[3][h.where.slot];
          result.where = { resource: c[0], resourceTitle: c[1], column: c[2], value: null };
        }
        return result;
      });
    });
  }

  // --- the list ----------------------------------------------------------------------------------
  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function count(n, atLeast) {
    if (n === 0) return words["search.result.none"] || "0";
    var key = n === 1 && !atLeast ? "search.result.one" : "search.result.other";
    return (words[key] || "#").replace("#", String(n) + (atLeast ? "+" : ""));
  }

  function show(results) {
    list.textContent = "";
    status.textContent = count(results.total || 0, !!results.atLeast);
    results.forEach(function (r) {
      var href = new URL(r.url, root);
      var where = "";
      if (r.where && r.where.value !== null) {
        href.search = encodeURIComponent(r.where.resource + ".q") + "=" + encodeURIComponent(r.where.value);
        where = r.where.column + " = " + r.where.value + " · " + r.where.resourceTitle;
      } else if (r.where) {
        where = (box.dataset.gkColumn || "") + "：" + r.where.column + " · " + r.where.resourceTitle;
      }
      var item = element("li", "md-search-result__item");
      var link = element("a", "md-search-result__link");
      link.href = href.href;
      var article = element("article", "md-search-result__article md-typeset");
      article.appendChild(element("div", "gk-search__title", r.title));
      if (where) article.appendChild(element("p", "gk-search__where", where));
      if (r.snippet) article.appendChild(element("p", "gk-search__snippet", r.snippet));
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  var asked = 0, timer = null, shownFor = null;
  function run() {
    var query = input.value;
    var mine = ++asked;
    if (!query.trim()) {
      list.textContent = "";
      status.textContent = words["search.result.placeholder"] || "";
      shownFor = query;
      return Promise.resolve();
    }
    return search(query).then(function (results) {
      if (mine === asked) { show(results); shownFor = query; }
    }, function () {
      if (mine === asked) { list.textContent = ""; status.textContent = box.dataset.gkFailed || ""; }
    });
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(run, 0); });
  if (toggle) {
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  }
  box.addEventListener("keydown", function (e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowDown" && all.length) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && all.length) {
      e.preventDefault();
      if (at <= 0) input.focus(); else all[at - 1].focus();
    } else if (e.key === "Enter" && e.target === input) {
      e.preventDefault();
      clearTimeout(timer);
      var ready = shownFor === input.value ? Promise.resolve() : run();  // typed faster than the pause
      ready.then(function () {
        var first = links()[0];
        if (first) window.location.href = first.href;
      });
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== "/" && e.key !== "s")) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    open();
    input.focus();
  });
})();
