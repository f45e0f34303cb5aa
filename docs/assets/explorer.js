// gongkai's table explorer, on dataset pages only (overrides/main.html loads it where the page's
// front matter says gongkai_explorer). Each .gk-explorer box names its CSV and columns in data
// attributes; this script reads the CSV and shows every row (up to data-limit) to sort, filter,
// page through and download. The view lives in the URL (?<resource>.q=…&<resource>.sort=…), so a
// shared link opens the same rows. Without it the box shows the static preview, and every
// download link is on the page.
//
// Our own code, no library: "下载筛选结果" must give the CSV's own lines, byte for byte, so the
// reader below keeps the raw text of each record, which PapaParse, Tabulator and Grid.js do not.
(function () {
  "use strict";
  var PAGE_ROWS = 50;
  var FEW = 30; // a column with at most this many distinct values is filtered by a value list
  var NUMERIC = { integer: true, number: true, year: true };
  var collator = new Intl.Collator("zh-CN", { numeric: true }); // Chinese in pinyin order, 2 before 10

  // --- CSV (RFC 4180: comma, double quotes, "" inside quotes, line breaks inside quotes) ---

  // One record from `start`: { cells, raw (its text without the line end), end (the line end) },
  // and where the next begins; null when the text ends inside it and more is to come.
  function readRecord(text, start, final) {
    var n = text.length;
    var i = start;
    var cells = [];
    var cell = "";
    for (;;) {
      if (i < n && text.charCodeAt(i) === 34) {
        var j = i + 1;
        for (;;) {
          var q = text.indexOf('"', j);
          if (q < 0) {
            if (!final) return null;
            cell += text.slice(j);
            i = n;
            break;
          }
          if (q + 1 >= n && !final) return null; // a doubled quote may follow
          if (text.charCodeAt(q + 1) === 34) {
            cell += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          cell += text.slice(j, q);
          i = q + 1;
          break;
        }
      }
      var k = i;
      while (k < n) {
        var c = text.charCodeAt(k);
        if (c === 44 || c === 10 || c === 13) break;
        k += 1;
      }
      cell += text.slice(i, k);
      i = k;
      if (i >= n) {
        if (!final) return null;
        cells.push(cell);
        return { record: { cells: cells, raw: text.slice(start, n), end: "" }, next: n };
      }
      cells.push(cell);
      cell = "";
      if (text.charCodeAt(i) === 44) {
        i += 1;
        continue;
      }
      if (text.charCodeAt(i) === 13 && i + 1 >= n && !final) return null; // \r\n split across chunks
      var end = text.charCodeAt(i) === 10 ? "\n" : text.charCodeAt(i + 1) === 10 ? "\r\n" : "\r";
      return { record: { cells: cells, raw: text.slice(start, i), end: end }, next: i + end.length };
    }
  }

  // The complete records of `text` appended to `out` (up to `max` in all); returns where the
  // unread rest of the text starts. An empty line is no record.
  function readRecords(text, final, out, max) {
    var i = 0;
    while (i < text.length && out.length < max) {
      var r = readRecord(text, i, final);
      if (!r) break;
      if (r.record.raw !== "") out.push(r.record);
      i = r.next;
    }
    return i;
  }

  // The CSV's first `max` records (the header and max - 1 rows), read as it streams in: a file
  // beyond the limit is not downloaded to the end.
  function load(url, max) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      var records = [];
      if (!response.body || !window.TextDecoder) {
        return response.text().then(function (text) {
          readRecords(text, true, records, max);
          return records;
        });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder("utf-8");
      var buffer = "";
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) {
            readRecords(buffer + decoder.decode(), true, records, max);
            return records;
          }
          buffer += decoder.decode(step.value, { stream: true });
          buffer = buffer.slice(readRecords(buffer, false, records, max));
          if (records.length >= max) {
            reader.cancel().catch(function () {});
            return records;
          }
          return pump();
        });
      }
      return pump();
    });
  }

  // --- helpers ---

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? String(values[key]) : all; });
  }

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var made = 0;
  function uid(prefix) {
    made += 1;
    return prefix + "-" + made;
  }

  // A cell as a number, or null when empty or not a number.
  function number(text) {
    if (text.trim() === "") return null;
    var n = Number(text);
    return isFinite(n) ? n : null;
  }

  // --- one explorer ---

  function Explorer(box) {
    this.box = box;
    this.name = box.dataset.name;
    this.url = new URL(box.dataset.csv, document.baseURI).href;
    this.total = parseInt(box.dataset.rows, 10) || 0;
    this.limit = parseInt(box.dataset.limit, 10) || 50000;
    this.fields = JSON.parse(box.dataset.fields);
    this.words = JSON.parse(box.dataset.words);
    this.state = { q: "", sort: null, desc: false, page: 1, col: {}, min: {}, max: {} };
    this.timer = null;
  }

  Explorer.prototype.start = function () {
    var self = this;
    this.status = element("p", { class: "gk-ex-count", role: "status", "aria-live": "polite" }, this.words.status[0]);
    this.box.appendChild(this.status);
    load(this.url, this.limit + 2) // the header, the rows shown, and one more to tell if there are more
      .then(function (records) { self.show(records); })
      .catch(function () { self.status.textContent = self.words.status[1]; });
  };

  Explorer.prototype.show = function (records) {
    if (!records.length) throw new Error("empty CSV");
    this.header = records[0];
    this.records = records.slice(1, this.limit + 1);
    this.truncated = records.length > this.limit + 1;
    var names = this.header.cells;
    var byName = {};
    this.fields.forEach(function (f) { byName[f.name] = f; });
    this.columns = names.map(function (name, i) {
      var f = byName[name] || { name: name, title: name, type: "string" };
      return { index: i, name: name, title: f.title || name, type: f.type || "string", keys: null };
    });
    this.readUrl();
    this.build();
    Array.prototype.forEach.call(this.box.children, function (node) {
      if (!node.classList.contains("gk-ex") && !node.classList.contains("gk-ex-count")) node.hidden = true;
    });
    this.apply(false);
  };

  // The controls: a search box, a filter per column, the table with sortable headers, paging.
  Explorer.prototype.build = function () {
    var self = this;
    var w = this.words;
    var root = element("div", { class: "gk-ex" });
    var bar = element("div", { class: "gk-ex-bar" });
    var searchId = uid("gk-ex-q");
    var search = element("div", { class: "gk-ex-field gk-ex-search" });
    search.appendChild(element("label", { for: searchId }, w.search));
    this.search = element("input", { id: searchId, type: "search", autocomplete: "off" });
    this.search.value = this.state.q;
    this.search.addEventListener("input", function () {
      self.state.q = self.search.value;
      self.later();
    });
    search.appendChild(this.search);
    bar.appendChild(search);
    var reset = element("button", { type: "button", class: "gk-ex-button" }, w.reset);
    reset.addEventListener("click", function () { self.reset(); });
    var download = element("button", { type: "button", class: "gk-ex-button gk-ex-download" }, w.download);
    download.addEventListener("click", function () { self.download(); });
    bar.appendChild(reset);
    bar.appendChild(download);
    root.appendChild(bar);

    var details = element("details", { class: "gk-ex-columns" });
    details.appendChild(element("summary", {}, w.columns));
    var filters = element("div", { class: "gk-ex-filters" });
    this.controls = this.columns.map(function (col) { return self.filterFor(col, filters); });
    details.appendChild(filters);
    if (Object.keys(this.state.col).length + Object.keys(this.state.min).length + Object.keys(this.state.max).length) {
      details.open = true;
    }
    root.appendChild(details);

    if (this.truncated) {
      var rows = Math.max(this.total, this.limit + 1);
      var note = element("p", { class: "gk-ex-note" }, fill(w.truncated, { rows: rows, limit: this.limit }));
      note.appendChild(element("a", { href: this.url }, this.url.split("/").pop()));
      root.appendChild(note);
    }
    this.box.removeChild(this.status);
    root.appendChild(this.status);

    var scroll = element("div", { class: "gk-ex-scroll", tabindex: "0" });
    var table = element("table", { class: "gk-ex-table" });
    var row = element("tr");
    this.heads = this.columns.map(function (col) {
      var th = element("th", { scope: "col" });
      if (NUMERIC[col.type]) th.className = "gk-ex-num";
      var button = element("button", { type: "button", class: "gk-ex-sort" }, col.title);
      button.appendChild(element("span", { class: "gk-ex-arrow", "aria-hidden": "true" }));
      button.addEventListener("click", function () { self.sortBy(col.index); });
      th.appendChild(button);
      row.appendChild(th);
      return th;
    });
    var head = element("thead");
    head.appendChild(row);
    table.appendChild(head);
    this.body = element("tbody");
    table.appendChild(this.body);
    scroll.appendChild(table);
    root.appendChild(scroll);

    var pager = element("div", { class: "gk-ex-pager" });
    this.prev = element("button", { type: "button", class: "gk-ex-button" }, w.pager[0]);
    this.next = element("button", { type: "button", class: "gk-ex-button" }, w.pager[1]);
    this.pageText = element("span", { class: "gk-ex-page" });
    this.prev.addEventListener("click", function () { self.turn(-1); });
    this.next.addEventListener("click", function () { self.turn(1); });
    pager.appendChild(this.prev);
    pager.appendChild(this.pageText);
    pager.appendChild(this.next);
    root.appendChild(pager);
    this.box.appendChild(root);
  };

  // A value list for a column of few values, a range for numbers, else a text box.
  Explorer.prototype.filterFor = function (col, into) {
    var self = this;
    var w = this.words;
    var group = element("div", { class: NUMERIC[col.type] ? "gk-ex-field gk-ex-wide" : "gk-ex-field" });
    if (NUMERIC[col.type]) {
      var set = element("fieldset", { class: "gk-ex-range" });
      set.appendChild(element("legend", {}, col.title));
      var inputs = ["min", "max"].map(function (bound, k) {
        var id = uid("gk-ex-" + bound);
        var label = element("label", { for: id }, w.choice[2 + k]);
        var input = element("input", { id: id, type: "text", inputmode: "decimal", autocomplete: "off", size: "8" });
        input.value = self.state[bound][col.name] || "";
        input.addEventListener("input", function () {
          if (input.value.trim()) self.state[bound][col.name] = input.value.trim();
          else delete self.state[bound][col.name];
          self.later();
        });
        set.appendChild(label);
        set.appendChild(input);
        return input;
      });
      group.appendChild(set);
      into.appendChild(group);
      return inputs;
    }
    var id = uid("gk-ex-c");
    group.appendChild(element("label", { for: id }, col.title));
    var values = this.distinct(col.index);
    var control;
    if (values) {
      control = element("select", { id: id });
      control.appendChild(element("option", { value: "" }, w.choice[0]));
      values.forEach(function (v) {
        var option = element("option", {}, v === "" ? w.choice[1] : v);
        option.value = v === "" ? "\u0000" : v; // the blank cells: a value no cell can hold
        control.appendChild(option);
      });
      control.value = this.state.col[col.name] === "" ? "\u0000" : this.state.col[col.name] || "";
      if (control.selectedIndex < 0) control.value = "";
      control.addEventListener("change", function () {
        if (control.value === "") delete self.state.col[col.name];
        else self.state.col[col.name] = control.value === "\u0000" ? "" : control.value;
        self.apply(true);
      });
      if (control.value === "") delete this.state.col[col.name];
    } else {
      control = element("input", { id: id, type: "search", autocomplete: "off" });
      control.value = this.state.col[col.name] || "";
      control.addEventListener("input", function () {
        if (control.value) self.state.col[col.name] = control.value;
        else delete self.state.col[col.name];
        self.later();
      });
    }
    col.exact = !!values;
    group.appendChild(control);
    into.appendChild(group);
    return [control];
  };

  // The column's values in order, or null when there are more than FEW.
  Explorer.prototype.distinct = function (index) {
    var seen = {};
    var values = [];
    for (var i = 0; i < this.records.length; i += 1) {
      var v = this.records[i].cells[index];
      v = v === undefined ? "" : v;
      if (Object.prototype.hasOwnProperty.call(seen, v)) continue;
      seen[v] = true;
      values.push(v);
      if (values.length > FEW) return null;
    }
    return values.sort(function (a, b) { return a === "" ? 1 : b === "" ? -1 : collator.compare(a, b); });
  };

  Explorer.prototype.later = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.apply(true); }, 150);
  };

  Explorer.prototype.sortBy = function (index) {
    var s = this.state;
    if (s.sort !== index) {
      s.sort = index;
      s.desc = false;
    } else if (!s.desc) s.desc = true;
    else s.sort = null;
    this.apply(true);
  };

  Explorer.prototype.turn = function (step) {
    this.state.page += step;
    this.render();
    this.writeUrl();
    var pressed = step < 0 ? this.prev : this.next;
    if (pressed.disabled) (step < 0 ? this.next : this.prev).focus(); // keep the keyboard in the pager
  };

  Explorer.prototype.reset = function () {
    this.state = { q: "", sort: null, desc: false, page: 1, col: {}, min: {}, max: {} };
    this.search.value = "";
    this.controls.forEach(function (inputs) { inputs.forEach(function (input) { input.value = ""; }); });
    this.apply(false);
  };

  // Which records the filters keep, in the chosen order; then the page is drawn.
  Explorer.prototype.apply = function (firstPage) {
    var s = this.state;
    var q = s.q.trim().toLowerCase();
    var tests = [];
    this.columns.forEach(function (col) {
      var i = col.index;
      if (NUMERIC[col.type]) {
        var lo = s.min[col.name] === undefined ? null : number(s.min[col.name]);
        var hi = s.max[col.name] === undefined ? null : number(s.max[col.name]);
        if (lo === null && hi === null) return;
        tests.push(function (cells) {
          var n = number(cells[i] || "");
          return n !== null && (lo === null || n >= lo) && (hi === null || n <= hi);
        });
      } else if (s.col[col.name] !== undefined) {
        var want = s.col[col.name];
        var low = want.toLowerCase();
        tests.push(col.exact ? function (cells) { return (cells[i] || "") === want; }
          : function (cells) { return (cells[i] || "").toLowerCase().indexOf(low) >= 0; });
      }
    });
    var shown = [];
    for (var r = 0; r < this.records.length; r += 1) {
      var rec = this.records[r];
      if (q) {
        if (rec.low === undefined) rec.low = rec.cells.join("\u0000").toLowerCase();
        if (rec.low.indexOf(q) < 0) continue;
      }
      if (tests.every(function (t) { return t(rec.cells); })) shown.push(r);
    }
    if (s.sort !== null) {
      var keys = this.keys(this.columns[s.sort]);
      var sign = s.desc ? -1 : 1;
      shown.sort(function (a, b) {
        var ka = keys[a];
        var kb = keys[b];
        if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1; // empty cells last
        var c = typeof ka === "number" ? ka - kb : collator.compare(ka, kb);
        return c ? sign * c : a - b;
      });
    }
    this.shown = shown;
    if (firstPage) s.page = 1;
    this.render();
    this.heads.forEach(function (th, i) {
      if (i === s.sort) th.setAttribute("aria-sort", s.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    this.status.textContent = fill(this.words.count, { rows: this.records.length, shown: shown.length });
    this.writeUrl();
  };

  // Sort keys of a column, one per record: numbers for numeric columns, times for date-times,
  // the text otherwise (ISO dates sort as text); null for an empty cell or a value not of the type.
  Explorer.prototype.keys = function (col) {
    if (col.keys) return col.keys;
    var index = col.index;
    var kind = NUMERIC[col.type] ? "number" : col.type === "datetime" ? "time" : "text";
    col.keys = this.records.map(function (rec) {
      var v = rec.cells[index] || "";
      if (v === "") return null;
      if (kind === "number") return number(v);
      if (kind === "time") {
        var t = Date.parse(v);
        return isNaN(t) ? null : t;
      }
      return v;
    });
    return col.keys;
  };

  Explorer.prototype.render = function () {
    var s = this.state;
    var pages = Math.max(1, Math.ceil(this.shown.length / PAGE_ROWS));
    s.page = Math.min(Math.max(1, s.page || 1), pages);
    var body = element("tbody");
    var from = (s.page - 1) * PAGE_ROWS;
    var numeric = this.columns.map(function (col) { return !!NUMERIC[col.type]; });
    var width = this.columns.length;
    this.shown.slice(from, from + PAGE_ROWS).forEach(function (r) {
      var cells = this.records[r].cells;
      var tr = element("tr");
      for (var i = 0; i < width; i += 1) {
        tr.appendChild(element("td", numeric[i] ? { class: "gk-ex-num" } : {}, cells[i] || ""));
      }
      body.appendChild(tr);
    }, this);
    if (!this.shown.length) {
      var tr = element("tr");
      tr.appendChild(element("td", { colspan: String(width), class: "gk-ex-empty" }, this.words.empty));
      body.appendChild(tr);
    }
    this.body.parentNode.replaceChild(body, this.body);
    this.body = body;
    this.pageText.textContent = fill(this.words.pager[2], { page: s.page, pages: pages });
    this.prev.disabled = s.page <= 1;
    this.next.disabled = s.page >= pages;
  };

  // "下载筛选结果": a BOM, the CSV's header line and the shown records' own text, in the order shown.
  Explorer.prototype.download = function () {
    var parts = ["\ufeff", this.header.raw + (this.header.end || "\n")];
    for (var i = 0; i < this.shown.length; i += 1) {
      var rec = this.records[this.shown[i]];
      parts.push(rec.raw + (rec.end || "\n"));
    }
    var link = element("a", { download: fill(this.words.file, { name: this.name }), hidden: "" });
    link.href = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  };

  // --- the view in the URL: <resource>.q, .sort, .desc, .page, .f.<field>, .min.<field>, .max.<field> ---

  Explorer.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    var p = this.name + ".";
    var s = this.state;
    s.q = params.get(p + "q") || "";
    var sort = params.get(p + "sort");
    this.columns.forEach(function (col) {
      if (col.name === sort) s.sort = col.index;
      [["col", "f."], ["min", "min."], ["max", "max."]].forEach(function (pair) {
        var v = params.get(p + pair[1] + col.name);
        if (v !== null) s[pair[0]][col.name] = v;
      });
    });
    s.desc = s.sort !== null && params.get(p + "desc") === "1";
    s.page = parseInt(params.get(p + "page"), 10) || 1;
  };

  Explorer.prototype.writeUrl = function () {
    var params = new URLSearchParams(window.location.search);
    var p = this.name + ".";
    var s = this.state;
    var drop = [];
    params.forEach(function (v, key) { if (key.indexOf(p) === 0) drop.push(key); });
    drop.forEach(function (key) { params.delete(key); });
    if (s.q) params.set(p + "q", s.q);
    if (s.sort !== null) params.set(p + "sort", this.columns[s.sort].name);
    if (s.sort !== null && s.desc) params.set(p + "desc", "1");
    this.columns.forEach(function (col) {
      if (s.col[col.name] !== undefined) params.set(p + "f." + col.name, s.col[col.name]);
      if (s.min[col.name] !== undefined) params.set(p + "min." + col.name, s.min[col.name]);
      if (s.max[col.name] !== undefined) params.set(p + "max." + col.name, s.max[col.name]);
    });
    if (s.page > 1) params.set(p + "page", String(s.page));
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".gk-explorer[data-gk-explorer]"), function (box) {
      try {
        new Explorer(box).start();
      } catch (e) {
        // a box the script cannot read keeps its static preview
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
