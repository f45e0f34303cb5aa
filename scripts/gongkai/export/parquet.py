"""Each resource as Parquet, typed by its Table Schema, for programs and for SQL in the browser.

Types (the developer's guide lists them): string -> string (the CSV's text, leading zeros and
all), integer -> int64, number -> decimal128 with the largest scale the column holds (exact,
never through float), date -> date32, datetime -> timestamp, time -> time64, boolean -> bool,
year -> int64; any other type keeps its text. A missing value is null. A column whose values
do not fit its Arrow type (an integer past int64, a number with 39 digits, NaN) keeps its text
rather than change a value.

Rows are sorted by the primary key when there is one (a query that filters on the key then
reads one row group: each row group's min and max say which holds the key), in row groups of
ROW_GROUP_ROWS rows, zstd-compressed. Same rows, same pyarrow -> same bytes: nothing in the
file depends on the clock or the machine.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# 65,536 rows per row group: a query filtered on the key fetches one group (under 7% of a
# 1,000,000-row file, with the footer) in a few range requests; smaller groups would add
# footer and request overhead, larger ones would fetch more bytes than the one row needs.
ROW_GROUP_ROWS = 65_536
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9  # fixed: the level is part of what makes the bytes repeatable
METADATA_KEY = b"gongkai.fields"  # the schema's field names, titles, types and descriptions, as JSON
DIRECT = {
    "date": pa.date32(),
    "time": pa.time64("us"),
    "boolean": pa.bool_(),
    "integer": pa.int64(),
    "year": pa.int64(),
}
MAX_DECIMAL_DIGITS = 76  # decimal256


class ParquetTable:
    """Collects a table's typed rows a chunk at a time (add, as JsonRecords takes them) and
    writes the Parquet file on close(). Each chunk becomes Arrow arrays at once (compact:
    sorting by the key needs every row), with each typed column's text beside it, in case a
    later chunk holds a value its type cannot take."""

    def __init__(self, path: Path | pa.NativeFile, fields: list[dict], primary_key: list[str] | None = None):
        self.path = path
        self.fields = fields
        self.key = [k for k in (primary_key or []) if any(f["name"] == k for f in fields)]
        self.typed: list[list[pa.Array] | None] = [[] for _ in fields]  # None once a column keeps its text
        self.texts: list[list[pa.Array]] = [[] for _ in fields]

    def add(self, raw: list[list[str]], typed: list[list]) -> None:
        if not typed:
            return
        for i, f in enumerate(self.fields):
            values = [row[i] for row in typed]
            text = pa.array([None if v is None else r[i] for v, r in zip(values, raw, strict=True)], pa.string())
            self.texts[i].append(text)
            parts = self.typed[i]
            if parts is not None and f.get("type", "string") != "string":
                converted = _typed(f, values)
                self.typed[i] = None if converted is None else [*parts, converted]

    def close(self) -> int:
        """Write the file; the rows written."""
        columns = [_column(f, self.typed[i], self.texts[i]) for i, f in enumerate(self.fields)]
        self.typed, self.texts = [], []
        schema = pa.schema(
            [pa.field(f["name"], c.type) for f, c in zip(self.fields, columns, strict=True)],
            metadata={METADATA_KEY: _fields_json(self.fields)},
        )
        table = pa.Table.from_arrays(columns, schema=schema)
        if self.key:
            table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in self.key]))
        write(table, self.path)
        return table.num_rows


def parquet_bytes(fields: list[dict], key: list[str], raw: list[list[str]], typed: list[list]) -> bytes:
    """A small table's Parquet in memory (a version from history): the same writer, the same bytes."""
    sink = pa.BufferOutputStream()
    table = ParquetTable(sink, fields, key)
    table.add(raw, typed)
    table.close()
    return sink.getvalue().to_pybytes()


def write(table: pa.Table, path: Path | pa.NativeFile) -> None:
    """The one set of writer options: every Parquet file of the site is written here."""
    with pq.ParquetWriter(
        path,
        table.schema.remove_metadata(),
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,  # each row group's min and max: what lets a key filter skip the others
        store_schema=False,  # Parquet's own types say it all; pyarrow's copy of the schema tripled a small file
        version="2.6",
    ) as writer:
        writer.write_table(table.replace_schema_metadata(None), row_group_size=ROW_GROUP_ROWS)
        writer.add_key_value_metadata(table.schema.metadata or {})  # the fields' titles: kept without the copy


def write_parquet(path: Path, fields: list[dict], primary_key: list[str] | None, chunks: Iterable) -> None:
    """A table's Parquet from its (raw, typed) chunks, read on their own."""
    sink = ParquetTable(path, fields, primary_key)
    for chunk in chunks:
        sink.add(*chunk)
    sink.close()


