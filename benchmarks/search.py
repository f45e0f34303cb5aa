"""The benchmark's `search` part: search engines side by side on the synthetic catalogs (issue 17).

For each catalog size the pipeline and MkDocs build the site once (Material's index is made inside
that build); every other engine indexes the built HTML afterwards. Then Debian's chromium (Playwright)
opens the home page of the site served locally and asks each query, each engine in a fresh browser
context with the other engines' search files blocked. Measured per engine and size:

- index build: wall and CPU seconds and peak memory. Pagefind: its own process, peak RSS from
  wait4's rusage. Material: the time spent in the search plugin's events and gongkai's index
  finishing inside MkDocs (a timer hook added to the benchmark's copy of mkdocs.yml); its peak is
  the MkDocs process's VmHWM, the whole build's (the index cannot be told apart from the pages);
- the index on disk: files, bytes, gzip bytes (each file compressed alone, level 6);
- what opening a page downloads of search data, and for each query the search data fetched from
  opening the page to the answer (raw and gzip bytes of the files on disk), the time from asking
  to the answer, the results and whether the expected dataset is among them. One row value is
  planted in a CSV cell only (a street and a code of set-0000): today no engine indexes rows.

Adding an engine: put an `Engine` in ENGINES.

    build(site: Path, root: Path) -> dict
        Index the built site (HTML in `site`; the repository with datasets/ and build/docs in `root`)
        and return {"seconds", "cpu", "peak_mb", "peak_of"}: measure the indexing process with
        `measure()` below when it is one. Anything the engine writes belongs under `site`.
    query(page, text: str) -> list[str]
        In a Playwright page already open at the site's home, ask `text` as a visitor would and
        return the result URLs (the first few are enough) once they are there; raise on a timeout.
    owns(path: str) -> bool
        Whether a site-relative path is this engine's search data or code: these are the bytes counted
        for it, and blocked while other engines are measured.
    index(site: Path) -> list[Path]
        The files of the index on disk, for its size.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from benchmarks import synth

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 60_000  # a query not answered within a minute is recorded as a timeout

# The planted row value (a street and its code), only in one CSV cell of set-0000.
ROW = "440103001,沙面街道,沙面街道事项,2020-01-01,1.00,1\n"
ROW_DATASET = "datasets/set-0000/"
# (query, what it tests, the dataset a good answer holds; None: any result is an answer)
QUERIES = [
    ("基准测试", "Chinese word in every dataset's title", None),
    ("沙面", "part of a street name in a CSV cell only", ROW_DATASET),
    ("440103001", "code in a CSV cell only", ROW_DATASET),
    ("440103", "code prefix in a CSV cell only", ROW_DATASET),
]
QUICK_QUERIES = QUERIES[:2]


@dataclass(frozen=True)
class Engine:
    build: Callable[[Path, Path], dict]
    query: Callable[..., list[str]]
    owns: Callable[[str], bool]
    index: Callable[[Path], list[Path]]


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Wall time, CPU time and peak RSS (wait4's rusage: the largest of the process and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    return {
        "seconds": round(time.perf_counter() - start, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
        "output": out.decode("utf-8", "replace")[-3000:],
    }


# --- Material for MkDocs' search (lunr in a web worker, one JSON index) -------------------------

TIMES = "build/bench-search-times.json"
TIMER_HOOK = '''"""Benchmark only: the time Material's search and gongkai's index finishing take inside MkDocs."""
import json, os, time
from pathlib import Path
from mkdocs.plugins import event_priority

_spent = {"seconds": 0.0, "cpu": 0.0}


def _peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _timed(method, last):
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            _spent["seconds"] += time.perf_counter() - wall
            _spent["cpu"] += time.process_time() - cpu
            if last:
                Path(os.environ["GONGKAI_BENCH_TIMES"]).write_text(json.dumps(dict(_spent, peak_mb=_peak_mb())))
    timed.bench_timed = True
    return timed


@event_priority(100)
def on_config(config):
    search = config.plugins.get("material/search")
    hooks = [plugin for name, plugin in config.plugins.items() if name.endswith("mkdocs_hook.py")]
    for event in ("page_context", "post_build"):
        methods = config.plugins.events[event]
        for i, method in enumerate(methods):
            if getattr(method, "bench_timed", False):
                continue
            ours = any(method is getattr(hook, "on_" + event, None) for hook in hooks)
            if getattr(method, "__self__", None) is search or ours:
                methods[i] = _timed(method, last=event == "post_build")
    return config
'''


def add_timer(root: Path) -> None:
    """The timer hook in the benchmark's copy of mkdocs.yml, after gongkai's own."""
    (root / "scripts/bench_search_timer.py").write_text(TIMER_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    hook = "  - scripts/gongkai/mkdocs_hook.py\n"
    assert hook in text, "mkdocs.yml names gongkai's hook"
    config.write_text(text.replace(hook, hook + "  - scripts/bench_search_timer.py\n", 1), encoding="utf-8")


def material_build(site: Path, root: Path) -> dict:
    spent = json.loads((root / TIMES).read_text(encoding="utf-8"))
    return {
        "seconds": round(spent["seconds"], 3),
        "cpu": round(spent["cpu"], 3),
        "peak_mb": spent["peak_mb"],
        "peak_of": "the MkDocs process (whole build)",
    }


MATERIAL_DONE = """() => {
  if (document.querySelector('.md-search-result__item')) return true;
  const meta = document.querySelector('.md-search-result__meta');
  return !!meta && /没有找到|No matching/.test(meta.textContent);
}"""


def material_query(page, text: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(text)
    box.press("End")  # Material reads the query on keyup, as when a person types
    page.wait_for_function(MATERIAL_DONE, timeout=TIMEOUT_MS)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def material_owns(path: str) -> bool:
    return path.startswith("search/") or path.startswith("assets/javascripts/workers/search")


# --- Pagefind (chunked index, WebAssembly, loaded on the first query) -------------------------------

PAGEFIND_DIR = "pagefind"
NOT_INDEXED = {"en", "assets", "search", PAGEFIND_DIR}  # Chinese pages only, as Material's index


def pagefind_build(site: Path, root: Path) -> dict:
    from pagefind_bin_extended import get_executable  # the binary ships in the wheel: no download

    # Every Chinese page: en/ holds the English interface (Material's index drops it too).
    tops = sorted(p.name for p in site.iterdir() if p.is_dir() and p.name not in NOT_INDEXED)
    glob = "{" + ",".join(["*.html", *(f"{top}/**/*.html" for top in tops)]) + "}"
    cmd = [str(get_executable()), "--site", str(site), "--output-subdir", PAGEFIND_DIR]
    m = measure([*cmd, "--force-language", "zh", "--glob", glob])
    if m["exit"] != 0:
        raise RuntimeError(m["output"])
    return {k: m[k] for k in ("seconds", "cpu", "peak_mb")} | {"peak_of": "the pagefind process"}


PAGEFIND_QUERY = """async (q) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(q);
  const shown = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));  // as its UI shows 5
  return shown.map((d) => d.url);
}"""


def pagefind_query(page, text: str) -> list[str]:
    return page.evaluate(PAGEFIND_QUERY, text)


ENGINES: dict[str, Engine] = {
    "material": Engine(material_build, material_query, material_owns, lambda site: [site / "search/search_index.json"]),
    "pagefind": Engine(
        pagefind_build,
        pagefind_query,
        lambda path: path.startswith(PAGEFIND_DIR + "/"),
        lambda site: [p for p in (site / PAGEFIND_DIR).rglob("*") if p.is_file()],
    ),
}


# --- the harness ---------------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@functools.cache
def _sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6, mtime=0))


def _bytes(paths) -> dict:
    sizes = [_sizes(p) for p in paths]
    return {"files": len(sizes), "bytes": sum(s[0] for s in sizes), "gzip": sum(s[1] for s in sizes)}


def _site_path(site: Path, url: str) -> str:
    path = unquote(urlsplit(url).path).lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def _ask(browser, base: str, site: Path, name: str, text: str, expected: str | None) -> dict:
    engine = ENGINES[name]
    others = [e.owns for other, e in ENGINES.items() if other != name]
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: (
            route.abort() if any(o(_site_path(site, route.request.url)) for o in others) else route.continue_()
        ),
    )
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(_site_path(site, r.url)))
    try:
        page.goto(base)
        page.wait_for_load_state("networkidle")  # Material's worker has fetched its index
        opened = [p for p in fetched if engine.owns(p)]
        start = time.perf_counter()
        try:
            hrefs = engine.query(page, text)
            ms = round((time.perf_counter() - start) * 1000)
        except Exception as error:  # Playwright's TimeoutError and the like: recorded, not fatal
            hrefs, ms = None, f"no answer ({type(error).__name__})"
        page.wait_for_load_state("networkidle")
        used = [p for p in dict.fromkeys(fetched) if engine.owns(p) and (site / p).is_file()]
    finally:
        context.close()
    row = {"query": text, "ms": ms, **_bytes(site / p for p in used), "paths": used}
    row["open"] = _bytes(site / p for p in dict.fromkeys(opened) if (site / p).is_file())
    if hrefs is not None:
        row["results"] = len(hrefs)
        row["top"] = [_site_path(site, h) for h in hrefs[:5]]
        row["found"] = any((expected or "") in _site_path(site, h) for h in hrefs) if hrefs else False
    return row


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def build_site(tmp: Path, n: int) -> tuple[Path, dict]:
    """The synthetic catalog of n datasets with the planted row, built once by `gongkai build`."""
    root = synth.repo(tmp / f"search-{n}")
    synth.catalog(root, n)
    with (root / "datasets/set-0000/data/items.csv").open("a", encoding="utf-8") as f:
        f.write(ROW)
    add_timer(root)
    env = dict(os.environ, GONGKAI_BENCH_TIMES=str(root / TIMES))
    built = measure([str(BIN / "gongkai"), "--root", str(root), "build"], env=env)
    if built["exit"] != 0:
        raise RuntimeError(built["output"])
    return root, built


def bench_search(tmp: Path, sizes: list[int], quick: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    queries = QUICK_QUERIES if quick else QUERIES
    results = []
    for n in sizes:
        root, built = build_site(tmp, n)
        site = root / "site"
        indexed = {name: engine.build(site, root) for name, engine in ENGINES.items()}
        httpd = _serve(site)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
                for name, engine in ENGINES.items():
                    asked = [_ask(browser, base, site, name, q, expected) for q, _, expected in queries]
                    size = _bytes(engine.index(site))
                    results.append(
                        {
                            "stage": f"search: {name}, {n} datasets",
                            "engine": name,
                            "datasets": n,
                            "site_build_s": built["seconds"],
                            "index_s": indexed[name]["seconds"],
                            "index_cpu": indexed[name]["cpu"],
                            "index_peak_mb": indexed[name]["peak_mb"],
                            "peak_of": indexed[name]["peak_of"],
                            "index_files": size["files"],
                            "index_bytes": size["bytes"],
                            "index_gzip": size["gzip"],
                            "open_bytes": asked[0]["open"]["bytes"],
                            "open_gzip": asked[0]["open"]["gzip"],
                            "queries": asked,
                            "row_value_found": any(q["found"] for q in asked[1:] if "found" in q),
                            "ok": all("results" in q for q in asked[:1]),
                        }
                    )
                browser.close()
        finally:
            httpd.shutdown()
        shutil.rmtree(root)
    return results


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f}K" if n >= 1024 else f"{n}B"


def table(results: list[dict]) -> str:
    """One line per engine and size, then one per query (bytes raw/gzip from opening the page to the answer)."""
    lines = [
        f"{'search engine, datasets':32} {'index s':>8} {'cpu s':>7} {'peak MB':>8} {'index files':>11} "
        f"{'index raw/gz':>16} {'open page raw/gz':>17}"
    ]
    for r in results:
        lines.append(
            f"{r['engine'] + ', ' + str(r['datasets']):32} {r['index_s']:>8} {r['index_cpu']:>7} "
            f"{r['index_peak_mb']:>8} {r['index_files']:>11} "
            f"{_kb(r['index_bytes']) + '/' + _kb(r['index_gzip']):>16} "
            f"{_kb(r['open_bytes']) + '/' + _kb(r['open_gzip']):>17}  peak of {r['peak_of']}"
        )
        for q in r["queries"]:
            found = "" if "found" not in q else ("found" if q["found"] else "not found")
            answer = f"{q['ms']} ms" if isinstance(q["ms"], int) else q["ms"]
            lines.append(
                f"    query {q['query']:12} {answer:>12} {_kb(q['bytes']) + '/' + _kb(q['gzip']):>16} "
                f"in {q['files']} files; {q.get('results', '-')} results {found}"
            )
    return "\n".join(lines)
