"""The table explorer of dataset pages (docs/assets/explorer.js): its settings, the box the
template writes (hostile titles escaped on the one path), and the explorer in Chromium on the
real catalog: sorting, filtering, the view in the URL, the filtered download byte for byte,
the phone width and the page without JavaScript."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT
from gongkai.core.config import load_settings
from gongkai.core.errors import ConfigError
from gongkai.publish.verify import page_problems
from gongkai.render.render import render_dataset
from selectolax.lexbor import LexborHTMLParser
from test_templates import HOSTILE, tiny_model  # noqa: F401  (a fixture)

BOM = b"\xef\xbb\xbf"
STREETS = ROOT / "datasets/administrative-divisions/data/streets.csv"
FIGURES = ROOT / "datasets/key-area-disclosure/data/figures.csv"


# --- settings and template --------------------------------------------------------------------


def _settings_with(tmp_path, line: str | None):
    text = (ROOT / "gongkai.yml").read_text(encoding="utf-8")
    text = re.sub(r"\n  explorer_rows: \d+", "" if line is None else f"\n  explorer_rows: {line}", text)
    (tmp_path / "gongkai.yml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def test_the_explorer_row_limit_is_a_setting_with_a_default(tmp_path):
    assert load_settings(ROOT).limits.explorer_rows == 50000  # gongkai.yml says so
    assert _settings_with(tmp_path, "1200").limits.explorer_rows == 1200
    assert _settings_with(tmp_path, None).limits.explorer_rows == 50000  # an older gongkai.yml
    with pytest.raises(ConfigError, match="limits.explorer_rows: must be a positive number"):
        _settings_with(tmp_path, "0")


def _boxes(page: str) -> list:
    return LexborHTMLParser(page.split("\n---\n", 1)[1]).css(".gk-explorer[data-gk-explorer]")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_explorer_box_carries_hostile_titles_as_data_never_as_markup(tiny_model, lang):  # noqa: F811
    model, extras, _, settings = tiny_model
    page = render_dataset(model, extras, settings, lang)
    assert "gongkai_explorer: true" in page.split("\n---\n", 1)[0]  # main.html loads the script on this page
    (box,) = _boxes(page)
    fields = json.loads(box.attributes["data-fields"])
    resource = model["tables"][0]
    assert [f["name"] for f in fields] == [f["name"] for f in resource["fields"]]
    assert fields[0]["title"] == (HOSTILE if lang == "zh" else "Item " + HOSTILE)  # every character, as data
    assert [f["type"] for f in fields] == [f["type"] for f in resource["fields"]]
    assert box.attributes["data-rows"] == str(resource["rows"])
    assert box.attributes["data-limit"] == str(settings.limits.explorer_rows)
    assert box.attributes["data-csv"] == ("" if lang == "zh" else "../../../datasets/tiny/") + "items.csv"
    words = json.loads(box.attributes["data-words"])
    assert words["download"] == ("下载筛选结果" if lang == "zh" else "Download filtered rows")
    # the attribute's source text: JSON escaped once for HTML, nothing a parser could read as markup
    source = re.search(r'data-fields="([^"]*)"', page).group(1)
    assert "<" not in source and "{" not in source and "\n" not in source
    # the static preview stays inside the box, for a reader without JavaScript
    assert box.css_first("table") is not None and box.css("tbody tr")


def test_a_built_dataset_page_loads_the_explorer_and_passes_the_site_check(built_tiny):
    for rel, up in (("datasets/tiny/index.html", "../../"), ("en/datasets/tiny/index.html", "../../../")):
        html = (built_tiny / "site" / rel).read_text(encoding="utf-8")
        tree = LexborHTMLParser(html)
        scripts = [s.attributes.get("src") for s in tree.css("script[src]")]
        assert (
            f"{up}assets/explorer.js" in scripts and "defer" in tree.css_first("script[src$='explorer.js']").attributes
        )
        assert tree.css_first(f"link[href='{up}assets/explorer.css']") is not None
        assert not tree.css("article script[src]")  # from the theme's template, not the page body
        assert page_problems(html)[0] == []
    for rel in ("index.html", "datasets/index.html", "about/index.html"):  # other pages do not load it
        assert "explorer.js" not in (built_tiny / "site" / rel).read_text(encoding="utf-8")
    assert (built_tiny / "site/assets/explorer.js").is_file() and (built_tiny / "site/assets/explorer.css").is_file()


# --- in the browser: test_browser's Chromium and server (the real catalog under a sub-path) ---

try:
    from test_browser import browser, server  # noqa: F401  (fixtures)
except pytest.skip.Exception:  # no Chromium: the tests above still run
    browser = server = None
in_browser = pytest.mark.skipif(browser is None, reason="Debian's chromium is not installed")


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert pg.errors == []
    context.close()


def _open(page, url: str, resource: str):
    page.goto(url)
    box = page.locator(f".gk-explorer[data-name='{resource}']")
    box.locator(".gk-ex-table tbody tr").first.wait_for(timeout=15000)
    return box


def _column(box, index: int) -> list[str]:
    return box.locator(f".gk-ex-table tbody tr td:nth-child({index + 1})").all_inner_texts()


def _csv(path) -> tuple[bytes, list[list[str]], list[bytes]]:
    """The header line, the rows and each row's own line of a CSV with no line break in a cell."""
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(table) == len(lines)
    return lines[0], table[1:], lines[1:]


