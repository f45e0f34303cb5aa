"""The vectorised survey and exports hold the facts and bytes of the row-by-row ones.

The survey (read/tables.py, read/columnprofile.py) is taken with pyarrow a batch at a time; the
old row-by-row survey (tests/surveyoracle.py) is the oracle, fact for fact, on tables full of
what trips a vectorised reading: equal numbers written differently (7, 07, 7.0), exponents, signs,
missing values, formula-like text, characters XML cannot hold, and many small batches.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import surveyoracle
from conftest import examples
from gongkai.export.jsonrecords import write_json
from gongkai.export.parquet import ParquetTable
from gongkai.read import columnprofile, tables
from gongkai.read.columnprofile import new_profiles
from gongkai.read.columns import NotPlain
from gongkai.read.csvtext import parse
from gongkai.read.tables import Crosstab, Table, text_batches
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

TYPES = ["string", "integer", "number", "date", "year", "boolean"]
NUMBERS = ["7", "07", "-0", "0", "-7", "7.0", "7.00", "1e3", "+5", "0.0000001", "123456789012345678", "-00.50"]
NUMBERS += ["1234567890123456789012", "99999999999999.999999", ".5", "5.", "NaN", "x"]
TEXT = ["", "NA", "-", "=1+1", "+86", "@a", "\t1", "＝1", "a\ufffeb", "\uffff", "天河", "2020-01-01", "2019-12-31"]
cell = st.one_of(
    st.sampled_from(NUMBERS + TEXT),
    st.integers(-(10**20), 10**20).map(str),
    st.text(max_size=4),
    st.just("x" * 32_768),
)


def _facts(table: Table) -> dict:
    return {
        "rows": table.rows,
        "preview": table.preview,
        "formulas": table.formulas,
        "crosstabs": {spec: (tab.columns, tab.counts) for spec, tab in table.crosstabs.items()},
        "unsafe_cell": table.unsafe_cell,
        "profiles": [
            (p.filled, None if p.counts is None else list(p.counts.items()), p.examples, p.low, p.high)
            for p in table.profiles
        ],
    }


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    width=st.integers(1, 4),
    missing=st.sampled_from([[""], [], ["NA"], ["", "NA", "-"]]),
    chunk=st.integers(1, 7),
    limit=st.sampled_from([2, 5, 50_000]),
)
def test_the_vectorised_survey_finds_what_the_row_by_row_survey_found(data, width, missing, chunk, limit):
    kinds = data.draw(st.lists(st.sampled_from(TYPES), min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=25))
    fields = [{"name": f"f{i}", "type": k} for i, k in enumerate(kinds)]
    specs = [("f0", f"f{width - 1}")] if width > 1 else []
    old_limit = columnprofile.DISTINCT_LIMIT
    columnprofile.DISTINCT_LIMIT = limit  # a few distinct values: the profile lets its counts go midway
    try:
        table = Table(
            resource={"name": "t", "path": "t.csv", "schema": {"fields": fields, "missingValues": missing}},
            fields=fields,
            header=[f["name"] for f in fields],
            file=Path("t.csv"),
            fast=True,
            crosstabs={spec: Crosstab() for spec in specs},
            profiles=new_profiles(fields),
        )
        for batch in text_batches(rows, width, chunk):
            tables._survey(table, batch, 4)
        tables._finished(table)
        chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
        expected = surveyoracle.survey(fields, chunks, set(missing), specs, 4)
    finally:
        columnprofile.DISTINCT_LIMIT = old_limit
    assert _facts(table) == expected


def test_the_oracle_is_the_survey_of_a_real_table(repo_factory):
    # the oracle reads what read_table reads: a fixture's survey, both ways
    from gongkai.core.config import load_settings
    from gongkai.read.load import discover

    repo = repo_factory(packages=["tiny"], real=["administrative-divisions", "disclosure-overview"])
    preview = load_settings(repo).limits.preview_rows
    for ds in discover(repo / "datasets"):
        for res in ds.resources:
            table = tables.read_table(ds, res, preview)
            raw = [chunk.raw for chunk in table.chunks()]
            missing = set(res["schema"].get("missingValues", [""]))
            expected = surveyoracle.survey(table.fields, raw, missing, list(table.crosstabs), preview)
            assert _facts(table) == expected, res["path"]


if __name__ == "__main__":
    pytest.main([__file__])


# --- JSON -------------------------------------------------------------------------------------

JSON_CELLS = NUMBERS + ["", "NA", "0", "00", "-05", "0.000000", "-0.0000000", "0.00000012", "1.5", "007.250"]
JSON_CELLS += ["2020-02-29", "2019-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2020-13-01", "true", "0", "1"]
JSON_CELLS += ['say "hi"', "a\\b", "tab\there", "\x1f", "\u2028", "😀", "null", "2000"]


def _old_json(table: Table) -> bytes:
    """The row-by-row writer's bytes: each typed value through json_value, a record per line."""
    from gongkai.export.jsonrecords import json_value

    keys = [json.dumps(f["name"], ensure_ascii=False) + ": " for f in table.fields]
    lines = [
        "{" + ", ".join(k + json_value(v) for k, v in zip(keys, row, strict=True)) + "}"
        for chunk in table.chunks()
        for row in chunk.typed
    ]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    width=st.integers(1, 4),
    missing=st.sampled_from([[""], ["", "NA"], ["0"]]),
    block=st.sampled_from([64, 1 << 20]),
)
def test_the_json_writer_writes_the_bytes_of_the_row_by_row_writer(tmp_path_factory, data, width, missing, block):
    kinds = data.draw(st.lists(st.sampled_from(TYPES), min_size=width, max_size=width))
    cells = st.one_of(st.sampled_from(JSON_CELLS), st.integers(-(10**19), 10**19).map(str), st.text(max_size=3))
    rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=20))
    fields = [{"name": f"列{i}", "type": k} for i, k in enumerate(kinds)]
    folder = tmp_path_factory.mktemp("json")
    path = folder / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[x["name"] for x in fields], *rows])
    assume(all(len(r) == width for r in parse(path.read_bytes().decode("utf-8")).rows))  # no blank rows: invalid
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": fields, "missingValues": missing}}
    for fast in (True, False):
        table = Table(resource, fields, [x["name"] for x in fields], path, fast=fast, block_size=block, chunk_rows=3)
        try:
            expected = _old_json(table)
        except NotPlain:
            continue  # a line break in a cell: the export reads it the strict way
        write_json(table, folder / "t.json")
        assert (folder / "t.json").read_bytes() == expected, (fast, rows)


