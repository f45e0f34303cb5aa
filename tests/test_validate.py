import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from gongkai.core.config import load_settings
from gongkai.read.load import discover
from gongkai.validate.validator import validate


def run(repo: Path):
    settings = load_settings(repo)
    return validate(discover(settings.datasets_dir), settings)


def test_the_real_datasets_are_valid():
    report = run(ROOT)
    assert report.errors == []
    # the one warning: a printed "+19" (a change in 表二's 本年增/减) is kept as the report prints it
    assert [(p.file, p.line, p.code, p.severity) for p in report.problems] == [
        ("datasets/disclosure-annual-reports/data/figures.csv", 197, "formula-like", "warning")
    ]
    assert len(report.datasets) >= 8


def test_the_tiny_fixture_is_valid(repo_factory):
    assert run(repo_factory(["tiny"])).errors == []


def test_formula_like_cells_are_a_warning_with_their_count_and_first_line(repo_factory):
    report = run(repo_factory(["tiny"]))
    assert report.valid
    assert report.flatten(["line", "field", "code", "severity"], warnings=True) == [
        [3, "name", "formula-like", "warning"]
    ]
    assert report.warnings[0].message.startswith("1 cell(s)")


def test_a_header_that_differs_only_by_spaces_is_rejected(repo_factory):
    repo = repo_factory(["tiny"])
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("code,name,", "code,name ,", 1), encoding="utf-8")
    assert run(repo).flatten(["line", "field", "code"]) == [[1, "name", "label-whitespace"]]


@pytest.mark.parametrize(
    "package, expected",
    [
        # a record spanning two lines (a quoted line break) pushes later lines down: line 4 is
        # the third record, so the type error in the second record is on line 3
        ("type-error", [["datasets/type-error/data/items.csv", 3, "amount", "type-error"]]),
        ("duplicate-primary-key", [["datasets/duplicate-primary-key/data/items.csv", 6, "code", "primary-key"]]),
        ("non-utf8", [["datasets/non-utf8/data/items.csv", 2, None, "encoding-error"]]),
        (
            "path-escape",
            [
                ["datasets/path-escape/data/items.csv", None, None, "unexpected-file"],
                ["datasets/path-escape/datapackage.json", 44, "/resources/0/path", "unsafe-path"],
            ],
        ),
        ("pinyin-artefact", [["datasets/pinyin-artefact/data/items.csv", 6, "name", "pinyin-artefact"]]),
        ("unclosed-quote", [["datasets/unclosed-quote/data/items.csv", 7, None, "csv-syntax"]]),
        ("wrong-folder-name", [["datasets/wrong-folder-name/datapackage.json", 3, "/name", "name-mismatch"]]),
    ],
)
def test_each_failure_mode_is_reported_with_file_line_and_field(repo_factory, package, expected):
    report = run(repo_factory([package]))
    assert report.flatten(["file", "line", "field", "code"]) == expected


def test_missing_metadata_names_each_missing_key(repo_factory):
    report = run(repo_factory(["missing-metadata"]))
    messages = [(p.line, p.field, p.code, p.message) for p in report.problems]
    assert (1, "/", "metadata-profile", "'publisher' is a required property") in messages
    assert (1, "/", "metadata-profile", "'licenses' is a required property") in messages


def _with_temporal(repo: Path, value) -> Path:
    """The tiny fixture with its data period replaced (None: removed), written as gongkai new writes JSON."""
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc.pop("temporal")
    if value is not None:
        desc["temporal"] = value
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return repo


def test_a_dataset_without_a_data_period_is_refused_naming_the_file_line_and_field(repo_factory):
    report = run(_with_temporal(repo_factory(["tiny"]), None))
    assert report.flatten(["file", "line", "field", "code"]) == [
        ["datasets/tiny/datapackage.json", 1, "/temporal", "temporal"]
    ]
    assert 'no data period: add "temporal"' in report.errors[0].message
    assert str(report.errors[0]).startswith("datasets/tiny/datapackage.json:1: /temporal: no data period")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2018", "is not a date YYYY-MM-DD (data as of a day) or an interval YYYY-MM-DD/YYYY-MM-DD"),
        ("2018-12-31/2018-01-01", "ends before it starts"),
        ("2018-02-30", '"2018-02-30" in "2018-02-30" is not a day of the calendar'),
        ("2018-01-01/2018-06-30/2018-12-31", "more than one"),
        (2018, "must be text"),
    ],
)
def test_a_malformed_data_period_is_refused_on_its_line_saying_what_is_wrong(repo_factory, value, says):
    repo = _with_temporal(repo_factory(["tiny"]), value)
    lines = (repo / "datasets/tiny/datapackage.json").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"temporal"' in text)
    report = run(repo)
    assert report.flatten(["file", "line", "field", "code"]) == [
        ["datasets/tiny/datapackage.json", line, "/temporal", "temporal"]
    ]
    assert says in report.errors[0].message