def _count(box, text: str) -> None:
    box.locator(".gk-ex-count", has_text=text).wait_for(timeout=5000)


@in_browser
@pytest.mark.browser
def test_a_numeric_column_sorts_as_numbers(page, server):
    box = _open(page, server + "datasets/key-area-disclosure/", "figures")
    _, rows, _ = _csv(FIGURES)
    header = box.locator(".gk-ex-table th", has_text="数值")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = [float(v) for v in _column(box, 2)]
    assert values == sorted(float(r[2]) for r in rows)
    assert [str(v) for v in values] != sorted(str(v) for v in values)  # as text, 141 would come before 23
    header.locator("button").press("Enter")  # the keyboard works the same
    assert header.get_attribute("aria-sort") == "descending"
    assert [float(v) for v in _column(box, 2)] == sorted(values, reverse=True)
    assert box.locator("th[aria-sort]").count() == 1


@in_browser
@pytest.mark.browser
def test_empty_cells_sort_last_both_ways(page, server):
    box = _open(page, server + "datasets/key-area-disclosure/", "figures")
    button = box.locator(".gk-ex-table th", has_text="所属合计").locator("button")
    for _ in ("ascending", "descending"):
        button.click()
        cells = _column(box, 9)
        filled = [c for c in cells if c]
        assert filled and cells == filled + [""] * (len(cells) - len(filled))
    button.click()  # a third click: the file's own order again
    assert box.locator(".gk-ex-table th[aria-sort]").count() == 0
    assert _column(box, 0) == [r[0] for r in _csv(FIGURES)[1]]


TIMES = [
    "2020-01-01T10:00:00+08:00",  # 02:00 UTC: first in time, though not as text
    "2020-01-01T03:00:00Z",
    "",
    "2019-12-31T23:30:00-05:00",  # 04:30 UTC on 1 January
]


@in_browser
@pytest.mark.browser
def test_date_times_sort_as_times(page, server):
    """A datetime column (the page's column types rewritten in transit, the CSV served in place)."""

    def as_times(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("&quot;string&quot;", "&quot;datetime&quot;"))

    page.route(re.compile(r".*/datasets/administrative-divisions/$"), as_times)
    body = HEAD + "".join(f"{t},n{i},k,d,x,c,p\r\n" for i, t in enumerate(TIMES))
    page.route("**/streets.csv", lambda route: route.fulfill(body=body.encode("utf-8"), content_type="text/csv"))
    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    box.locator(".gk-ex-table th", has_text="区划代码").locator("button").click()
    assert _column(box, 0) == [TIMES[0], TIMES[1], TIMES[3], ""]
    box.locator(".gk-ex-table th", has_text="区划代码").locator("button").click()
    assert _column(box, 0) == [TIMES[3], TIMES[1], TIMES[0], ""]


