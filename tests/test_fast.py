"""The vectorised validator agrees with frictionless, cell for cell, on generated tables."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter

import pytest
from conftest import PACKAGES, examples, make_repo
from gongkai.read.cells import number_refusal, number_refused_message, number_text_refusal
from gongkai.read.columns import read_columns, supported
from gongkai.read.csvtext import parse
from gongkai.read.load import read
from gongkai.validate.fast import check_columns
from gongkai.validate.table import check_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = [
    {
        "name": "id",
        "title": "编号",
        "type": "string",
        "description": "编号。",
        "constraints": {"required": True, "unique": True, "pattern": "R[0-9]{3}"},
    },
    {"name": "kind", "title": "类别", "type": "string", "description": "类别。", "constraints": {"enum": ["甲", "乙"]}},
    {
        "name": "n",
        "title": "数",
        "type": "integer",
        "unit": "个",
        "description": "整数。",
        "constraints": {"minimum": 0, "maximum": 1000},
    },
    {
        "name": "x",
        "title": "值",
        "type": "number",
        "unit": "元",
        "description": "数值。",
        "constraints": {"minimum": 0},
    },
    {"name": "day", "title": "日", "type": "date", "description": "日期。", "constraints": {"required": True}},
    {"name": "ok", "title": "是否", "type": "boolean", "description": "布尔。"},
    {
        "name": "code",
        "title": "代码",
        "type": "string",
        "description": "代码。",
        "constraints": {"minLength": 2, "maxLength": 4},
    },
    {
        "name": "rate",
        "title": "比率",
        "type": "number",
        "unit": "%",
        "description": "浮点边界。",
        "constraints": {"minimum": 0.1, "maximum": 99.5},
    },
]
ids = st.sampled_from(["R001", "R002", "R003", "R01", "r001", "R0011", "", " R001", "R００1", "R\u200b001"])
kinds = st.sampled_from(["甲", "乙", "丙", "", " 甲"])
ints = st.sampled_from(
    ["0", "1", "-1", "1000", "1001", "007", "+5", " 5", "1_0", "x", "", "99999999999999999999", "1.0", "١٢"]
)
nums = st.sampled_from(
    [
        "0",
        "0.0",
        "-0",
        "-0.1",
        "1.5",
        "1e3",
        "-1e-3",
        ".5",
        "5.",
        "NaN",
        "Infinity",
        "",
        "x",
        "0.00000000000000000001",
        "-0.00000000000000000001",
        "1,5",
    ]
    + ["-inf", "INF", "1e400", "-1e400", "1e-400", " nan"]
)
days = st.sampled_from(
    ["2020-01-31", "2020-02-30", "2020-2-3", "2020-13-01", "", "x", "0001-01-01", "2020-01-31T00:00"]
)
bools = st.sampled_from(["true", "False", "1", "0", "yes", "", "TRUE", "tRue"])
codes = st.sampled_from(["ab", "a", "abcd", "abcde", "", "广州", "广州市区域", "😀😀"])
# values at and next to float bounds: ties in floating point are decided exactly
rates = st.sampled_from(
    [
        "0.1",
        "0.10",
        "0.1000000000000001",
        "0.0999999999999999",
        "99.5",
        "99.500",
        "99.5000000000001",
        "99.4999999999999",
        "1e2",
        "50",
        "",
    ]
)
rows = st.lists(st.tuples(ids, kinds, ints, nums, days, bools, codes, rates).map(list), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("fast"), packages=["tiny"])


def _deliberate(table_rows) -> Counter:
    """What gongkai finds beyond frictionless, on purpose, and only this: number cells that
    frictionless reads (NaN, INF, 1e400) but no download can hold (cells.number_refusal), and
    integer or number cells it reads from text other than 0-9 (cells.number_text_refusal)."""
    from gongkai.read.columns import cell_reader

    found = Counter()
    for i, row in enumerate(table_rows):
        for field, value in zip(FIELDS, row, strict=True):
            if field["type"] not in ("integer", "number") or value == "":
                continue
            reason = field["type"] == "number" and number_refusal(value)
            if reason:
                found[("number-not-finite", i + 2, field["name"], number_refused_message(value, reason))] += 1
                continue
            _, notes = cell_reader(field, [""]).read_cells([value])
            text_reason = "type" not in (notes[0] or {}) and number_text_refusal(value, field)
            if text_reason:
                found[("number-not-ascii", i + 2, field["name"], number_refused_message(value, text_reason))] += 1
    return found


def _write(repo, table_rows, primary_key, line_end="\n"):
    folder = repo / "datasets/tiny"
    shutil.rmtree(folder)
    shutil.copytree(PACKAGES / "tiny", folder)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    schema = {"fields": FIELDS}
    if primary_key:
        schema["primaryKey"] = primary_key
    desc["resources"][0]["schema"] = schema
    (folder / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf, lineterminator=line_end).writerows([[f["name"] for f in FIELDS], *table_rows])
    (folder / "data/items.csv").write_bytes(buf.getvalue().encode("utf-8"))  # no newline translation
    return read(folder, repo)


@settings(
    max_examples=examples(400),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    table_rows=rows,
    primary_key=st.sampled_from([None, ["id"], ["kind", "n"], ["day"]]),
    line_end=st.sampled_from(["\n", "\r\n"]),  # CRLF: what Excel writes
)
def test_fast_validation_finds_exactly_what_frictionless_finds(repo, table_rows, primary_key, line_end):
    ds = _write(repo, table_rows, primary_key, line_end)
    res = ds.resources[0]
    raw = (ds.root / res["path"]).read_bytes()
    text = parse(raw.decode("utf-8"))
    reference = Counter(
        (p.code, p.line, p.field, p.message) for p in check_tables(ds, {res["path"]: text})
    ) + _deliberate(table_rows)
    table = read_columns(raw, text.header)
    assert supported(res)
    if table is None:  # blank rows and the like: frictionless alone decides
        return
    for batch_rows in (None, 3):  # whole, and in batches that split duplicates across them
        fast = Counter((f.code, f.row, f.field, f.message) for f in check_columns(res, table, batch_rows))
        assert fast == reference


texts = st.sampled_from(
    [
        "甲",
        "乙",
        "丙",
        "机构(gòu)",
        "控\x01制",
        "\u202e反",
        "=1+1",
        "-x",
        "＝1",
        "@a",
        "",
        "普通",
        "零\u200b宽",
        "\U000e0041",
        "软\u00ad",
    ]
)
text_rows = st.lists(st.tuples(ids, texts, ints, nums, days, bools, codes, rates).map(list), min_size=1, max_size=10)


@settings(
    max_examples=examples(200),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table_rows=text_rows, primary_key=st.sampled_from([None, ["id"]]), line_end=st.sampled_from(["\n", "\r\n"]))
def test_both_engines_report_the_same_problems_and_warnings(repo, table_rows, primary_key, line_end):
    from gongkai.read.columns import read_fast
    from gongkai.validate.validator import check_data

    fields = [dict(f) for f in FIELDS]
    fields[1] = {"name": "kind", "title": "类别", "type": "string", "description": "任意文字。"}
    ds = _write(repo, table_rows, primary_key, line_end)
    desc_path = ds.root / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    desc["resources"][0]["schema"]["fields"] = fields
    desc_path.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    ds = read(ds.root, repo)

    def seen(engine):
        return Counter((p.code, p.line, p.field, p.message, p.severity) for p in check_data(ds, engine=engine))

    res = ds.resources[0]
    if read_fast(ds.root / res["path"], res) is None:
        return
    assert seen("auto") == seen("frictionless")


CRLF_ROWS = [
    ["a1", "甲", "3", "1.5", "2019-05-16", "true", "ab", "50"],
    ["a2", "乙", "x", "1.5", "2019-05-16", "true", "ab", "50"],  # type-error on line 3
    ["a2", "丙", "4", "-1", "2019-02-30", "maybe", "abcdef", "50"],  # duplicate id, bad date and boolean
]


def _problems(ds, engine):
    from gongkai.validate.validator import check_data

    return sorted((p.code, p.line, p.field, p.message) for p in check_data(ds, engine=engine))


@pytest.mark.parametrize("primary_key", [None, ["id"]])
def test_a_crlf_file_takes_the_fast_path_with_the_lf_files_problems_and_lines(repo, primary_key):
    from gongkai.read.columns import read_fast

    lf = _write(repo, CRLF_ROWS, primary_key)
    expected = _problems(lf, "frictionless")
    assert [line for _, line, _, _ in expected].count(3) >= 1 and expected == _problems(lf, "auto")
    crlf = _write(repo, CRLF_ROWS, primary_key, "\r\n")
    assert b"\r\n" in (crlf.root / "data/items.csv").read_bytes()
    assert read_fast(crlf.root / "data/items.csv", crlf.resources[0]) is not None  # no longer the slow path
    assert _problems(crlf, "auto") == _problems(crlf, "frictionless") == expected


@pytest.mark.parametrize(
    "body",
    [
        b"a1,\xe7\x94\xb2,3,1.5,2019-05-16,true,ab,50\ra2,\xe4\xb9\x99,4,1.5,2019-05-16,true,ab,50\n",  # a lone CR
        b"a1,\xe7\x94\xb2,3,1.5,2019-05-16,true,ab,50\r\na2,\xe4\xb9\x99,4,1.5,2019-05-16,true,ab,50\n",  # mixed
    ],
    ids=["lone-cr", "mixed"],
)
def test_a_lone_cr_or_mixed_line_ends_still_go_the_row_by_row_way(repo, body):
    from gongkai.read.columns import read_fast

    ds = _write(repo, [], None, "\r\n")
    path = ds.root / "data/items.csv"
    path.write_bytes(path.read_bytes() + body)
    assert read_fast(path, ds.resources[0]) is None
    assert _problems(ds, "auto") == _problems(ds, "frictionless")


@pytest.mark.parametrize(
    "cell, shown",
    [(b'"\xe4\xb9\x99"x', "乙x"), (b'"a" ', "a ")],
    ids=["text-after-closing-quote", "space-after-closing-quote"],
)
def test_a_quote_out_of_place_leaves_the_fast_path_and_is_named_at_its_line(repo, cell, shown):
    """pyarrow reads such a cell leniently (the downloads would carry its reading); the strict
    parser refuses it, so the file goes the row-by-row way and the problem names its line."""
    from conftest import gongkai
    from gongkai.read.columns import read_fast

    ds = _write(repo, [], None)
    path = ds.root / "data/items.csv"
    path.write_bytes(
        path.read_bytes()
        + b"a1,\xe7\x94\xb2,3,1.5,2019-05-16,true,ab,50\na2,"
        + cell
        + b",4,1.5,2019-05-16,true,ab,50\n"
    )
    assert read_fast(path, ds.resources[0]) is None
    result = gongkai("validate", "tiny", cwd=repo)
    assert result.returncode == 1
    assert "datasets/tiny/data/items.csv:3:" in result.stdout and "[csv-syntax]" in result.stdout, result.stdout