@pytest.mark.parametrize("value", ["2022-10-31", "2018-01-01/2018-12-31", "2024-02-29/2024-02-29"])
def test_a_date_or_an_interval_of_dates_is_a_data_period(repo_factory, value):
    assert run(_with_temporal(repo_factory(["tiny"]), value)).errors == []


def test_the_missing_metadata_fixture_is_told_of_its_data_period_too(repo_factory):
    report = run(repo_factory(["missing-metadata"]))
    assert [p.code for p in report.problems if p.field == "/temporal"] == ["temporal"]
    assert not any("'temporal'" in p.message for p in report.problems)  # not also jsonschema's wording


def test_every_problem_is_counted_across_datasets(repo_factory):
    report = run(repo_factory(["type-error", "duplicate-primary-key", "tiny"]))
    assert report.problem_count == 2
    assert {p.dataset for p in report.errors} == {"type-error", "duplicate-primary-key"}


def test_a_record_spanning_lines_is_reported_on_the_line_where_it_starts(repo_factory):
    repo = repo_factory(["tiny"])
    csv = repo / "datasets/tiny/data/items.csv"
    # the multi-line record starts on line 4; make its amount invalid
    csv.write_text(csv.read_text(encoding="utf-8").replace('文本",12,', '文本",-12,'), encoding="utf-8")
    assert run(repo).flatten(["line", "field", "code"]) == [[4, "amount", "constraint-error"]]


def test_a_symlink_is_rejected_and_never_read(repo_factory, tmp_path):
    repo = repo_factory(["tiny"])
    secret = tmp_path / "secret.csv"
    secret.write_text("code,name,amount,share,day\nSECRET-ROW,x,1,1,2019-01-01\n", encoding="utf-8")
    target = repo / "datasets/tiny/data/items.csv"
    target.unlink()
    target.symlink_to(secret)
    report = run(repo)
    assert ["datasets/tiny/data/items.csv", "symlink"] in report.flatten(["file", "code"])
    assert "SECRET" not in " ".join(str(p) for p in report.problems)


def test_a_symlinked_descriptor_is_rejected_without_a_crash(repo_factory, tmp_path):
    # load never reads a linked datapackage.json, so the folder check met a None descriptor
    repo = repo_factory(["tiny"])
    desc = repo / "datasets/tiny/datapackage.json"
    outside = tmp_path / "outside.json"
    outside.write_bytes(desc.read_bytes())
    desc.unlink()
    desc.symlink_to(outside)
    problems = run(repo).flatten(["file", "code"])
    assert [
        "datasets/tiny/datapackage.json",
        "symlink",
    ] in problems  # the data file is then unexpected: no resource was read


def test_an_empty_first_line_is_reported_as_a_missing_header(repo_factory):
    # the csv reader reads an empty line as a record with no cells: the names became a data row,
    # and a table of text fields without constraints validated
    repo = repo_factory(["tiny"])
    desc_path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    schema = desc["resources"][0]["schema"]
    schema.pop("primaryKey", None)
    for f in schema["fields"]:
        f["type"] = "string"
        f.pop("constraints", None)
    desc_path.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text("\n" + csv.read_text(encoding="utf-8"), encoding="utf-8")
    assert ["datasets/tiny/data/items.csv", 1, "blank-header"] in run(repo).flatten(["file", "line", "code"])


def test_a_remote_path_is_rejected_before_anything_reads_it(repo_factory):
    repo = repo_factory(["tiny"])
    desc = repo / "datasets/tiny/datapackage.json"
    desc.write_text(
        desc.read_text(encoding="utf-8").replace('"data/items.csv"', '"http://127.0.0.1:9/items.csv"'), encoding="utf-8"
    )
    report = run(repo)
    assert ["unsafe-path", "/resources/0/path"] in report.flatten(["code", "field"])