@in_browser
@pytest.mark.browser
def test_the_filter_keeps_the_rows_that_contain_the_words_and_the_url_keeps_the_view(page, server):
    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    _, rows, _ = _csv(STREETS)
    _count(box, f"共 {len(rows)} 行，筛选后 {len(rows)} 行")
    assert box.locator(".gk-ex-page").inner_text() == "第 1 / 4 页"  # 50 rows a page
    box.get_by_label("在全部列中查找").fill("沙面")
    wanted = [r for r in rows if any("沙面" in c for c in r)]
    _count(box, f"共 {len(rows)} 行，筛选后 {len(wanted)} 行")
    assert box.locator("[aria-live=polite]").inner_text() == f"共 {len(rows)} 行，筛选后 {len(wanted)} 行"
    assert _column(box, 0) == [r[0] for r in wanted] and _column(box, 1) == ["沙面街道"]
    # a value list for a column of few values, a text box for one of many
    box.locator("summary").click()
    assert box.get_by_label("所属区", exact=True).evaluate("e => e.tagName") == "SELECT"
    assert box.get_by_label("名称", exact=True).evaluate("e => e.tagName") == "INPUT"
    box.get_by_label("在全部列中查找").fill("")
    box.get_by_label("所属区", exact=True).select_option("天河区")
    box.locator(".gk-ex-table th", has_text="区划代码").locator("button").click()
    box.locator(".gk-ex-table th", has_text="区划代码").locator("button").click()
    tianhe = sorted((r for r in rows if r[4] == "天河区"), key=lambda r: r[0], reverse=True)
    _count(box, f"筛选后 {len(tianhe)} 行")
    assert _column(box, 0) == [r[0] for r in tianhe]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"streets.f.district_name": ["天河区"], "streets.sort": ["code"], "streets.desc": ["1"]}
    # a shared link opens the same view
    page.goto(page.url)
    box = page.locator(".gk-explorer[data-name='streets']")
    _count(box, f"筛选后 {len(tianhe)} 行")
    assert _column(box, 0) == [r[0] for r in tianhe]
    assert box.get_by_label("所属区", exact=True).input_value() == "天河区"
    assert box.locator(".gk-ex-table th", has_text="区划代码").get_attribute("aria-sort") == "descending"
    page.goto(server + "datasets/administrative-divisions/?streets.q=%E6%B2%99%E9%9D%A2&districts.page=1")
    box = page.locator(".gk-explorer[data-name='streets']")
    _count(box, f"筛选后 {len(wanted)} 行")
    assert box.get_by_label("在全部列中查找").input_value() == "沙面"
    # the other table on the page keeps its own view
    districts = page.locator(".gk-explorer[data-name='districts'] .gk-ex-count")
    assert districts.inner_text() == "共 11 行，筛选后 11 行"


@in_browser
@pytest.mark.browser
def test_the_filtered_download_is_the_csvs_own_lines(page, server):
    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    header, rows, lines = _csv(STREETS)
    box.get_by_label("在全部列中查找").fill("天河")
    wanted = [i for i, r in enumerate(rows) if any("天河" in c for c in r)]
    _count(box, f"筛选后 {len(wanted)} 行")
    box.locator(".gk-ex-table th", has_text="名称").locator("button").click()  # in pinyin order, as shown
    shown = _column(box, 0)
    assert sorted(shown) == sorted(rows[i][0] for i in wanted)
    with page.expect_download() as info:
        box.get_by_role("button", name="下载筛选结果").click()
    download = info.value
    assert download.suggested_filename == "streets-筛选.csv"
    by_code = {rows[i][0]: lines[i] for i in wanted}
    assert open(download.path(), "rb").read() == BOM + header + b"".join(by_code[c] for c in shown)


HEAD = "code,name,kind,district_code,district_name,city_code,province_code\r\n"
HARD = [
    '1,"沙面, 有逗号",街道,2,"荔湾区\n第二行",3,4\r\n',
    '2,"他说""沙面""",街道,2,"",3,4\r\n',
    "3,岭南街道,街道,2,荔湾区,3,4\r\n",
    '4,沙面尾行,"a\r\nb",2,x,3,4',  # the last line has no line end
]


