"""The national tables of the annual reports as shared schemas (schemas/): each validates a complete
table and refuses a broken sum at its cell; a dataset names one by reference and no other
reference is accepted; the site publishes them byte for byte with a page listing every row and column."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import PACKAGES, ROOT, generate
from gongkai.core.config import load_settings
from gongkai.read.load import discover
from gongkai.validate.validator import validate

SCHEMAS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").rglob("*.json"))
WITH_SUMS = [s for s in SCHEMAS if json.loads((ROOT / s).read_text(encoding="utf-8")).get("sums")]
FIXTURE = "annual-report-tables"


def _schema(rel: str) -> dict:
    return json.loads((ROOT / rel).read_text(encoding="utf-8"))


def _complete(schema: dict) -> list[list[str]]:
    """A made-up table every sum of the schema holds for: the parts filled, the totals computed."""
    fields = [f["name"] for f in schema["fields"]]
    numbers = [f["name"] for f in schema["fields"] if f["type"] in ("integer", "number")]
    if "rows" not in schema:  # one line (表四): each group's parts, then their total
        row = {f: str(i % 5) for i, f in enumerate(numbers)}
        for rule in schema["sums"]:
            row[rule["total"][0]] = str(sum(int(row[p]) for p in rule["parts"]))
        return [fields, [row[f] for f in fields]]
    codes = [r["code"] for r in schema["rows"]]
    table = {r["code"]: {"row_code": r["code"], "row_label": r["label"]} for r in schema["rows"]}
    if not schema.get("sums"):  # 表二: any figures in the cells
        for i, code in enumerate(codes):
            table[code].update({f: str(i + j) for j, f in enumerate(numbers) if f != "procurement_amount"})
            if "procurement_amount" in numbers:
                table[code].update(procurement_amount="251000", procurement_amount_unit="元")
        return [fields] + [[table[c].get(f, "") for f in fields] for c in codes]
    # 表三: results by applicant, their total, what was carried over and forward, and row totals
    applicants = [f for f in numbers if f != "total"]
    results = next(rule for rule in schema["sums"] if rule["total"] == ["results_total"])["parts"]
    for k, a in enumerate(applicants):
        for i, code in enumerate(results):
            table[code][a] = str((i * 3 + k) % 7)
        done = sum(int(table[c][a]) for c in results)
        table["results_total"][a] = str(done)
        table["carried_over"][a], table["carried_forward"][a] = str(k), str(k + 2)
        table["new_received"][a] = str(done + (k + 2) - k)
    for code in codes:
        table[code]["total"] = str(sum(int(table[code][a]) for a in applicants))
    return [fields] + [[table[c][f] for f in fields] for c in codes]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _repo(tmp: Path) -> Path:
    repo = tmp / "repo"
    (repo / "datasets").mkdir(parents=True)
    shutil.copy(ROOT / "gongkai.yml", repo / "gongkai.yml")
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    shutil.copytree(PACKAGES / FIXTURE, repo / "datasets" / FIXTURE)
    return repo


def _with_table(repo: Path, schema_rel: str, rows: list[list[str]], **extra) -> Path:
    """The fixture dataset with its first resource laid out by `schema_rel`, holding `rows`."""
    folder = repo / "datasets" / FIXTURE
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0].update(schema="/" + schema_rel, **extra)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "data/table-3.csv").write_text(_csv(rows), encoding="utf-8")
    return folder


def _report(repo: Path):
    settings = load_settings(repo)
    return validate(discover(settings.datasets_dir), settings)


def test_the_fixture_tables_are_valid_by_reference(tmp_path):
    # 表三 named by its site-absolute path, 表四 by the site's URL (gongkai.yml's site_url)
    descriptor = json.loads((PACKAGES / FIXTURE / "datapackage.json").read_text(encoding="utf-8"))
    site_url = load_settings(ROOT).site_url
    assert [r["schema"] for r in descriptor["resources"]] == [
        "/schemas/annual-report/2021/table-3.json",
        site_url + "schemas/annual-report/table-4.json",
    ]
    report = _report(_repo(tmp_path))
    assert report.flatten(["file", "code"]) == [] and report.warnings == []


@pytest.mark.parametrize("schema_rel", SCHEMAS)
def test_each_schema_validates_a_complete_table(tmp_path, schema_rel):
    repo = _repo(tmp_path)
    _with_table(repo, schema_rel, _complete(_schema(schema_rel)))
    assert _report(repo).flatten(["file", "line", "field", "code"]) == []


@pytest.mark.parametrize("schema_rel", WITH_SUMS)
def test_each_schema_refuses_a_broken_sum_naming_the_cell(tmp_path, schema_rel):
    repo = _repo(tmp_path)
    rows = _complete(_schema(schema_rel))
    header, last = rows[0], len(rows) - 1
    total = header.index("total") if "total" in header else header.index("review_total")
    rows[last][total] = str(int(rows[last][total]) + 3)  # the last line's total: 3 too many
    _with_table(repo, schema_rel, rows)
    problems = _report(repo).errors
    file = f"datasets/{FIXTURE}/data/table-3.csv"
    at = [(p.file, p.line, p.field, p.code) for p in problems]
    assert (file, last + 1, header[total], "sum-mismatch") in at, at
    first = problems[at.index((file, last + 1, header[total], "sum-mismatch"))]
    assert int(first.params["right"]) - int(first.params["left"]) == 3 and first.params["difference"] == "-3"
    assert f"= {first.params['left']}" in first.message and f"= {first.params['right']}" in first.message


@pytest.mark.parametrize("schema_rel", [s for s in SCHEMAS if "rows" in _schema(s)])
def test_a_row_left_out_of_a_national_table_is_named_with_its_label(tmp_path, schema_rel):
    repo = _repo(tmp_path)
    rows = _complete(_schema(schema_rel))
    left_out = rows.pop(2)  # the second data row
    _with_table(repo, schema_rel, rows)
    problems = [p for p in _report(repo).errors if p.code == "national-row-missing"]
    assert [(p.file, p.field, p.params["code"]) for p in problems] == [
        (f"datasets/{FIXTURE}/data/table-3.csv", "row_code", left_out[0])
    ]
    assert problems[0].params["label"] == left_out[1]


def test_a_broken_column_of_table_3_is_named_at_its_total(tmp_path):
    # 本年新收 + 上年结转 = 办理结果总计 + 结转下年度: the row sums still hold, the column's does not
    repo = _repo(tmp_path)
    rows = _complete(_schema("schemas/annual-report/2021/table-3.json"))
    header = rows[0]
    line = {r[0]: i + 1 for i, r in enumerate(rows)}
    new = rows[line["new_received"] - 1]
    new[header.index("natural_person")] = str(int(new[header.index("natural_person")]) + 1)
    new[header.index("total")] = str(int(new[header.index("total")]) + 1)
    _with_table(repo, "schemas/annual-report/2021/table-3.json", rows)
    problems = _report(repo).errors
    at = line["results_total"]  # the total column's sum breaks with it: both are named
    assert [(p.line, p.field, p.code) for p in problems] == [
        (at, "natural_person", "sum-mismatch"),
        (at, "total", "sum-mismatch"),
    ]
    assert [p.params["difference"] for p in problems] == ["1", "1"]
    from gongkai.core.problemtext import describe

    assert "自然人列中" in describe(problems[0], "zh") and "相差 1" in describe(problems[0], "zh")


def test_a_sum_the_report_prints_wrong_is_a_warning_only_with_its_note(tmp_path):
    repo = _repo(tmp_path)
    rows = _complete(_schema("schemas/annual-report/table-4.json"))
    rows[1][rows[0].index("review_total")] = "99"
    other = [{"field": "lit_direct_total", "note": "原表如此印刷"}]
    _with_table(repo, "schemas/annual-report/table-4.json", rows, arithmeticNotes=other)
    assert _report(repo).flatten(["field", "code"]) == [["review_total", "sum-mismatch"]]  # the note names another
    noted = [{"field": "review_total", "note": "原表如此印刷"}]
    _with_table(repo, "schemas/annual-report/table-4.json", rows, arithmeticNotes=noted)
    report = _report(repo)
    assert report.errors == []
    assert report.flatten(["line", "field", "code"], warnings=True) == [[2, "review_total", "sum-mismatch"]]
    assert "原表如此印刷" in report.warnings[0].message


@pytest.mark.parametrize(
    "reference",
    [
        "http://example.org/x.json",
        "../x.json",
        "/schemas/../gongkai.yml",
        "/schemas/annual-report/2021/table-9.json",
        "https://gongkai-data.github.io.example.org/schemas/annual-report/table-4.json",
        "/datasets/tiny/datapackage.json",
    ],
)
def test_a_reference_elsewhere_is_refused_saying_what_is_allowed(tmp_path, reference):
    repo = _repo(tmp_path)
    folder = repo / "datasets" / FIXTURE
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = reference
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = [p for p in _report(repo).errors if p.code == "external-reference"]
    assert [(p.field, p.line) for p in problems] == [("/resources/0/schema", _line_of(folder, '"schema": "'))]
    assert reference in problems[0].message and "/schemas/<…>.json" in problems[0].message


def test_a_link_in_schemas_is_never_followed(tmp_path):
    repo = _repo(tmp_path)
    (repo / "outside.json").write_text('{"fields": [{"name": "x", "type": "string"}]}', encoding="utf-8")
    os.symlink(repo / "outside.json", repo / "schemas/linked.json")
    folder = repo / "datasets" / FIXTURE
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = "/schemas/linked.json"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    problems = [p for p in _report(repo).errors if p.code == "external-reference"]
    assert len(problems) == 1 and "symbolic link" in problems[0].message


def _line_of(folder: Path, text: str) -> int:
    lines = (folder / "datapackage.json").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_the_published_descriptor_holds_the_schema_written_out(tmp_path):
    repo = _repo(tmp_path)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "docs", repo / "docs")
    docs = generate(repo)
    published = json.loads((docs / f"datasets/{FIXTURE}/datapackage.json").read_text(encoding="utf-8"))
    schemas = [r["schema"] for r in published["resources"]]
    expected = ["schemas/annual-report/2021/table-3.json", "schemas/annual-report/table-4.json"]
    assert [s == _schema(rel) for s, rel in zip(schemas, expected, strict=True)] == [True, True]


def test_the_site_publishes_each_schema_byte_for_byte_with_its_page(built_site):
    site = built_site / "site"
    index = _text(site / "schemas/index.html")
    for rel in SCHEMAS:
        assert (site / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
        assert _schema(rel)["title"] in index
        for lang in ("", "en/"):
            assert (site / lang / rel.removesuffix(".json") / "index.html").is_file()
    lock = (ROOT / "urls.lock").read_text(encoding="utf-8").splitlines()
    assert {"/schemas/", "/en/schemas/", *("/" + rel for rel in SCHEMAS)} <= set(lock)


@pytest.mark.parametrize("schema_rel", SCHEMAS)
def test_the_schema_page_lists_every_row_and_column_with_its_article(built_site, schema_rel):
    schema = _schema(schema_rel)
    for lang in ("", "en/"):
        page = _text(built_site / "site" / lang / schema_rel.removesuffix(".json") / "index.html")
        cells = [[c.strip() for c in line.split(" | ")] for line in page.splitlines() if " | " in line]
        for f in schema["fields"]:  # name first, the article last
            assert any(c[0] == f["name"] and c[-1] == f.get("article", "") for c in cells), (lang, f["name"])
        for r in schema.get("rows", []):  # code, label (with its English on the English page), group, article
            assert any(c[0] == r["code"] and r["label"] in c[1] and c[-1] == r["article"] for c in cells), (
                lang,
                r["code"],
            )
        assert schema["version"] in page and "/" + schema_rel in page


def _text(path: Path) -> str:
    """A page's table cells as `a | b | c` lines, and its other text, as a reader sees it."""
    markup = path.read_text(encoding="utf-8")
    markup = re.sub(r"</t[dh]>\s*<t[dh][^>]*>", " | ", markup)
    markup = re.sub(r"</tr>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_update_keeps_the_reference_and_the_fixed_columns(tmp_path):
    from conftest import gongkai

    repo = _repo(tmp_path)
    folder = repo / "datasets" / FIXTURE
    before = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    rows = _complete(_schema("schemas/annual-report/table-4.json"))
    rows[1] = [str(int(v) * 2) for v in rows[1]]  # every sum still holds
    (tmp_path / "new.csv").write_text(_csv(rows), encoding="utf-8")
    done = gongkai("update", FIXTURE, "--from", str(tmp_path / "new.csv"), "--resource", "table-4", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    after = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert after["resources"][1]["schema"] == before["resources"][1]["schema"]  # still the reference
    assert (folder / "data/table-4.csv").read_text(encoding="utf-8") == _csv(rows)
    wider = [[*rows[0], "note"], [*rows[1], "x"]]
    (tmp_path / "wider.csv").write_text(_csv(wider), encoding="utf-8")
    refused = gongkai("update", FIXTURE, "--from", str(tmp_path / "wider.csv"), "--resource", "table-4", cwd=repo)
    assert refused.returncode == 2 and "table-4.json" in refused.stderr, refused.stderr
    assert (folder / "data/table-4.csv").read_text(encoding="utf-8") == _csv(rows)
