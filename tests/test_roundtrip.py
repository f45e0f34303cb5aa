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
import shutil

import pytest
from conftest import PACKAGES, ROOT, examples, make_repo
from gongkai.core.config import load_settings
from gongkai.export.downloads import export_dataset
from gongkai.read.load import read
from gongkai.read.tables import read_tables
from gongkai.validate.text import CONTROL
from gongkai.validate.validator import validate_dataset
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from readback import check_json, check_xlsx

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
# Text a valid dataset may hold: no C0 controls but tab, LF and CR; no bidi controls, U+FFFE, U+FFFF or surrogates.
SAFE = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc"),
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff",
)
text_cell = st.one_of(st.sampled_from(TRICKY), st.text(SAFE, min_size=1, max_size=12), st.just(""))
int_cell = st.one_of(st.integers(-(10**30), 10**30).map(str), st.just(""))
num_cell = st.one_of(st.from_regex(r"-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,20})?", fullmatch=True), st.just(""))
date_cell = st.one_of(st.dates().map(lambda d: d.isoformat()), st.just(""))
row = st.tuples(
    st.sampled_from(TRICKY) | st.text(SAFE, min_size=1, max_size=8), text_cell, int_cell, num_cell, date_cell
).map(list)
tables = st.lists(row, min_size=1, max_size=8)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("roundtrip"), packages=["tiny"])


def _dataset(repo, rows, fields=FIELDS):
    folder = repo / "datasets/tiny"
    shutil.rmtree(folder)
    shutil.copytree(PACKAGES / "tiny", folder)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["schema"] = {"fields": fields}
    (folder / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "data/items.csv").write_bytes(_csv_text([[f["name"] for f in fields], *rows]).encode("utf-8"))
    return read(folder, repo)


def _csv_text(rows) -> str:
    """As csv.writer writes, and a lone CR quoted too (csv.writer leaves it bare: a line break)."""

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    return "".join(",".join(map(cell, row)) + "\n" for row in rows)


def _settings(n: int):
    return settings(
        max_examples=examples(n),
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


# Any character UTF-8 can hold, from every plane (a lone surrogate cannot be written to a file
# at all; the descriptor's "\\ud800" escape is refused, tests/test_security_values.py), and
# the ones that break readers most often: line and paragraph separators, NEL and other C1
# controls, noncharacters, format characters, C0 controls and bidi controls (these two refused).
KEPT = [
    "\u0085",
    "\u2028",
    "\u2029",
    "\x80",
    "\x9f",
    "\ufdd0",
    "\U0001fffe",
    "\U0010ffff",
    "\u200b",
    "\ufeff",
    "\U000e0041",
    "\u00ad",
]
KEPT += ["\r", "\n", "\t", '"', ",", "_x0085_", "\r\n"]
REFUSED = ["\x00", "\x1b", "\x7f", "\x0b", "\u202e", "\u2066", "\ufffe", "\uffff"]
# Random characters from every plane, the refused ones left to `poison` so that about half the
# tables are valid and go all the way through the exports.
ANY = st.characters(
    codec="utf-8",
    exclude_characters="".join(
        c
        for c in map(chr, [*range(0x20), 0x7F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF])
        if CONTROL.match(c)
    ),
)
wild_text = st.lists(st.one_of(ANY, st.sampled_from(KEPT)), min_size=1, max_size=10).map("".join)
wild_row = st.tuples(wild_text, wild_text, int_cell, num_cell, date_cell).map(list)
REFUSED_TEXT = CONTROL  # C0 (but tab, LF, CR), DEL, bidi controls, U+FFFE, U+FFFF: validate/text.py


@_settings(300)
@given(
    rows=st.lists(wild_row, min_size=1, max_size=6),
    titles=st.lists(wild_text, min_size=2, max_size=2),
    poison=st.none() | st.tuples(st.sampled_from(REFUSED), st.integers(0, 2)),
)
def test_any_unicode_reads_back_equal_from_json_and_xlsx_or_is_refused_with_a_problem(repo, rows, titles, poison):
    if poison:  # one refused character in a title or a cell
        char, where = poison
        if where < 2:
            titles[where] += char
        else:
            rows[-1][1] += char
    fields = [dict(f) for f in FIELDS]
    titles = [f"标题{t}" for t in titles]  # the profile asks for a Chinese title
    fields[0]["title"], fields[1]["title"] = titles
    ds = _dataset(repo, rows, fields)
    problems = validate_dataset(ds, SETTINGS)  # never raises
    errors = [p for p in problems if p.is_error]
    text = "".join(titles) + "".join(c for r in rows for c in r[:2])
    event("refused" if errors else "read back")
    if errors:  # refused: each says where, and only what cannot be published
        assert {p.code for p in errors} <= {"control-character", "pinyin-artefact"}, [str(p) for p in errors]
        assert all(p.file.startswith("datasets/tiny/") and (p.line or 0) >= 1 for p in errors)
        assert REFUSED_TEXT.search(text) or "pinyin-artefact" in {p.code for p in errors}
        return
    assert not REFUSED_TEXT.search(text)
    folder = repo / "export"
    shutil.rmtree(folder, ignore_errors=True)
    out = export_dataset(ds, read_tables(ds, block_size=256, chunk_rows=2), SETTINGS.site_url, folder)
    files = {rel: path.read_bytes() for rel, path in out.files.items()}
    source = _source_rows(ds)
    assert files["datasets/tiny/items.csv"] == (ds.root / "data/items.csv").read_bytes()
    check_json(files["datasets/tiny/items.json"], fields, source)  # U+0085, U+2028, U+2029 are kept, not line breaks
    published = json.loads(files["datasets/tiny/datapackage.json"].decode("utf-8"))
    assert [f["title"] for f in published["resources"][0]["schema"]["fields"][:2]] == titles
    check_xlsx(files["datasets/tiny/items.xlsx"], fields, source)  # every valid table has one
