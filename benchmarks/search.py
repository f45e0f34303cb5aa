"""The benchmark's `search` part: search engines side by side on the synthetic catalogs (issue 17).

For each catalog size `gongkai build` makes two sites: the site as it is (its own index, written by
the pipeline: engine "ours"; Pagefind then indexes its HTML) and a copy with Material's search plugin
and Material's own header put back (engine "material"). Then Debian's chromium (Playwright) opens the
home page of each site served locally and asks each query, each engine in a fresh browser context with
the other engines' search files blocked. Measured per engine and size:

- index build: wall and CPU seconds and peak memory. Ours: the pipeline's build_index call, timed in
  the build process, whose peak RSS (VmHWM) is reset just before it (so the peak counts what the
  process already held plus the index build, not the pages before it). Pagefind: its own process,
  peak RSS from wait4's rusage. Material: the time spent in the search plugin's events inside MkDocs
  (a timer hook added to that copy's mkdocs.yml); its peak is the MkDocs process's VmHWM, the whole
  build's (the index cannot be told apart from the pages);
- the index on disk: files, bytes, gzip bytes (each file compressed alone, level 6);
- what opening a page downloads of search data, and for each query the search data fetched from
  opening the page to the answer (raw and gzip bytes of the files on disk), the time from asking
  to the answer, the results and whether the expected dataset is among them. One row is planted in
  a CSV of set-0000 only, with a street and a code that no page of the site mentions, so only an
  engine that indexes row values finds them.

Adding an engine: put an `Engine` in ENGINES.

    site: "gongkai" or "material"
        Which of the two sites it searches.

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

# The planted row (a street and its code), only in one CSV of set-0000; no page of docs/ names them.
ROW = "440106013,猎德街道,猎德街道事项,2020-01-01,1.00,1\n"
ROW_DATASET = "datasets/set-0000/"
# (query, what it tests, the dataset a good answer holds; None: any result is an answer)
QUERIES = [
    ("基准测试", "Chinese word in every dataset's title", None),
    ("猎德", "part of a street name in a CSV cell only", ROW_DATASET),
    ("440106013", "code in a CSV cell only", ROW_DATASET),
    ("440106", "code prefix in a CSV cell only", ROW_DATASET),
]
QUICK_QUERIES = QUERIES[:2]


@dataclass(frozen=True)
class Engine:
    site: str
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
TIMER_HOOK = '''"""Benchmark only: the time Material's search plugin takes inside MkDocs."""
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
    for event in ("page_context", "post_build"):
        methods = config.plugins.events[event]
        for i, method in enumerate(methods):
            if getattr(method, "__self__", None) is search and not getattr(method, "bench_timed", False):
                methods[i] = _timed(method, last=event == "post_build")
    return config
