"""Hostile values in dataset files: each is refused with its file, line and field, or kept.

Issue 14, classes "denial of service and crashes" (data) and "values not kept": deep or
non-standard JSON in datapackage.json, huge records, lines and cells in a CSV, numbers no
download can hold, invisible characters in keys. Every case drives the real CLI.
"""

from __future__ import annotations

import json
import re
import resource
import time
import unicodedata
import zipfile
from decimal import Decimal

import pytest
from conftest import examples, gongkai, gongkai_process
from gongkai.core.config import Limits
from gongkai.validate.limits import _header, shape_limits
from gongkai.validate.text import CONTROL, INVISIBLE
from hypothesis import given, settings
from hypothesis import strategies as st

HEADER = "code,name,amount,share,day\n"
DESCRIPTOR = "datasets/tiny/datapackage.json"
CSV = "datasets/tiny/data/items.csv"


def _descriptor(repo, before: str, after: str) -> None:
    path = repo / DESCRIPTOR
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def _problems(result) -> list[tuple[str, int | None, str | None, str]]:
    """(file, line, field, code) of each line `gongkai validate` printed."""
    found = []
    for line in result.stdout.splitlines():
        m = re.match(r"^(\S+?)(?::(\d+))?: (?:(\S.*?): )?(?:warning: )?.*\[([a-z0-9-]+)\]$", line)
        if m:
            found.append((m.group(1), int(m.group(2)) if m.group(2) else None, m.group(3), m.group(4)))
    return found


def _validate(repo):
    result = gongkai("validate", cwd=repo)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _report(repo):
    """validate in this process (the CLI's own function; a subprocess costs seconds of imports)."""
    from gongkai.core.config import load_settings
    from gongkai.read.load import discover
    from gongkai.validate.validator import validate

    settings = load_settings(repo)
    return validate(discover(settings.datasets_dir, max_nesting=settings.limits.max_nesting), settings)


def _found(report, *, warnings: bool = False) -> list[tuple]:
    rows = report.flatten(["file", "line", "field", "code"]) + (
        report.flatten(["file", "line", "field", "code"], warnings=True) if warnings else []
    )
    return [tuple(r) for r in rows]


# --- datapackage.json ----------------------------------------------------------------------------


# (value, code): every value no JSON reader keeps, each under its own key of one descriptor
HAZARDS = [
    ("NaN", "json-number"),
    ("Infinity", "json-number"),
    ("-Infinity", "json-number"),
    ("1e400", "json-number"),  # Python reads it as inf, and would write Infinity
    ("-1e400", "json-number"),
    ("1e-400", "json-number"),  # reads back as 0
    ("9007199254740993", "json-number"),  # 2^53 + 1: a browser reads 9007199254740992
    ("-123456789012345678901234567890", "json-number"),
]
WITHIN = ["9007199254740992", "1e308", "-0.0", "2.5e-308", '"\\ud83d\\ude00"', '"\\\\ud800"', "[" * 25 + "]" * 25]


def test_descriptor_values_no_json_reader_keeps_are_refused_with_line_and_pointer(repo_factory):
    repo = repo_factory(["tiny"])
    bad = "".join(f'  "bad{i}": {{"at": {v}}},\n' for i, (v, _) in enumerate(HAZARDS))
    good = "".join(f'  "good{i}": {v},\n' for i, v in enumerate(WITHIN))
    _descriptor(repo, '  "keywords": [', bad + good + '  "keywords": [')
    found = [p for p in _found(_report(repo)) if p[3].startswith("json-")]
    assert found == [(DESCRIPTOR, 15 + i, f"/bad{i}/at", code) for i, (_, code) in enumerate(HAZARDS)]


@pytest.mark.parametrize(
    "value", ["[" * 700 + "]" * 700, '{"a":' * 700 + "1" + "}" * 700]
)  # 1.4 KB: json.loads and frictionless recurse through it
def test_deep_nesting_is_refused_before_any_reader_recurses(repo_factory, value):
    repo = repo_factory(["tiny"])
    _descriptor(repo, '  "keywords": [', f'  "extra": {{"deep": {value}}},\n  "keywords": [')
    found = [p for p in _found(_report(repo)) if p[0] == DESCRIPTOR]
    assert len(found) == 1 and found[0][:2] == (DESCRIPTOR, 15) and found[0][3] == "json-too-deep"
    assert found[0][2].startswith("/extra/deep/") and found[0][2].count("/") == 32  # the limit's level, gongkai.yml