def rows_from_text(fields: list[dict], rows: list[list[str]], missing_values: list[str]) -> list[list] | None:
    """Typed rows from text rows with frictionless's cell readers (each distinct value read
    once), for a version from history; None when a cell does not read as its type (an old
    version is checked for structure only: its Parquet is left out rather than change a value)."""
    from ..read.columns import cell_reader

    missing = set(missing_values)
    columns = []
    for i, f in enumerate(fields):
        column = [row[i] if i < len(row) else "" for row in rows]
        if f.get("type", "string") == "string":
            columns.append([None if v in missing else v for v in column])
            continue
        reader = cell_reader(f, missing_values)
        cache = {v: reader.read_cells([v])[0][0] for v in set(column)}
        if any(cache[v] is None and v not in missing for v in cache):
            return None
        columns.append([cache[v] for v in column])
    return [list(r) for r in zip(*columns, strict=True)] if columns else []


def primary_key(resource: dict) -> list[str]:
    key = resource.get("schema", {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _column(field: dict, typed: list[pa.Array] | None, texts: list[pa.Array]) -> pa.ChunkedArray:
    # string columns, other types and columns some value of which did not fit: the text
    if field.get("type", "string") == "string" or typed is None or not typed:
        return pa.chunked_array(texts, pa.string())
    kind = typed[0].type
    if pa.types.is_decimal(kind):  # one scale for the column: the most places any chunk needs
        scale = max(a.type.scale for a in typed)
        whole = max(a.type.precision - a.type.scale for a in typed)
        if whole + scale > MAX_DECIMAL_DIGITS:
            return pa.chunked_array(texts, pa.string())
        kind = _decimal_type(whole + scale, scale)
    elif pa.types.is_timestamp(kind) and len({a.type for a in typed}) > 1:
        return pa.chunked_array(texts, pa.string())  # local times in one chunk, instants in another
    return pa.chunked_array([a.cast(kind) for a in typed], kind)


def _typed(field: dict, values: list) -> pa.Array | None:
    """One chunk of a column as its Arrow type, or None when some value does not fit it."""
    ftype = field.get("type", "string")
    try:
        if ftype == "number":
            return _decimals(values)
        if ftype == "datetime":
            return _timestamps(values)
        if ftype in DIRECT and all(v is None or _fits(ftype, v) for v in values):
            return pa.array(values, DIRECT[ftype])
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, _NotExact):
        pass
    return None


def _fits(ftype: str, value) -> bool:
    if ftype in ("integer", "year"):
        return isinstance(value, int) and not isinstance(value, bool) and -(1 << 63) <= value < (1 << 63)
    if ftype == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if ftype == "time":
        return isinstance(value, dt.time) and value.tzinfo is None
    return isinstance(value, bool)


class _NotExact(Exception):
    """A column that no decimal type holds exactly."""


def _decimals(values: list) -> pa.Array:
    # decimal128(precision, scale): the scale is the most decimal places any value has, so
    # 1.5 and 1.25 become 1.50 and 1.25, equal as numbers to what the CSV says.
    scale = whole = 0
    for v in values:
        if v is None:
            continue
        if not isinstance(v, decimal.Decimal) or not v.is_finite():
            raise _NotExact
        exponent = v.as_tuple().exponent
        assert isinstance(exponent, int)  # finite
        scale = max(scale, -exponent)
        whole = max(whole, v.adjusted() + 1)
    if whole + scale > MAX_DECIMAL_DIGITS:
        raise _NotExact
    return pa.array(values, _decimal_type(whole + scale, scale))


def _decimal_type(precision: int, scale: int) -> pa.DataType:
    precision = max(precision, 1)
    return pa.decimal128(precision, scale) if precision <= 38 else pa.decimal256(precision, scale)


def _timestamps(values: list) -> pa.Array:
    present = [v for v in values if v is not None]
    if not all(isinstance(v, dt.datetime) for v in present):
        raise _NotExact
    aware = {v.tzinfo is not None for v in present}
    if aware == {True}:  # instants: stored in UTC, as Parquet's adjusted-to-UTC timestamps are
        return pa.array([None if v is None else v.astimezone(dt.UTC) for v in values], pa.timestamp("us", tz="UTC"))
    if len(aware) > 1:
        raise _NotExact  # local times beside instants: no one timestamp type holds both
    return pa.array(values, pa.timestamp("us"))


def _fields_json(fields: list[dict]) -> bytes:
    kept = [{k: f[k] for k in ("name", "title", "title_en", "type", "description", "unit") if k in f} for f in fields]
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
