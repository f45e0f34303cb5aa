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
    ],
)
def test_wrong_usage_says_what_to_give_and_writes_nothing(tmp_path, args, said):
    repo = make_repo(tmp_path)
    done = gongkai("new", "report", *args, cwd=repo)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert not (repo / "datasets/report").exists()