def test_the_json_of_each_fixture_is_the_row_by_row_writers(repo_factory, tmp_path):
    from gongkai.read.load import discover

    repo = repo_factory(packages=["tiny", "annual-report-tables"], real=["administrative-divisions"])
    for ds in discover(repo / "datasets"):
        for res in ds.resources:
            table = tables.read_table(ds, res)
            write_json(table, tmp_path / "t.json")
            assert (tmp_path / "t.json").read_bytes() == _old_json(table), res["path"]


# --- Parquet ----------------------------------------------------------------------------------


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    width=st.integers(1, 4),
    missing=st.sampled_from([[""], ["", "NA"], ["0"]]),
    block=st.sampled_from([64, 1 << 20]),
)
def test_the_parquet_typed_with_pyarrow_has_the_bytes_of_the_one_typed_a_value_at_a_time(
    tmp_path_factory, data, width, missing, block
):
    kinds = data.draw(st.lists(st.sampled_from(TYPES), min_size=width, max_size=width))
    cells = st.one_of(st.sampled_from(JSON_CELLS), st.integers(-(10**19), 10**19).map(str))
    rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=20))
    fields = [{"name": f"列{i}", "type": k} for i, k in enumerate(kinds)]
    folder = tmp_path_factory.mktemp("parquet")
    path = folder / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[x["name"] for x in fields], *rows])
    assume(all(len(r) == width for r in parse(path.read_bytes().decode("utf-8")).rows))
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": fields, "missingValues": missing}}
    for fast in (True, False):
        table = Table(resource, fields, [x["name"] for x in fields], path, fast=fast, block_size=block, chunk_rows=3)
        old = ParquetTable(folder / "old.parquet", fields, ["列0"])
        new = ParquetTable(folder / "new.parquet", fields, ["列0"], missing)
        try:
            for chunk in table.chunks():
                old.add(chunk.raw, chunk.typed)
                new.add_chunk(chunk)
        except NotPlain:
            continue  # a line break in a cell: the export reads it the strict way
        old.close()
        new.close()
        assert (folder / "new.parquet").read_bytes() == (folder / "old.parquet").read_bytes(), (fast, rows)


# Each trigger, beside characters whose UTF-8 differs from one by a byte (＜ and ＞ beside ＝, ＊ beside ＋).
NEAR = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "＜", "＞", "＊", "\uff00", "\uffbf", "a", "天", "𝄞"]


@settings(max_examples=examples(300))
@given(cells=st.lists(st.text(st.sampled_from(NEAR), max_size=3), max_size=40), cut=st.integers(0, 40))
def test_the_column_formula_check_finds_what_startswith_finds_cell_by_cell(cells, cut):
    """read/cells.py's formula_cells (the survey's and the validator's) against formula_like's test, on
    whole columns and on slices of them (an Arrow array that starts inside its buffers)."""
    import pyarrow as pa
    from gongkai.read.cells import TRIGGERS, formula_cells

    column = pa.array(cells, pa.string())
    for part in (column, column.slice(min(cut, len(cells)))):
        assert formula_cells(part).tolist() == [c.startswith(TRIGGERS) for c in part.to_pylist()]


@settings(max_examples=examples(200))
@given(
    cells=st.lists(st.text(st.sampled_from(["0", "-", "7", ".", "é", "天"]), max_size=3), max_size=30),
    cut=st.integers(0, 30),
)
def test_each_cells_leading_bytes_are_its_own_first_bytes(cells, cut):
    """read/cells.py's leading_bytes (the JSON writer's look at 0 and -0) against each cell's UTF-8."""
    import pyarrow as pa
    from gongkai.read.cells import leading_bytes

    column = pa.array(cells, pa.string())
    for part in (column, column.slice(min(cut, len(cells)))):
        encoded = [c.encode() for c in part.to_pylist()]
        lengths, (first, second) = leading_bytes(part, 2)
        assert lengths.tolist() == [len(e) for e in encoded]
        assert first.tolist() == [e[0] if e else 0 for e in encoded]
        assert second.tolist() == [e[1] if len(e) > 1 else 0 for e in encoded]
