"""The query page in a real browser (Debian's chromium via Playwright): DuckDB-Wasm as published
with the site, every request outside the site blocked, over a server that answers Range requests."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, gongkai_process, make_repo
from rangeserver import serving

CHROMIUM = Path("/usr/bin/chromium")
ENGINE = ROOT / "tools/duckdb/dist"
PREFIX = "/gongkai/"
DIVISIONS = "datasets/administrative-divisions/"

_missing = (
    "Debian's chromium is not installed; `make test` installs it"
    if not CHROMIUM.exists()
    else "DuckDB-Wasm is not installed: run `make duckdb`"
    if not (ENGINE / "duckdb.mjs").is_file()
    else None
)
if _missing:
    if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
        raise RuntimeError(_missing)
    pytest.skip(_missing, allow_module_level=True)

from test_browser import browser  # noqa: E402, F401  (the fixture shared with the page tests)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def query_site(tmp_path_factory):
    """The divisions dataset built with the query engine (linked from tools/duckdb/dist)."""
    repo = make_repo(tmp_path_factory.mktemp("query"), real=["administrative-divisions"])
    (repo / "tools/duckdb").mkdir(parents=True)
    (repo / "tools/duckdb/dist").symlink_to(ENGINE)
    result = gongkai_process("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site"


@pytest.fixture(scope="module")
def served(query_site):
    with serving(query_site, PREFIX) as (base, counted):
        yield base, counted


@pytest.fixture
def page(browser):  # noqa: F811
    """A page whose every request off 127.0.0.1 is refused (and listed): the engine, its
    extensions and the data must all come from the site."""
    context = browser.new_context(accept_downloads=True)
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith("http://127.0.0.1"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.outside = outside
    yield pg
    context.close()
    assert outside == [], "requests outside the site"


def _ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(
        "document.querySelector('.gk-query-run') && !document.querySelector('.gk-query-run').disabled"
    )


def _run(page, sql: str) -> str:
    page.fill(".gk-query-sql", sql)
    _answer(page, lambda: page.click(".gk-query-run"))
    return page.locator(".gk-query-status").inner_text()


def _answer(page, ask) -> None:
    """Ask, then wait for the status line's answer. It is cleared first: two queries can end with
    the same words ("共 11 行，用时 36 毫秒"), and waiting for the words to change would wait for ever."""
    page.evaluate("document.querySelector('.gk-query-status').textContent = ''")
    ask()
    page.wait_for_function(
        "() => { const e = document.querySelector('.gk-query-status');"
        " return e.textContent !== '' && !e.className.includes('busy'); }"
    )


def _result(page) -> tuple[list[str], list[list[str]]]:
    header = page.locator(".gk-query-result thead th").all_inner_texts()
    rows = [r.locator("td").all_inner_texts() for r in page.locator(".gk-query-result tbody tr").all()]
    return header, rows


def _crosstab(page) -> dict[tuple[str, str], int]:
    """The dataset page's own counts (统计): district -> kind -> units, zeros left out."""
    table = page.locator("#gk-crosstabs ~ div table, h2:has-text('统计') ~ div table").first
    kinds = table.locator("thead th").all_inner_texts()[1:-1]
    counts = {}
    for row in table.locator("tbody tr").all():
        cells = row.locator("th, td").all_inner_texts()
        if cells[0] in ("合计", "Total"):
            continue
        counts.update({(cells[0], k): int(n) for k, n in zip(kinds, cells[1:-1], strict=True) if int(n)})
    return counts