@pytest.mark.parametrize("where", ["title", "key"])
def test_a_lone_surrogate_in_the_descriptor_is_refused_and_the_build_does_not_crash(repo_factory, where):
    repo = repo_factory(["tiny"])
    if where == "title":
        _descriptor(repo, '"title": "测试用小数据集"', '"title": "测试\\ud800"')
        expected = (DESCRIPTOR, 4, "/title", "json-surrogate")
    else:
        _descriptor(repo, '  "keywords": [', '  "x\\udc00y": 1,\n  "keywords": [')
        expected = (DESCRIPTOR, 15, "/x\\udc00y", "json-surrogate")
    assert expected in _found(_report(repo))
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "json-surrogate" in result.stdout + result.stderr
    assert not (repo / "site").exists()


def test_the_nesting_limit_is_the_settings_one(repo_factory):
    from gongkai.read.load import read

    repo = repo_factory(["tiny"])
    _descriptor(
        repo, '  "keywords": [', '  "extra": [[[[[[[1]]]]]]],\n  "keywords": ['
    )  # 8 levels, the top one counted
    assert read(repo / "datasets/tiny", repo, max_nesting=8).json_error is None
    refused = read(repo / "datasets/tiny", repo, max_nesting=7)
    assert (refused.json_error_code, refused.json_error_line, refused.json_error_field) == (
        "json-too-deep",
        15,
        "/extra/0/0/0/0/0/0",
    )


# --- the shape of a CSV ----------------------------------------------------------------------------


def _max_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_a_million_columns_are_refused_at_once_in_bounded_memory(repo_factory):
    repo = repo_factory(["tiny"])
    n = 1_000_000
    (repo / CSV).write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("1" * n) + "\n", encoding="utf-8")
    start = time.monotonic()
    result = gongkai_process("validate", cwd=repo)  # its own process: its memory is measured below
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    problems = _problems(result)
    assert (CSV, 1, None, "too-many-fields") in problems
    assert any(p[:2] == (CSV, 1) and p[3] == "line-too-long" and p[2].startswith("c") for p in problems)
    assert not [
        p for p in problems if p[3] in ("type-error", "extra-cell", "incorrect-label", "package-error")
    ]  # nothing read it further
    assert elapsed < 20, elapsed  # before: minutes, and 5 GB
    assert _max_child_rss_mb() < 1500


def _limits(repo, **values) -> None:
    path = repo / "gongkai.yml"
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        text, n = re.subn(rf"(\n\s+{name}:) \d+", rf"\1 {value}", text)
        assert n == 1, name
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "body, expected",
    [
        # a long cell on the third line: the line and the cell, with its field
        (
            "000123,a,1,1,\n000124,b,1,1,\n000125," + "x" * 3000 + ",1,1,\n",
            {(CSV, 4, "name", "line-too-long"), (CSV, 4, "name", "cell-too-long")},
        ),
        # a quoted cell of short lines: no line is long, the cell is
        ('000123,a,1,1,\n000124,"' + "xyz\n" * 400 + '",1,1,\n', {(CSV, 3, "name", "cell-too-long")}),
        # a record of short lines, each a quoted line break and a comma: 1,000 lines, 501 cells
        ('000123,a,1,1,\n"' + '\n","' * 500 + '"\n', {(CSV, 3, None, "too-many-fields")}),
        # too many cells on one data line, under the line limit
        ("000123,a,1,1,\n" + "," * 600 + "\n", {(CSV, 3, None, "too-many-fields")}),
        # carriage returns end lines too (the strict parser counts them): 3 short lines
        (
            "000123,a,1,1,\r000124,b,1,1,\r000125,c," + "9" * 2500 + ",1,\r",
            {(CSV, 4, "amount", "line-too-long"), (CSV, 4, "amount", "cell-too-long")},
        ),
    ],
)
def test_a_record_line_or_cell_beyond_its_limit_is_refused_before_any_reader(repo_factory, body, expected):
    repo = repo_factory(["tiny"])
    _limits(repo, max_fields=500, max_line_bytes=2000, max_cell_bytes=1000)
    (repo / CSV).write_bytes((HEADER + body).encode("utf-8"))
    assert set(_found(_report(repo), warnings=True)) == expected  # and nothing from a reader after it


