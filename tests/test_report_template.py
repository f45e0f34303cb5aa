"""`gongkai new --template annual-report-2021 --body … --year …`: a body's annual report scaffolded
as a dataset of the national tables, every row and column labelled and every cell to fill named by
validate until filled; filled consistently it validates, and a broken sum is refused at its cell.
A dataset of these tables renders its page in the report's six parts, each table laid out as the
national format lays it out, in both languages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import PACKAGES as PACKAGES_DIR
from conftest import ROOT, gongkai, make_repo
from gongkai.core.config import load_settings
from gongkai.read.load import discover
from gongkai.read.nationaltables import cells_of
from gongkai.scaffold.reporttemplate import CELL
from gongkai.validate.validator import validate
from test_national_tables import _complete

FORMATS = {  # template -> (year, its tables' schemas)
    "annual-report-2021": (
        2021,
        [
            "schemas/annual-report/2021/table-2.json",
            "schemas/annual-report/2021/table-3.json",
            "schemas/annual-report/table-4.json",
        ],
    ),
    "annual-report-2019": (
        2020,
        [
            "schemas/annual-report/2019/table-2.json",
            "schemas/annual-report/2019/table-3.json",
            "schemas/annual-report/table-4.json",
        ],
    ),
}
BODY = "广州市人民政府"  # a publisher of gongkai.yml


def _schema(rel: str) -> dict:
    return json.loads((ROOT / rel).read_text(encoding="utf-8"))


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _scaffold(tmp_path: Path, template: str, body: str = BODY, name: str = "report") -> Path:
    repo = make_repo(tmp_path)
    year = FORMATS[template][0]
    done = gongkai("new", name, "--template", template, "--body", body, "--year", str(year), cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def _report(repo: Path):
    settings = load_settings(repo)
    return validate(discover(settings.datasets_dir), settings)


@pytest.mark.parametrize("template", FORMATS)
def test_the_template_scaffolds_every_row_and_column_label(tmp_path, template):
    repo = _scaffold(tmp_path, template)
    folder = repo / "datasets/report"
    year, schemas = FORMATS[template]
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["title"] == f"{BODY}{year}年政府信息公开工作年度报告"
    assert desc["temporal"] == f"{year}-01-01/{year}-12-31" and desc["publisher"] == {"name": BODY}
    assert [r["schema"] for r in desc["resources"]] == ["/" + s for s in schemas]  # by reference
    assert [r["path"] for r in desc["resources"]] == ["data/table-2.csv", "data/table-3.csv", "data/table-4.csv"]
    expected_cells = []
    for res, rel in zip(desc["resources"], schemas, strict=True):
        schema = _schema(rel)
        rows = _rows(folder / res["path"])
        assert rows[0] == [f["name"] for f in schema["fields"]]  # every column
        labelled = [(r["code"], r["label"]) for r in schema.get("rows", [])]
        assert [tuple(r[:2]) for r in rows[1:]] == labelled or (not labelled and len(rows) == 2)  # every row
        for line, (row, got) in enumerate(zip(schema.get("rows") or [None], rows[1:], strict=True), 2):
            wanted = cells_of(schema, row)
            for name, cell in zip(rows[0], got, strict=True):
                if name in ("row_code", "row_label"):
                    continue
                assert cell == (CELL if name in wanted else ""), (res["path"], line, name)
                if cell:
                    expected_cells.append([f"datasets/report/{res['path']}", line, name])
    # 表三 and 表四 have every cell; 表二 only its blocks' own (规章 has 本年制发件数, 行政许可 does not)
    assert len([c for c in expected_cells if "table-3" in c[0]]) == len(_schema(schemas[1])["rows"]) * 7
    assert len([c for c in expected_cells if "table-4" in c[0]]) == 15
    table_2 = {(c[1], c[2]) for c in expected_cells if "table-2" in c[0]}
    assert (2, "repealed_this_year" if year >= 2021 else "new_published") in table_2
    assert (4, "repealed_this_year" if year >= 2021 else "new_published") not in table_2
    report = _report(repo)  # each cell still to fill, at its line and column, and the named placeholders
    # a number's cell is a type-error, 2019's unit of the procurement total (元 or 万元) an enum's
    cells = [p[:3] for p in report.flatten(["file", "line", "field", "code"]) if p[3].endswith("-error")]
    assert cells == expected_cells
    placeholders = [p.params["value"] for p in report.errors if p.code == "placeholder"]
    assert any("一、总体情况" in v for v in placeholders) and any("来源网址" in v for v in placeholders)


def _fill(repo: Path, template: str) -> Path:
    """The scaffold filled as a maintainer fills it: every marked cell from a consistent table, the
    metadata's and README's placeholders with the report's details."""
    folder = repo / "datasets/report"
    for rel in FORMATS[template][1]:
        number = re.search(r"table-(\d)", rel).group(1)
        path = folder / f"data/table-{number}.csv"
        rows, complete = _rows(path), _complete(_schema(rel))
        filled = [[c2 if c == CELL else c for c, c2 in zip(r, r2, strict=True)] for r, r2 in zip(rows, complete)]
        _write_rows(path, filled)
    desc_path = folder / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    desc["sources"][0].update(path="https://www.gz.gov.cn/report.html", date="2022-01-30")
    desc_path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    readme = re.sub(r"待填写：报告“([^”]+)”的原文", r"\1的原文。", readme)
    readme = readme.replace("（待填写：报告的网址和发布日期）", "（https://www.gz.gov.cn/report.html，2022-01-30）")
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


