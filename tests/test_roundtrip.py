"""For every table: each download reads back equal to an independent parse of the source.

Property-based: hypothesis generates tables full of the values that pandas, Excel and
careless exporters lose (leading zeros, 18-character IDs, NA/null strings, formulas, line
breaks, CJK extension characters, emoji, long numbers) and checks CSV, JSON and XLSX
against the csv module plus the schema. GONGKAI_EXAMPLES scales the run (default 1).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from conftest import PACKAGES, ROOT, make_repo
from gongkai.config import load_settings
from gongkai.export import export_dataset
from gongkai.load import read
from gongkai.tables import read_tables
from gongkai.validate import validate_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readback import check_json, check_xlsx

SCALE = float(os.environ.get("GONGKAI_EXAMPLES", "1"))
SETTINGS = load_settings(ROOT)
FIELDS = [
    {"name": "code", "title": "代码", "type": "string", "description": "代码。"},
    {"name": "text", "title": "文本", "type": "string", "description": "文本。"},
    {"name": "count", "title": "数量", "type": "integer", "unit": "个", "description": "整数。"},
    {"name": "amount", "title": "金额", "type": "number", "unit": "万元", "description": "数值。"},
    {"name": "day", "title": "日期", "type": "date", "description": "日期。"},
]
TRICKY = [
    "000123",
    "0",
    "110101199001011234",
    "11010119900101123X",
    "91440101MA5CXXXX0X",
    "NA",
    "N/A",
    "null",
    "None",
    "nan",
    "-",
    "—",
    "TRUE",
    "=1+1",
    '=HYPERLINK("http://x")',
    "+86 20 1234",
    "-5",
    "@SUM(A1)",
    "＝1",
    "\t=1",
    "a|b",
    "{{ x }}",
    '"quoted"',
    'say "hi"',
    "line1\nline2",
    "a\r\nb",
    "𠀀𪚥",
    "😀👍",
    " lead",
    "trail ",
    "_x0041_",
    "1e5",
    "0.1",
    "1,234",
]
# Text a valid dataset may hold: no C0 controls but tab, LF and CR; no bidi controls; no surrogates.
SAFE = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
text_cell = st.one_of(st.sampled_from(TRICKY), st.text(SAFE, min_size=1, max_size=12), st.just(""))
int_cell = st.one_of(st.integers(-(10**30), 10**30).map(str), st.just(""))
num_cell = st.one_of(st.from_regex(r"-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,20})?", fullmatch=True), st.just(""))
date_cell = st.one_of(st.dates().map(lambda d: d.isoformat()), st.just(""))
row = st.tuples(st.sampled_from(TRICKY) | st.text(SAFE, min_size=1, max_size=8), text_cell, int_cell, num_cell, date_cell).map(list)
tables = st.lists(row, min_size=1, max_size=8)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("roundtrip"), packages=["tiny"])


def _dataset(repo, rows):
    folder = repo / "datasets/tiny"
    shutil.rmtree(folder)
    shutil.copytree(PACKAGES / "tiny", folder)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["schema"] = {"fields": FIELDS}
    (folder / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([[f["name"] for f in FIELDS], *rows])
    (folder / "data/items.csv").write_text(buf.getvalue(), encoding="utf-8")
    return read(folder, repo)


def _settings(n: int):
    return settings(
        derandomize=not os.environ.get("GONGKAI_EXPLORE"),
        max_examples=int(n * SCALE),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@_settings(1000)
@given(rows=tables)
def test_csv_json_and_xlsx_read_back_value_for_value(repo, rows):
    ds = _dataset(repo, rows)
    folder = repo / "export"
    shutil.rmtree(folder, ignore_errors=True)
    # Tiny chunks, so every table streams through its exports in several pieces.
    out = export_dataset(ds, read_tables(ds, block_size=256, chunk_rows=3), SETTINGS.site_url, folder)
    files = {rel: path.read_bytes() for rel, path in out.files.items()}
    assert files["datasets/tiny/items.csv"] == (ds.root / "data/items.csv").read_bytes()
    check_json(files["datasets/tiny/items.json"], FIELDS, _source_rows(ds))
    if "datasets/tiny/items.xlsx" not in files:  # U+FFFE/U+FFFF cannot go into XML: a notice says so
        assert "U+FFFE" in out.notices["items.xlsx"]
        assert any("\ufffe" in cell or "\uffff" in cell for r in rows for cell in r)
        return
    check_xlsx(files["datasets/tiny/items.xlsx"], FIELDS, _source_rows(ds))


@_settings(200)
@given(rows=tables)
def test_generated_tables_are_valid_so_the_round_trip_covers_publishable_data(repo, rows):
    ds = _dataset(repo, rows)
    errors = [str(p) for p in validate_dataset(ds, SETTINGS) if p.is_error]
    assert errors == []


def _source_rows(ds) -> list[list[str]]:
    text = (ds.root / "data/items.csv").read_bytes().decode("utf-8")  # read_text would turn \r\n into \n
    return list(csv.reader(io.StringIO(text, newline="")))[1:]