def test_a_schema_with_too_many_fields_is_refused(repo_factory):
    repo = repo_factory(["tiny"])
    _limits(repo, max_fields=3)
    assert sorted(_found(_report(repo))) == [
        (CSV, 1, None, "too-many-fields"),
        (DESCRIPTOR, 51, "/resources/0/schema/fields", "too-many-fields"),
    ]


def _reference(data: bytes, limits: Limits) -> dict[str, tuple[int, int]]:
    """The first breach of each limit, byte by byte: code -> (offset, cell index in its record)."""
    found: dict[str, tuple[int, int]] = {}
    inside = False
    line_start = cell_start = record_start = 0
    cell = 0  # index of the open cell in its record
    # the cell holding each byte offset, for line breaches
    cell_at = []
    for i, b in enumerate(data):
        cell_at.append(cell)
        if b == 34:
            inside = not inside
        is_break = b in (10, 13)
        if is_break:
            if i - line_start > limits.max_line_bytes:
                found.setdefault("line-too-long", (line_start + limits.max_line_bytes, None))
            line_start = i + 1
        if not inside and (is_break or b == 44):
            if i - cell_start > limits.max_cell_bytes:
                found.setdefault("cell-too-long", (cell_start, cell))
            cell_start = i + 1
            if is_break:
                if cell + 1 > limits.max_fields:
                    found.setdefault("too-many-fields", (record_start, 0))
                record_start, cell = i + 1, 0
            else:
                cell += 1
    end = len(data)
    if end - line_start > limits.max_line_bytes:
        found.setdefault("line-too-long", (line_start + limits.max_line_bytes, None))
    if end - cell_start > limits.max_cell_bytes:
        found.setdefault("cell-too-long", (cell_start, cell))
    if cell + 1 > limits.max_fields and record_start < end:
        found.setdefault("too-many-fields", (record_start, 0))
    if "line-too-long" in found:
        offset = found["line-too-long"][0]
        found["line-too-long"] = (offset, cell_at[offset])
    return found


def _line(data: bytes, offset: int) -> int:
    return 1 + len(re.findall(rb"\r\n|\r|\n", data[:offset]))


@settings(derandomize=True, max_examples=examples(300))
@given(
    data=st.lists(
        st.sampled_from([b"a", b"bb", b",", b'"', b"\n", b"\r", b"\r\n", b"xxxxxxx", b'""', b"\xe4\xb8\xad"]),
        max_size=80,
    ).map(b"".join),
    chunk=st.sampled_from([1, 2, 3, 7, 64, 1 << 12]),
    fields=st.integers(1, 6),
    line=st.integers(1, 12),
    cell=st.integers(1, 12),
)
def test_the_chunked_shape_check_finds_what_a_byte_by_byte_reading_finds(
    tmp_path_factory, data, chunk, fields, line, cell
):
    path = tmp_path_factory.mktemp("shape") / "x.csv"
    path.write_bytes(data)
    limits = Limits(1, 1, 1, 1, max_fields=fields, max_line_bytes=line, max_cell_bytes=cell)
    expected = _reference(data, limits)
    found = shape_limits(path, limits, chunk=chunk)
    assert bool(found) == bool(expected)
    names = _header(path, limits.max_line_bytes)
    for breach in found:
        offset, index = expected[breach.code]
        assert breach.line == _line(data, offset), (breach, expected)
        if breach.code != "too-many-fields":
            assert breach.field == (names[index] if index < len(names) else f"column {index + 1}"), (breach, expected)


# --- number cells ----------------------------------------------------------------------------------

REFUSED = ["NaN", "nan", "INF", "-inf", "Infinity", "-Infinity", "sNaN", " NaN", "1e400", "-1E+400", "1.8e308"]
KEPT = ["1e-400", "1.7976931348623157e308", "-0", "4.9e-324"]


@pytest.mark.parametrize("engine", ["fast", "row-by-row"])
def test_a_number_field_refuses_nan_infinities_and_overflow_on_both_engines(repo_factory, engine):
    repo = repo_factory(["tiny"])
    rows = [f"{100000 + i},x,1,{v},\n" for i, v in enumerate(REFUSED + KEPT)]
    if engine == "row-by-row":
        rows.append('999999,"two\nlines",1,1,\n')  # a quoted line break: the fast path leaves the file alone
    (repo / CSV).write_text(HEADER + "".join(rows), encoding="utf-8")
    report = _report(repo)
    assert sorted(_found(report)) == [
        (CSV, i + 2, "share", "number-not-finite") for i in range(len(REFUSED))
    ]  # and nothing else
    assert all("JSON" in p.message and "Excel" in p.message for p in report.errors)