@in_browser
@pytest.mark.browser
def test_quoted_fields_and_crlf_lines_reach_the_download_as_written(page, server):
    """RFC 4180's hard cases, served in place of the CSV: commas, line breaks and doubled quotes
    inside quotes, \r\n line ends, a last line without one."""
    body = (HEAD + "".join(HARD)).encode("utf-8")
    page.route("**/streets.csv", lambda route: route.fulfill(body=body, content_type="text/csv"))
    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    _count(box, "共 4 行，筛选后 4 行")
    assert _column(box, 1) == ["沙面, 有逗号", '他说"沙面"', "岭南街道", "沙面尾行"]
    assert _column(box, 4)[0] == "荔湾区\n第二行"
    box.get_by_label("在全部列中查找").fill("沙面")
    _count(box, "筛选后 3 行")
    with page.expect_download() as info:
        box.get_by_role("button", name="下载筛选结果").click()
    expected = BOM + (HEAD + HARD[0] + HARD[1] + HARD[3] + "\n").encode("utf-8")
    assert open(info.value.path(), "rb").read() == expected


@in_browser
@pytest.mark.browser
def test_a_table_beyond_the_limit_shows_its_first_rows_and_says_so(page, server):
    def fewer(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('data-limit="50000"', 'data-limit="60"'))

    page.route(re.compile(r".*/datasets/administrative-divisions/$"), fewer)
    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    _count(box, "共 60 行，筛选后 60 行")
    note = box.locator(".gk-ex-note")
    assert "全表共 178 行，这里只列出、筛选前 60 行" in note.inner_text()
    assert note.locator("a").get_attribute("href").endswith("/datasets/administrative-divisions/streets.csv")
    assert box.locator(".gk-ex-page").inner_text() == "第 1 / 2 页"
    box.get_by_role("button", name="下一页").click()
    assert box.locator(".gk-ex-page").inner_text() == "第 2 / 2 页" and len(_column(box, 0)) == 10
    assert box.get_by_role("button", name="上一页").evaluate("e => e === document.activeElement")  # not lost
    assert "streets.page=2" in page.url


@in_browser
@pytest.mark.browser
def test_the_english_page_has_english_controls(page, server):
    box = _open(page, server + "en/datasets/administrative-divisions/", "streets")
    _count(box, "178 rows, 178 after filtering")
    assert box.get_by_label("Find in all columns").count() == 1
    assert box.get_by_role("button", name="Download filtered rows").count() == 1
    assert box.locator(".gk-ex-page").inner_text() == "Page 1 of 4"


@in_browser
@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 360])
def test_the_explorer_fits_a_phone_and_its_targets_are_big_enough(browser, server, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    box = _open(pg, server + "datasets/administrative-divisions/", "streets")
    box.locator("summary").click()
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    small = box.locator("button, input, select, summary").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length"
    )
    assert small == 0
    scroll = box.locator(".gk-ex-scroll")
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")  # the wide table scrolls in its own box
    context.close()


@in_browser
@pytest.mark.browser
def test_the_open_explorer_has_no_serious_accessibility_violation(page, server):
    from axe_playwright_python.sync_playwright import Axe

    box = _open(page, server + "datasets/administrative-divisions/", "streets")
    box.locator("summary").click()
    results = Axe().run(page, context=".gk-explorer")
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


@in_browser
@pytest.mark.browser
def test_without_javascript_the_static_preview_and_every_link_are_there(browser, server):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "datasets/administrative-divisions/")
    box = pg.locator(".gk-explorer[data-name='streets']")
    assert box.locator(".gk-table table tbody tr").count() == 20 and box.locator(".gk-ex").count() == 0
    assert "前 20 行，共 178 行" in box.inner_text()
    links = pg.locator("a[href$='streets.csv'], a[href$='streets.xlsx'], a[href$='streets.bom.csv']").count()
    assert links >= 3
    context.close()