@pytest.mark.parametrize("template", FORMATS)
def test_filled_consistently_the_scaffold_validates(tmp_path, template):
    repo = _scaffold(tmp_path, template)
    _fill(repo, template)
    report = _report(repo)
    assert report.flatten(["file", "line", "field", "code"]) == [] and report.warnings == []


def test_filled_with_a_broken_sum_it_is_refused_at_the_cell(tmp_path):
    repo = _scaffold(tmp_path, "annual-report-2021")
    folder = _fill(repo, "annual-report-2021")
    rows = _rows(folder / "data/table-3.csv")
    line = next(i for i, r in enumerate(rows, 1) if r[0] == "granted")
    column = rows[0].index("natural_person")
    rows[line - 1][column] = str(int(rows[line - 1][column]) + 2)  # 予以公开 by 自然人: 2 too many
    _write_rows(folder / "data/table-3.csv", rows)
    problems = _report(repo).errors
    at = [(p.file, p.line, p.field, p.code) for p in problems]
    file = "datasets/report/data/table-3.csv"
    assert (file, line, "total", "sum-mismatch") in at  # the row's applicants no longer sum to its total
    results = next(i for i, r in enumerate(rows, 1) if r[0] == "results_total")
    assert (file, results, "natural_person", "sum-mismatch") in at  # nor the column's results to （七）总计
    assert all(p.code == "sum-mismatch" for p in problems), at


def test_a_body_not_in_the_settings_is_a_named_placeholder(tmp_path):
    repo = _scaffold(tmp_path, "annual-report-2021", body="广州市荔湾区人民政府")
    desc = json.loads((repo / "datasets/report/datapackage.json").read_text(encoding="utf-8"))
    assert desc["publisher"]["name"].startswith("待填写") and "广州市荔湾区人民政府" in desc["publisher"]["name"]
    assert desc["title"] == "广州市荔湾区人民政府2021年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--template", "annual-report-2021", "--body", BODY, "--year", "2020"], "annual-report-2019"),
        (["--template", "annual-report-2019", "--body", BODY, "--year", "2022"], "annual-report-2021"),
        (["--template", "annual-report-2019", "--body", BODY, "--year", "2018"], "2019"),
        (["--template", "annual-report-2030", "--body", BODY, "--year", "2030"], "annual-report-2019"),
        (["--template", "annual-report-2021", "--year", "2021"], "--body"),
        (["--template", "annual-report-2021", "--body", BODY, "--year", "2021", "--from", "x.csv"], "--from"),
        ([], "--template"),
        (["--template", "annual-report-2021", "--body", BODY, "--year", "2021", "--resource", "t"], "--resource"),
    ],
)
def test_wrong_usage_says_what_to_give_and_writes_nothing(tmp_path, args, said):
    repo = make_repo(tmp_path)
    done = gongkai("new", "report", *args, cwd=repo)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert not (repo / "datasets/report").exists()