def test_a_missing_value_named_nan_is_missing_not_refused(repo_factory):
    repo = repo_factory(["tiny"])
    _descriptor(repo, '"primaryKey": [', '"missingValues": ["", "NaN"],\n        "primaryKey": [')
    (repo / CSV).write_text(HEADER + "000123,a,1,NaN,\n", encoding="utf-8")
    assert _found(_report(repo)) == []


def test_numbers_excel_cannot_show_are_text_cells_and_counted(repo_factory):
    from gongkai.core.config import load_settings
    from gongkai.export.downloads import export_dataset
    from gongkai.read.load import read
    from gongkai.read.tables import read_tables

    repo = repo_factory(["tiny"])
    values = [
        "1e-400",
        "4.9e-324",
        "1e-310",
        "1e308",
        "-1e308",
        "2.2251e-308",
        "9.99999999999999e307",
        "0",
        "-0.0",
        "1.5",
    ]
    (repo / CSV).write_text(
        HEADER + "".join(f"{100000 + i},x,1,{v},\n" for i, v in enumerate(values)), encoding="utf-8"
    )
    assert _found(_report(repo)) == []
    ds = read(repo / "datasets/tiny", repo)
    out = export_dataset(ds, read_tables(ds), load_settings(repo).site_url, repo / "out")
    sheet = zipfile.ZipFile(out.files["datasets/tiny/items.xlsx"]).read("xl/worksheets/sheet1.xml").decode("utf-8")
    cells = re.findall(r'<c r="D(\d+)"( t="inlineStr")?>(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>)</c>', sheet)
    kinds = {int(r) - 2: ("text" if t else "number", v or s) for r, t, v, s in cells}
    assert [kinds[i][0] for i in range(len(values))] == ["text"] * 5 + ["number"] * 5
    assert [kinds[i][1] for i in range(5)] == values[:5]  # as written
    assert out.text_numbers == {"items": 5}
    data = json.loads(
        out.files["datasets/tiny/items.json"].read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal
    )
    assert [r["share"] for r in data] == [Decimal(v) for v in values]  # every digit, in JSON


# --- invisible characters ----------------------------------------------------------------------------

INVISIBLES = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\U000e0041",
    "\U000e007f",
    "\U000e0001",
    "\u0085",
    "\u009b",
    "\u180e",
    "\ufe0f",
    "\u3164",
]


def test_the_invisible_set_holds_every_format_character():
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf" or 0xE0000 <= code <= 0xE007F or 0x80 <= code <= 0x9F:
            assert INVISIBLE.match(char) or CONTROL.match(char), f"U+{code:04X}"
    assert not INVISIBLE.search("a1 中文 😀 \u2028\u2029\t")


@pytest.mark.parametrize("engine", ["fast", "row-by-row"])
def test_invisible_characters_are_refused_in_primary_keys(repo_factory, engine):
    repo = repo_factory(["tiny"])
    _descriptor(repo, '"primaryKey": [\n          "code"', '"primaryKey": [\n          "name"')
    rows = ["000100,a1,1,1,\n"] + [f"{100001 + i},a{c}1,1,1,\n" for i, c in enumerate(INVISIBLES)]
    if engine == "row-by-row":
        rows.append('999999,"two\nlines",1,1,\n')
    (repo / CSV).write_text(HEADER + "".join(rows), encoding="utf-8")
    report = _report(repo)
    assert sorted(_found(report)) == [(CSV, i + 3, "name", "invisible-character") for i in range(len(INVISIBLES))]
    assert [p.message.split(" (")[0] for p in report.errors] == [
        f"contains the invisible character U+{ord(c):04X}" for c in INVISIBLES
    ]