'''

# Material's search as the site had it before its own index: the plugin (Chinese, jieba installed),
# Material's header with its search box, and neither of our search box's files.
MATERIAL_EDITS = [
    ("plugins:\n", "plugins:\n  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-]+'\n"),
    ("      reconfigure_material: true\n", "      reconfigure_material: true\n      reconfigure_search: false\n"),
    ("  - scripts/gongkai/mkdocs_hook.py\n", "  - scripts/gongkai/mkdocs_hook.py\n  - scripts/bench_search_timer.py\n"),
]
OUR_BOX = ("assets/search.js", "assets/search.css")
OUR_PARTIALS = ("overrides/partials/header.html", "overrides/partials/search.html")


def material_site(root: Path) -> None:
    """The benchmark's copy of the repository turned into a site searched by Material's plugin."""
    (root / "scripts/bench_search_timer.py").write_text(TIMER_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in MATERIAL_EDITS:
        assert old in text, f"mkdocs.yml has no {old.strip()!r}: the benchmark's Material copy needs updating"
        text = text.replace(old, new, 1)
    lines = [line for line in text.splitlines(keepends=True) if not any(box in line for box in OUR_BOX)]
    config.write_text("".join(lines), encoding="utf-8")
    for partial in OUR_PARTIALS:
        (root / partial).unlink()


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
    return path == "search/search_index.json" or path.startswith("assets/javascripts/workers/search")


# --- ours (scripts/gongkai/search: shards fetched on the first query) -----------------------------------

OUR_TIMES = "build/bench-index-times.json"
OUR_TIMER = """# Benchmark only: gongkai build, with the pipeline's build_index call timed.
import json, os, sys, time
from pathlib import Path
import gongkai.build
from gongkai.cli import main

index = gongkai.build.build_index

def status(key):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(key + ":"))
    return round(int(line.split()[1]) / 1024, 1)

def timed(*args, **kwargs):
    try:
        Path("/proc/self/clear_refs").write_text("5")  # the peak from here on: what is held + the index
        reset = True
    except OSError:
        reset = False
    held, wall, cpu = status("VmRSS"), time.perf_counter(), time.process_time()
    try:
        return index(*args, **kwargs)
    finally:
        spent = {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                 "peak_mb": status("VmHWM"), "held_mb": held, "reset": reset}
        Path(os.environ["GONGKAI_BENCH_TIMES"]).write_text(json.dumps(spent))

gongkai.build.build_index = timed
sys.exit(main(sys.argv[1:]))
"""


def ours_build(site: Path, root: Path) -> dict:
    spent = json.loads((root / OUR_TIMES).read_text(encoding="utf-8"))
    held = f"the build process while indexing ({spent['held_mb']:.0f} MB held before it)"
    return {
        "seconds": round(spent["seconds"], 3),
        "cpu": round(spent["cpu"], 3),
        "peak_mb": spent["peak_mb"],
        "peak_of": held if spent["reset"] else "the whole build process (its peak could not be reset)",
    }


# Results shown, or the box's word for none (Material's own: 没有找到符合条件的结果 / No matching documents)
SHOWN = """() => {
  if (document.querySelector('.md-search-result__item')) return true;
  const meta = document.querySelector('.md-search-result__meta');
  return !!meta && /没有找到|No matching|unavailable|不可用/.test(meta.textContent);
}"""


def ours_query(page, text: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(text)  # the box waits 150 ms after the last keystroke, as for a person typing: counted
    page.wait_for_function(SHOWN, timeout=TIMEOUT_MS)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def ours_owns(path: str) -> bool:
    return (path.startswith("search/") and path != "search/search_index.json") or path.startswith(OUR_BOX)


def ours_index(site: Path) -> list[Path]:
    return [p for lang in ("zh", "en") for p in (site / "search" / lang).rglob("*") if p.is_file()]


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
    "ours": Engine("gongkai", ours_build, ours_query, ours_owns, ours_index),
    "material": Engine(
        "material", material_build, material_query, material_owns, lambda site: [site / "search/search_index.json"]
    ),
    "pagefind": Engine(
        "gongkai",
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
    opened = [p for p in dict.fromkeys(opened) if (site / p).is_file()]
    row["open"] = _bytes(site / p for p in opened) | {"paths": opened}
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


def build_site(tmp: Path, n: int, site: str) -> tuple[Path, dict]:
    """The synthetic catalog of n datasets with the planted row, built by `gongkai build` as the
    site is ("gongkai", the index build timed) or with Material's search ("material")."""
    root = synth.repo(tmp / f"search-{site}-{n}")
    synth.catalog(root, n)
    with (root / "datasets/set-0000/data/items.csv").open("a", encoding="utf-8") as f:
        f.write(ROW)
    if site == "material":
        material_site(root)
        cmd = [str(BIN / "gongkai"), "--root", str(root), "build"]
        times = TIMES
    else:
        cmd = [sys.executable, "-c", OUR_TIMER, "--root", str(root), "build"]
        times = OUR_TIMES
    built = measure(cmd, env=dict(os.environ, GONGKAI_BENCH_TIMES=str(root / times)))
    if built["exit"] != 0:
        raise RuntimeError(built["output"])
    return root, built


def bench_search(tmp: Path, sizes: list[int], quick: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    queries = QUICK_QUERIES if quick else QUERIES
    results = []
    for n, kind in ((n, kind) for n in sizes for kind in dict.fromkeys(e.site for e in ENGINES.values())):
        root, built = build_site(tmp, n, kind)
        site = root / "site"
        engines = {name: engine for name, engine in ENGINES.items() if engine.site == kind}
        indexed = {name: engine.build(site, root) for name, engine in engines.items()}
        httpd = _serve(site)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
                for name, engine in engines.items():
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
                            "open_paths": asked[0]["open"]["paths"],
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