# --- the page: an annual report in the national layout ------------------------------------------

LAYOUT = "annual-report-2021"  # tests/fixtures/packages: a complete report, 表二 to 表四 and its prose


@pytest.fixture(scope="module")
def report_site(tmp_path_factory):
    """A site with the fixture report, the two-table fixture and a dataset of no national table."""
    repo = make_repo(tmp_path_factory.mktemp("report"), [LAYOUT, "annual-report-tables", "tiny"])
    done = gongkai("build", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def _page(repo: Path, name: str, lang: str):
    from selectolax.lexbor import LexborHTMLParser

    prefix = "en/" if lang == "en" else ""
    return LexborHTMLParser((repo / f"site/{prefix}datasets/{name}/index.html").read_text(encoding="utf-8"))


def _words(lang: str) -> dict:
    from gongkai.render.messages import TABLES

    return TABLES[lang]


def _text(node) -> str:
    return node.text(deep=True, separator="").strip().removesuffix("¶").strip()  # a heading's permalink


def _span(node, attr: str) -> int:
    return int(node.attributes.get(attr) or 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_the_six_parts_in_order_then_the_usual_sections(report_site, lang):
    page = _page(report_site, LAYOUT, lang)
    words = _words(lang)
    headings = [_text(h) for h in page.css("article h2")]
    parts = words["annual_report"]["parts"]
    assert [h for h in headings if h in parts] == parts  # all six, in the official order
    after = headings[headings.index(parts[-1]) + 1 :]
    for usual in ("data", "dictionary", "readme", "sources"):  # the usual page follows
        assert words["sections"][usual] in after, (usual, after)
    body = page.css_first("article").html
    overview = body.index(parts[0])
    assert body.index("这是一段虚构的总体情况", overview) < body.index(parts[1])  # the README's prose in its part
    readme = page.css_first(".gk-readme:not(.gk-report-text)")
    assert "虚构的总体情况" not in _text(readme) and "一份虚构报告" in _text(readme)  # not shown twice
    tables = [_text(h) for h in page.css("article h3")]
    titles = {"zh": "表三 收到和处理政府信息公开申请情况", "en": "Table 3: applications for government"}
    assert any(t.startswith(titles[lang]) for t in tables)


def _grid(page, title_start: str):
    """The national grid(s) under the h3 whose text starts so."""
    heading = next(h for h in page.css("article h3") if _text(h).startswith(title_start))
    grids, node = [], heading.next
    while node is not None and node.tag not in ("h2", "h3"):
        if node.tag == "div" and "gk-national" in (node.attributes.get("class") or ""):
            grids.append(node.css_first("table"))
        node = node.next
    return grids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_3_has_its_rows_down_its_applicants_across_and_its_group_rows_spanning(report_site, lang):
    schema = _schema("schemas/annual-report/2021/table-3.json")
    page = _page(report_site, LAYOUT, lang)
    (table,) = _grid(page, "表三" if lang == "zh" else "Table 3")
    top, second = table.css("thead tr")
    heads = [(_text(c), _span(c, "colspan"), _span(c, "rowspan")) for c in top.css("th")]
    group = {"zh": "法人或其他组织", "en": "Legal persons and other organisations"}[lang]
    first = {"zh": "自然人", "en": "Natural persons"}[lang]
    last = {"zh": "总计", "en": "Total"}[lang]
    assert heads == [(first, 1, 2), (group, 5, 1), (last, 1, 2)]
    corner = top.css_first("td")
    assert (_span(corner, "colspan"), _span(corner, "rowspan")) == (3, 2)
    assert "第一项加第二项" in _text(corner) if lang == "zh" else "rows one and two" in _text(corner)
    leaves = [_text(c) for c in second.css("th")]
    fields = [f for f in schema["fields"] if f["name"] not in ("row_code", "row_label")]
    english = [f["title_en"] for f in fields[1:6]]
    assert leaves == ([f["title"].split("：")[1] for f in fields[1:6]] if lang == "zh" else english)
    rows = table.css("tbody tr")
    assert len(rows) == len(schema["rows"]) == 25
    key = "label_en" if lang == "en" else "label"
    assert [_text(r.css("th[scope=row]")[0]) for r in rows] == [r[key] for r in schema["rows"]]  # the rows down
    data = {r[0]: r for r in _rows(PACKAGES_DIR / LAYOUT / "data/table-3.csv")}
    for tr, row in zip(rows, schema["rows"], strict=True):  # value for value, the seven columns across
        assert [_text(td) for td in tr.css("td")] == data[row["code"]][2:]
    spans = {_text(th): _span(th, "rowspan") for th in table.css("tbody th[scope=rowgroup]")}
    results = {"zh": "三、本年度办理结果", "en": "III. Results this year"}[lang]
    denied = {"zh": "（三）不予公开", "en": "(3) Not disclosed"}[lang]
    assert spans[results] == 22 and spans[denied] == 8  # as the official table spans them
    assert rows[2].css("th")[0].text() == results and rows[4].css("th")[0].text() == denied  # where they begin
    assert [_span(rows[i].css("th[scope=row]")[0], "colspan") for i in (0, 2, 4, 24)] == [3, 2, 1, 3]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_4_has_its_three_groups_as_a_two_level_header(report_site, lang):
    schema = _schema("schemas/annual-report/table-4.json")
    (table,) = _grid(_page(report_site, LAYOUT, lang), "表四" if lang == "zh" else "Table 4")
    top, second = table.css("thead tr")
    key, mark = ("title_en", ": ") if lang == "en" else ("title", "：")
    groups = list(dict.fromkeys(f[key].split(mark)[0] for f in schema["fields"]))
    assert [(_text(c), _span(c, "colspan")) for c in top.css("th")] == [(g, 5) for g in groups]
    assert [_text(c) for c in second.css("th")] == [f[key].split(mark)[1] for f in schema["fields"]]
    (row,) = table.css("tbody tr")
    assert [_text(td) for td in row.css("td")] == _rows(PACKAGES_DIR / LAYOUT / "data/table-4.csv")[1]


def test_table_2_is_laid_out_block_by_block_with_each_blocks_own_columns(report_site):
    grids = _grid(_page(report_site, LAYOUT, "zh"), "表二")
    assert [_text(g.css_first("caption")) for g in grids] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    heads = [[_text(th) for th in g.css("thead th")] for g in grids]
    assert heads[0] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert heads[2] == ["信息内容", "本年处理决定数量"] and heads[3] == ["信息内容", "本年收费金额（单位：万元）"]
    assert [[_text(c) for c in tr.css("th, td")] for tr in grids[2].css("tbody tr")] == [
        ["行政处罚", "6"],
        ["行政强制", "7"],
    ]


def test_a_part_the_dataset_lacks_says_so_and_other_datasets_keep_the_usual_page(report_site):
    page = _page(report_site, "annual-report-tables", "zh")  # 表三 and 表四 only, no prose
    missing = page.css(".gk-report-missing")
    assert len(missing) == 4 and _text(missing[0]) == _words("zh")["annual_report"]["missing"]  # 一、二、五、六
    assert len(page.css(".gk-national")) == 2
    tiny = _page(report_site, "tiny", "zh")
    assert tiny.css(".gk-national") == [] and tiny.css(".gk-report-intro") == []


SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "width"), [("zh", 1366), ("zh", 390), ("en", 1366), ("en", 390)])
def test_the_report_page_in_chromium(report_site, lang, width):
    """The page at a laptop's and a phone's width: the page itself never scrolls sideways (表三 and
    表四 scroll inside their own box), a group heading's cell covers exactly the rows it spans, and
    axe finds nothing serious. Screenshots go to build/screenshots/."""
    test_browser = pytest.importorskip("test_browser")  # skips without Debian's chromium
    import functools
    import http.server
    import threading

    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    handler = functools.partial(test_browser._SubPathHandler, directory=str(report_site / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}{test_browser.PREFIX}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(test_browser.CHROMIUM), args=["--no-sandbox"])
            pg = browser.new_page(viewport={"width": width, "height": 900})
            failed = []
            pg.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
            pg.goto(base + ("en/" if lang == "en" else "") + f"datasets/{LAYOUT}/")
            pg.wait_for_load_state("networkidle")
            assert failed == []
            assert pg.evaluate("document.documentElement.scrollWidth") <= width
            boxes = pg.evaluate(
                """() => {
                const th = [...document.querySelectorAll('.gk-national th[scope=rowgroup]')][0];
                const rows = [...th.closest('tbody').rows];
                const first = rows.indexOf(th.parentElement), last = first + th.rowSpan - 1;
                const box = (e) => e.getBoundingClientRect();
                const wrap = th.closest('.gk-national');
                return {top: box(th).top, bottom: box(th).bottom, first: box(rows[first]).top,
                        last: box(rows[last]).bottom, span: th.rowSpan,
                        scrolls: wrap.scrollWidth > wrap.clientWidth, tab: wrap.tabIndex};
            }"""
            )
            assert boxes["span"] == 22
            assert abs(boxes["top"] - boxes["first"]) < 1 and abs(boxes["bottom"] - boxes["last"]) < 1, boxes
            if width == 390:
                assert boxes["scrolls"] and boxes["tab"] == 0  # 表三 scrolls in its box, by keyboard too
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            table = pg.locator(".gk-national").nth(4)  # 表三 (after 表二's four blocks)
            table.screenshot(path=str(SCREENSHOTS / f"report-table-3-{lang}-{width}.png"))
            pg.screenshot(path=str(SCREENSHOTS / f"report-{lang}-{width}.png"), full_page=True)
            options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
            serious = [
                v
                for v in Axe().run(pg, options=options).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
            browser.close()
    finally:
        httpd.shutdown()


def test_the_report_pages_convert_the_same_with_their_blocks_kept_apart(report_site):
    from gongkai.render.rawhtml import stash, unstash
    from test_rawhtml import _body, _converter

    convert = _converter()
    for lang in ("zh", "en"):
        page = report_site / "build/docs/datasets" / LAYOUT / ("index.md" if lang == "zh" else "index.en.md")
        text = _body(page.read_text(encoding="utf-8"))
        stashed, blocks = stash(text)
        assert unstash(convert(stashed), blocks) == convert(text), lang
        assert sum("gk-national" in b for b in blocks) == 6  # 表二's four blocks, 表三, 表四: each kept whole


def test_a_2019_report_lays_out_its_own_rows_and_the_procurement_total_with_its_unit(tmp_path):
    from conftest import generate

    repo = _scaffold(tmp_path, "annual-report-2019")
    _fill(repo, "annual-report-2019")
    page = (generate(repo) / "datasets/report/index.md").read_text(encoding="utf-8")
    schema = _schema("schemas/annual-report/2019/table-3.json")
    assert page.count('<th scope="row"') >= len(schema["rows"]) and "（六）其他处理</th>" in page
    assert '<th scope="rowgroup" rowspan="20">三、本年度办理结果</th>' in page  # 19 results and their total
    assert "<caption>第二十条第（九）项</caption>" in page and ">251000 元</td>" in page
    report = page[page.index("gk-report-intro") : page.index("## 数据")]
    assert "采购总金额的单位" not in report  # the unit goes with its figure, not in a column of its own