@pytest.mark.parametrize("engine", ["fast", "row-by-row"])
def test_invisible_characters_elsewhere_are_one_warning_per_field(repo_factory, engine):
    repo = repo_factory(["tiny"])
    rows = [f"{100000 + i},a{c}b,1,1,\n" for i, c in enumerate(INVISIBLES)]
    if engine == "row-by-row":
        rows.append('999999,"two\nlines",1,1,\n')
    (repo / CSV).write_text(HEADER + "".join(rows), encoding="utf-8")
    report = _report(repo)
    assert report.valid
    warnings = [str(p) for p in report.warnings if p.code == "invisible-character"]
    assert warnings == [
        (
            f"{CSV}:2: name: warning: {len(INVISIBLES)} value(s) contain invisible characters such as "
            "U+200B (ZERO WIDTH SPACE) (first on this line); they are kept as they are, but a reader cannot "
            "see them [invisible-character]"
        )
    ]


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ('"name": "amount"', '"name": "amo\\u200bunt"', (DESCRIPTOR, 69, "/resources/0/schema/fields/2/name", "error")),
        ('"title": "测试用小数据集"', '"title": "测试用\\u00ad小数据集"', (DESCRIPTOR, 4, "/title", "warning")),
    ],
)
def test_invisible_characters_in_the_descriptor(repo_factory, before, after, expected):
    repo = repo_factory(["tiny"])
    _descriptor(repo, before, after)
    found = [(p.file, p.line, p.field, p.severity) for p in _report(repo).problems if p.code == "invisible-character"]
    assert found == [expected]


def test_a_number_refused_on_the_way_to_the_build_leaves_no_site(repo_factory):
    repo = repo_factory(["tiny"])
    (repo / CSV).write_text(HEADER + "000123,a,1,1e400,\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{CSV}:2: share (比例):" in result.stdout + result.stderr
    assert not (repo / "site").exists()


def test_excel_number_is_excel_range_and_digits():
    from gongkai.export.xlsx import excel_number

    for text in ["1e-400", "1e400", "NaN", "1e-308", "9.999999999999999e307", "1.0000000000000001"]:
        assert not excel_number(Decimal(text)), text
    for text in ["0", "-0", "1e-307", "9.99999999999999e307", "123456789012345", "2.2251e-308"]:
        assert excel_number(Decimal(text)), text


# --- found by a review after the first round ------------------------------------------------------


@pytest.mark.parametrize("engine", ["fast", "row-by-row"])
def test_numbers_not_written_with_ascii_digits_are_refused_on_both_engines(repo_factory, engine):
    # Python's parser reads these as 1020, 1020, 36 and 5; the CSV would say otherwise than the JSON and XLSX
    values = ["１０２０", "1_020", "٣٦", " 5"]
    rows = [f"{100000 + i},x,{v},1,\n" for i, v in enumerate(values)]
    if engine == "row-by-row":
        rows.append('999999,"two\nlines",1,1,\n')
    repo = repo_factory(["tiny"])
    (repo / CSV).write_text(HEADER + "".join(rows), encoding="utf-8")
    report = _report(repo)
    assert sorted(_found(report)) == [(CSV, i + 2, "amount", "number-not-ascii") for i in range(len(values))]


def test_an_integer_of_thousands_of_digits_is_a_problem_not_a_traceback(repo_factory):
    repo = repo_factory(["tiny"])
    _descriptor(repo, '"version": "1.0.0"', '"x": ' + "9" * 4301 + ', "version": "1.0.0"')
    result = _validate(repo)
    assert result.returncode == 1
    assert ("datasets/tiny/datapackage.json", 6, "/x", "json-number") in _problems(result)


@pytest.mark.parametrize("pattern", ["^(([a-z])+)+$", r"(\w+\s?)+$", "(", "(?P<a>x)(?P=b)"])
def test_a_pattern_that_cannot_be_matched_safely_is_refused_before_any_validator_runs(repo_factory, pattern):
    repo = repo_factory(["tiny"])

    def change(d):
        d["resources"][0]["schema"]["fields"][1].setdefault("constraints", {})["pattern"] = pattern

    path = repo / DESCRIPTOR
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    csv = repo / CSV
    csv.write_text(csv.read_text(encoding="utf-8") + "123456," + "a" * 34 + "-,1,1,\n", encoding="utf-8")
    result = _validate(repo)  # returns at once: the pattern never reaches a regular-expression engine
    assert result.returncode == 1
    assert [p[3] for p in _problems(result) if p[2] and p[2].endswith("/constraints/pattern")] == ["unsafe-pattern"]
