// gongkai's query page (overrides/main.html loads it where the page's front matter says
// gongkai_query): SQL in the browser with DuckDB-Wasm over the dataset's Parquet files. The
// engine is published with the site (assets/duckdb/, data-engine) and imported only here; each
// table's Parquet file (data-tables, relative to the page, so the site works under any sub-path)
// is registered as a view and read over HTTP range requests, a row group at a time. DuckDB is
// told not to install or load extensions: nothing is fetched from outside the site.
(function () {
  "use strict";
  var SHOWN_ROWS = 1000; // rows drawn in the result table; the CSV download holds all of them
  var QUERIES = /^\s*(select|with|from|describe|summarize|show|explain|values|table|pivot|unpivot|\()/i;

  function fill(message, values) {
    return message.replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function ident(name) {
    return '"' + name.replace(/"/g, '""') + '"';
  }

  // DuckDB's messages are English; the common ones are said in the page's language.
  function explain(error, words) {
    var text = String((error && error.message) || error);
    var m = /Table with name ([^\s]+) does not exist/.exec(text);
    if (m) return fill(words.error_table, { name: m[1] }) + "（" + text + "）";
    m = /Referenced column "?([^"\s]+)"? not found/.exec(text);
    if (m) return fill(words.error_column, { name: m[1] }) + "（" + text + "）";
    m = /syntax error at or near "?([^"\n]*)"?/.exec(text);
    if (m) return fill(words.error_syntax, { near: m[1] }) + "（" + text + "）";
    return text;
  }

  function csvCell(value) {
    if (value === null || value === undefined) return "";
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function toCsv(names, rows) {
    var lines = [names.map(csvCell).join(",")];
    for (var i = 0; i < rows.length; i++) lines.push(rows[i].map(csvCell).join(","));
    return "\ufeff" + lines.join("\r\n") + "\r\n"; // a BOM: Excel then reads UTF-8, not the system code page
  }

  async function openEngine(engine, tables) {
    var duckdb = await import(engine + "duckdb.mjs");
    var bundle = await duckdb.selectBundle({
      mvp: { mainModule: engine + "duckdb-mvp.wasm", mainWorker: engine + "duckdb-browser-mvp.worker.js" },
      eh: { mainModule: engine + "duckdb-eh.wasm", mainWorker: engine + "duckdb-browser-eh.worker.js" },
    });
    var worker = new Worker(bundle.mainWorker);
    var db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open({
      allowUnsignedExtensions: false,
      query: { castBigIntToDouble: false, castDecimalToDouble: false },
    });
    var conn = await db.connect();
    // Parquet is built into DuckDB-Wasm; anything else would be fetched from extensions.duckdb.org.
    await conn.query("SET autoinstall_known_extensions = false");
    await conn.query("SET autoload_known_extensions = false");
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i];
      var file = t.name + ".parquet";
      var url = new URL(t.url, location.href).href;
      await db.registerFileURL(file, url, duckdb.DuckDBDataProtocol.HTTP, false);
      await conn.query("CREATE VIEW " + ident(t.name) + " AS SELECT * FROM read_parquet('" + file + "')");
    }
    return conn;
  }

  // Every value as DuckDB writes it as text (decimals with their digits, dates as YYYY-MM-DD,
  // codes with their leading zeros), so the table and the CSV show what the data hold.
  async function runSql(conn, sql) {
    var described;
    try {
      described = await conn.query("DESCRIBE " + sql);
    } catch (error) {
      return runPlain(conn, sql); // DESCRIBE, SHOW, SUMMARIZE, EXPLAIN: not a query DESCRIBE takes
    }
    var names = described.getChild("column_name").toArray().map(String);
    var casts = names.map(function (n, i) {
      return "CAST(" + ident(n) + " AS VARCHAR) AS c" + i;
    });
    var result = await conn.query("SELECT " + casts.join(", ") + " FROM (" + sql + ")");
    var columns = names.map(function (_, i) {
      return result.getChild("c" + i).toArray();
    });
    var rows = [];
    for (var r = 0; r < result.numRows; r++) {
      rows.push(
        columns.map(function (c) {
          return c[r] === null || c[r] === undefined ? null : String(c[r]);
        })
      );
    }
    return { names: names, rows: rows };
  }

  // A statement that is not a plain query: its values as JavaScript writes them.
  async function runPlain(conn, sql) {
    var result = await conn.query(sql);
    var names = result.schema.fields.map(function (f) {
      return f.name;
    });
    var rows = result.toArray().map(function (row) {
      return names.map(function (n) {
        var v = row[n];
        return v === null || v === undefined ? null : String(v);
      });
    });
    return { names: names, rows: rows };
  }

  function drawTable(out, result, words) {
    out.textContent = "";
    var wrap = document.createElement("div");
    wrap.className = "md-typeset__table gk-query-table";
    wrap.tabIndex = 0; // a scrolling region: reachable by keyboard
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", result.names.join(", "));
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    result.names.forEach(function (n) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = n;
      head.appendChild(th);
    });
    var body = table.createTBody();
    result.rows.slice(0, SHOWN_ROWS).forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (v) {
        var td = tr.insertCell();
        if (v === null) {
          td.className = "gk-null";
          td.textContent = words.null;
        } else {
          td.textContent = v;
        }
      });
    });
    wrap.appendChild(table);
    out.appendChild(wrap);
  }

  function start(box) {
    var words = JSON.parse(box.dataset.words);
    var tables = JSON.parse(box.dataset.tables);
    var status = box.querySelector(".gk-query-status");
    var sql = box.querySelector(".gk-query-sql");
    var run = box.querySelector(".gk-query-run");
    var download = box.querySelector(".gk-query-download");
    var out = box.querySelector(".gk-query-result");
    var last = null;

    function say(text, kind) {
      status.textContent = text;
      status.className = "gk-query-status" + (kind ? " gk-query-" + kind : "");
      box.setAttribute("aria-busy", kind === "busy" ? "true" : "false");
    }

    if (!box.dataset.engine) {
      say(words.no_engine, "error");
      return;
    }
    var engine = new URL(box.dataset.engine, location.href).href;
    say(words.loading, "busy");
    var ready = openEngine(engine, tables);

    async function runQuery() {
      var text = sql.value.trim().replace(/;+\s*$/, "");
      if (!QUERIES.test(text)) {
        say(words.not_select, "error");
        return;
      }
      var conn = await ready;
      run.disabled = true;
      say(words.running, "busy");
      var began = performance.now();
      try {
        last = await runSql(conn, text);
      } catch (error) {
        last = null;
        download.disabled = true;
        out.textContent = "";
        say(fill(words.error, { message: explain(error, words) }) + " " + words.error_hint, "error");
        return;
      } finally {
        run.disabled = false;
      }
      drawTable(out, last, words);
      download.disabled = false;
      var said = fill(words.result, { rows: last.rows.length, ms: Math.round(performance.now() - began) });
      if (last.rows.length > SHOWN_ROWS) said += " " + fill(words.truncated, { shown: SHOWN_ROWS, rows: last.rows.length });
      say(said, "done");
    }

    ready.then(
      function () {
        run.disabled = false;
        box.querySelectorAll(".gk-query-example").forEach(function (b) {
          b.hidden = false;
          b.addEventListener("click", function () {
            sql.value = JSON.parse(b.dataset.sql);
            runQuery();
          });
        });
        say(words.ready, "done");
      },
      function (error) {
        say(fill(words.engine_failed, { message: String((error && error.message) || error) }), "error");
      }
    );
    run.addEventListener("click", runQuery);
    sql.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        runQuery();
      }
    });
    download.addEventListener("click", function () {
      if (!last) return;
      var blob = new Blob([toCsv(last.names, last.rows)], { type: "text/csv;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "query.csv";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () {
        URL.revokeObjectURL(a.href);
        a.remove();
      }, 0);
    });
  }

  function init() {
    document.querySelectorAll("[data-gk-query]").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