def test_an_unexpected_file_in_a_dataset_folder_is_reported(repo_factory):
    repo = repo_factory(["tiny"])
    (repo / "datasets/tiny/notes.txt").write_text("x", encoding="utf-8")
    (repo / "datasets/tiny/data/extra.csv").write_text("a\n1\n", encoding="utf-8")
    assert run(repo).flatten(["file", "code"]) == [
        ["datasets/tiny/data/extra.csv", "unexpected-file"],
        ["datasets/tiny/notes.txt", "unexpected-file"],
    ]


def test_changelog_must_match_version_and_modified(repo_factory):
    repo = repo_factory(["tiny"])
    (repo / "datasets/tiny/CHANGELOG.md").write_text(
        "# 更新记录\n\n## 1.1.0 — 2026-01-03\n\n改。\n\n## 1.0.0 — 2026-01-02\n\n首次。\n", encoding="utf-8"
    )
    assert run(repo).flatten(["line", "code"]) == [[3, "changelog-version"], [3, "changelog-date"]]


def test_a_topic_outside_the_fixed_list_is_rejected_with_its_line(repo_factory):
    repo = repo_factory(["tiny"])
    desc = repo / "datasets/tiny/datapackage.json"
    desc.write_text(desc.read_text(encoding="utf-8").replace('"政务公开"', '"随便"'), encoding="utf-8")
    assert run(repo).flatten(["line", "field", "code"]) == [[13, "/topics/0", "metadata-profile"]]


def test_a_quantity_without_a_unit_is_rejected(repo_factory):
    repo = repo_factory(["tiny"])
    desc = repo / "datasets/tiny/datapackage.json"
    desc.write_text(desc.read_text(encoding="utf-8").replace('"unit": "件",', ""), encoding="utf-8")
    assert run(repo).flatten(["field", "code"]) == [["/resources/0/schema/fields/2", "metadata-profile"]]


def test_two_datasets_with_the_same_id_are_rejected(repo_factory):
    repo = repo_factory(["tiny", "type-error"])
    csv = repo / "datasets/type-error/data/items.csv"
    csv.write_bytes((repo / "datasets/tiny/data/items.csv").read_bytes())
    ident = json.loads((repo / "datasets/tiny/datapackage.json").read_text(encoding="utf-8"))["id"]
    desc = repo / "datasets/type-error/datapackage.json"
    desc.write_text(
        re.sub(r'"id": "[^"]+"', f'"id": "{ident}"', desc.read_text(encoding="utf-8"), count=1), encoding="utf-8"
    )
    assert run(repo).flatten(["dataset", "code"]) == [["type-error", "duplicate-id"]]


def _one_line_per_record(csv: Path) -> Path:
    """The tiny fixture without its quoted line break, so the vectorised checks take it."""
    csv.write_text(csv.read_text(encoding="utf-8").replace('"多行\n文本"', "多行文本"), encoding="utf-8")
    return csv


def test_a_large_table_is_judged_as_a_small_one_is(repo_factory, monkeypatch):
    """Above one block the rows are read ahead in a thread and frictionless judges the descriptor
    in a process of its own: the problems found are the same, a rejected descriptor included."""
    import gongkai.validate.validator as validation

    repo = repo_factory(["tiny"])
    folder = repo / "datasets/tiny"
    descriptor = folder / "datapackage.json"
    csv = _one_line_per_record(folder / "data/items.csv")

    def both():
        ds = discover(repo / "datasets")[0]
        small = validation.check_data(ds)
        with monkeypatch.context() as m:
            m.setattr(validation, "BLOCK", 1)
            large = validation.check_data(ds)
        return small, large

    small, large = both()
    assert large == small
    assert [p.code for p in large] == ["formula-like"]
    assert validation.fast_source(csv, discover(repo / "datasets")[0].resources[0])
    desc = json.loads(descriptor.read_text(encoding="utf-8"))
    desc["image"] = 5  # frictionless's own descriptor check rejects it
    descriptor.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    small, large = both()
    assert large == small
    assert [(p.code, p.file) for p in large] == [("package-error", "datasets/tiny/datapackage.json")]
    assert "image" in large[0].message


def test_validating_a_table_never_loads_pandas(repo_factory):
    """pyarrow imports pandas on its first conversion of Python values (some 0.3 s of a core,
    in every process); gongkai needs none of it, so validation must not pay for it."""
    import subprocess
    import sys

    repo = repo_factory(["tiny"])
    _one_line_per_record(repo / "datasets/tiny/data/items.csv")
    program = (
        f"import sys; from gongkai.cli import main; status = main(['--root', {str(repo)!r}, 'validate']); "
        "print(status, 'pandas' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.stdout.split()[-2:] == ["0", "False"], result.stdout + result.stderr