def test_units_per_district_and_kind_match_the_crosstab_and_download_as_the_same_rows(page, served):
    base, _ = served
    page.goto(base + DIVISIONS)
    shown = _crosstab(page)
    assert len(shown) > 10
    assert page.locator("a[href='query/']").count() == 1  # linked from the dataset page
    _ready(page, base + DIVISIONS + "query/")
    said = _run(
        page,
        "SELECT district_name, kind, count(*) AS units FROM streets GROUP BY district_name, kind ORDER BY 1, 2",
    )
    assert re.search(r"共 \d+ 行", said), said
    header, rows = _result(page)
    assert header == ["district_name", "kind", "units"]
    assert {(d, k): int(n) for d, k, n in rows} == shown
    with page.expect_download() as done:
        page.click(".gk-query-download")
    data = Path(done.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    records = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert records == [header, *rows]


def test_the_example_queries_run_and_codes_keep_their_leading_zeros(page, served):
    base, _ = served
    _ready(page, base + DIVISIONS + "query/")
    buttons = page.locator(".gk-query-example")
    assert 2 <= buttons.count() <= 4
    for i in range(buttons.count()):
        _answer(page, buttons.nth(i).click)
        assert "共" in page.locator(".gk-query-status").inner_text()
    _run(page, "SELECT code, typeof(code) AS t FROM districts ORDER BY code LIMIT 1")
    assert _result(page)[1] == [["440103", "VARCHAR"]]


def test_bad_sql_says_what_is_wrong_in_chinese_and_names_no_table_twice(page, served):
    base, _ = served
    _ready(page, base + DIVISIONS + "query/")
    said = _run(page, "SELECT * FROM nowhere")
    assert said.startswith("查询出错：没有名为 nowhere 的表"), said
    said = _run(page, "SELECT missing_column FROM streets")
    assert "没有名为 missing_column 的列" in said, said
    said = _run(page, "SELECT * FROM streets WHERE (")
    assert said.startswith("查询出错：") and "请检查表名和列名" in said, said
    said = _run(page, "DROP VIEW streets")
    assert said == "只能运行查询（SELECT、WITH、DESCRIBE 等），不能修改数据。"
    assert page.locator(".gk-query-download").is_disabled()


def test_the_english_page_queries_the_same_files(page, served):
    base, counted = served
    _ready(page, base + "en/" + DIVISIONS + "query/")
    said = _run(page, "SELECT count(*) AS n FROM streets")
    assert said.endswith("ms."), said
    assert _result(page)[1] == [["176"]] or int(_result(page)[1][0][0]) > 100
    assert counted.sent[PREFIX + DIVISIONS + "streets.parquet"] > 0


def _big_parquet(folder: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth
    from gongkai.export.parquet import write_parquet
    from gongkai.read.load import read
    from gongkai.read.tables import read_table

    repo = synth.repo(folder / "big-repo")
    synth.big_dataset(repo, rows)
    ds = read(repo / "datasets/big", repo)
    table = read_table(ds, ds.resources[0])
    target = folder / "big.parquet"
    write_parquet(target, table.fields, ["id"], table.chunks())
    return target


def test_a_key_filter_on_a_million_rows_fetches_under_a_tenth_of_the_file(page, served, query_site, tmp_path):
    base, counted = served
    big = _big_parquet(tmp_path, 1_000_000)
    (query_site / "big").mkdir(exist_ok=True)
    target = query_site / "big/records.parquet"
    os.link(big, target) if not target.exists() else None
    path = PREFIX + "big/records.parquet"
    _ready(page, base + DIVISIONS + "query/")
    said = _run(
        page, f"SELECT id, district, amount FROM read_parquet('{base}big/records.parquet') WHERE id = 'R000654321'"
    )
    assert "共 1 行" in said, said
    assert _result(page)[1][0][0] == "R000654321"
    size = target.stat().st_size
    fetched = counted.sent[path]
    print(f"range read: {fetched:,} of {size:,} bytes ({fetched / size:.1%}) in {counted.ranges[path]} range requests")
    assert counted.ranges[path] > 0 and fetched < size / 10


def test_the_query_page_with_a_result_has_no_serious_accessibility_violations(page, served):
    from axe_playwright_python.sync_playwright import Axe

    base, _ = served
    _ready(page, base + DIVISIONS + "query/")
    _run(page, "SELECT * FROM streets LIMIT 20")
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    results = Axe().run(page, options=options)
    page.set_viewport_size({"width": 390, "height": 844})
    results.response["violations"] += Axe().run(page, options=options).response["violations"]
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
