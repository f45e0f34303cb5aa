"""Each resource as Parquet, typed by its Table Schema, for programs and for SQL in the browser.

Types (the developer's guide lists them): string -> string (the CSV's text, leading zeros and
all), integer -> int64, number -> decimal128 with the largest scale the column holds (exact,
never through float), date -> date32, datetime -> timestamp, time -> time64, boolean -> bool,
year -> int64; any other type keeps its text. A missing value is null. A column whose values
do not fit its Arrow type (an integer past int64, a number with 39 digits, NaN) keeps its text
rather than change a value.

Rows are sorted by the primary key when there is one (a query that filters on the key then
reads one row group: each row group's min and max say which holds the key), in row groups of
ROW_GROUP_ROWS rows, zstd-compressed; the sort is external (export/parquetsort.py), so a table
of any size is written in bounded memory. Same rows, same pyarrow -> same bytes: nothing in the
file depends on the clock, the machine or how the rows were chunked.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..read.columns import DATE, INTEGER, NUMBER
from ..read.tables import Chunk
from .parquetsort import RowGroups, Spill, write_in_key_order

# 65,536 rows per row group: a query filtered on the key fetches one group (under 7% of a
# 1,000,000-row file, with the footer) in a few range requests; smaller groups would add
# footer and request overhead, larger ones would fetch more bytes than the one row needs.
ROW_GROUP_ROWS = 65_536
COMPRESSION = "zstd"
# fixed: the level is part of what makes the bytes repeatable. Level 3 (zstd's default) writes a
# 1,000,000-row table in about 40% of level 9's CPU time, the file 1% larger (31.7 MB against 31.3 MB)
COMPRESSION_LEVEL = 3
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
    """Takes a table's typed rows a chunk at a time (add, as JsonRecords takes them) and writes
    the Parquet file on close(), in memory that does not grow with the table. Each chunk becomes
    Arrow arrays at once, with each typed column's text beside them (in case a later chunk holds a
    value its type cannot take), and is set aside (export/parquetsort.py: in a temporary folder
    beside the file) until every chunk is in and each column's type is known."""

    def __init__(
        self,
        path: Path | pa.NativeFile,
        fields: list[dict],
        primary_key: list[str] | None = None,
        missing_values: list[str] | None = None,
    ):
        self.path = path
        self.fields = fields
        self.key = [k for k in (primary_key or []) if any(f["name"] == k for f in fields)]
        # each typed column's Arrow types, chunk by chunk; None once it keeps its text
        self.types: list[set[pa.DataType] | None] = [
            set() if f.get("type", "string") != "string" else None for f in fields
        ]
        self.spill = Spill(path.parent if isinstance(path, Path) else None)
        self.missing = [""] if missing_values is None else missing_values  # the schema's (add_chunk)

    def add(self, raw: list[list[str]], typed: list[list]) -> None:
        """Rows as Python lists, raw and typed (a version from history)."""
        if not typed:
            return
        self._add_columns(
            [
                (pa.array([None if v is None else r[i] for v, r in zip(values, raw, strict=True)], pa.string()), values)
                for i, values in enumerate(zip(*typed, strict=True))
            ]
        )

    def add_chunk(self, chunk: Chunk) -> None:
        """A chunk of the table: plainly written columns typed with pyarrow (plain_typed), the others a
        distinct value at a time by the chunk's own cell readers."""
        if not chunk.text.num_rows:
            return
        columns: list[tuple[pa.Array, pa.Array | list | None]] = []
        for i, (f, column, decode) in enumerate(zip(self.fields, chunk.text.columns, chunk.decoders, strict=True)):
            found = plain_typed(f, column, self.missing) if chunk.fast else None
            if found is not None:
                columns.append(found if self.types[i] is not None else (found[0], None))
                continue
            values = decode(column)
            text = pa.array([None if v is None else t for v, t in zip(values, column.to_pylist(), strict=True)])
            columns.append((text.cast(pa.string()), values))
        self._add_columns(columns)

    def _add_columns(self, columns: list[tuple[pa.Array, pa.Array | list | None]]) -> None:
        # each column's text (null where its value is missing) and its values, as an array or a list
        arrays, names = [], []
        for i, (f, (text, values)) in enumerate(zip(self.fields, columns, strict=True)):
            arrays.append(text)
            names.append(f"text{i}")
            seen = self.types[i]
            if seen is None or values is None:
                continue
            converted = values if isinstance(values, pa.Array) else _typed(f, values)
            if converted is None:
                self.types[i] = None
                continue
            seen.add(converted.type)
            arrays.append(converted)
            names.append(f"typed{i}")
        self.spill.append(pa.RecordBatch.from_arrays(arrays, names))

    def close(self) -> int:
        """Write the file; the rows written."""
        try:
            kinds = [_kind(seen) for seen in self.types]
            schema = pa.schema(
                [pa.field(f["name"], k or pa.string()) for f, k in zip(self.fields, kinds, strict=True)],
                metadata={METADATA_KEY: _fields_json(self.fields)},
            )

            def batches() -> Iterator[pa.RecordBatch]:
                for chunk in self.spill.batches():
                    yield _final(chunk, kinds, schema)

            with _writer(schema, self.path) as writer:
                groups = RowGroups(lambda t: writer.write_table(t, row_group_size=ROW_GROUP_ROWS), ROW_GROUP_ROWS)
                rows = write_in_key_order(batches, self.key, groups, self.spill, schema.remove_metadata())
                writer.add_key_value_metadata(schema.metadata)  # the fields' titles: kept without the copy
            return rows
        finally:
            self.spill.close()


def parquet_bytes(fields: list[dict], key: list[str], raw: list[list[str]], typed: list[list]) -> bytes:
    """A small table's Parquet in memory (a version from history): the same writer, the same bytes."""
    sink = pa.BufferOutputStream()
    table = ParquetTable(sink, fields, key)
    table.add(raw, typed)
    table.close()
    return sink.getvalue().to_pybytes()


@contextmanager
def _writer(schema: pa.Schema, path: Path | pa.NativeFile) -> Iterator[pq.ParquetWriter]:
    """The one set of writer options: every Parquet file of the site is written here."""
    with pq.ParquetWriter(
        path,
        schema.remove_metadata(),
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,  # each row group's min and max: what lets a key filter skip the others
        store_schema=False,  # Parquet's own types say it all; pyarrow's copy of the schema tripled a small file
        version="2.6",
    ) as writer:
        yield writer


def write_parquet(
    path: Path,
    fields: list[dict],
    primary_key: list[str] | None,
    chunks: Iterable[Chunk],
    missing_values: list[str] | None = None,
) -> None:
    """A table's Parquet from its (raw, typed) chunks, read on their own."""
    sink = ParquetTable(path, fields, primary_key, missing_values)
    for chunk in chunks:
        sink.add_chunk(chunk)
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


def plain_typed(field: dict, column: pa.Array, missing_values: list[str]) -> tuple[pa.Array, pa.Array | None] | None:
    """A column's text (null where a value is missing) and its values in their Arrow type, cast by pyarrow,
    when every cell is missing or written plainly (columns.py: what typed_values reads the same way); None
    for any other column, which is typed a value at a time. A string column has only its text."""
    kind = field.get("type", "string")
    missing = pc.is_in(column, value_set=pa.array(missing_values, pa.string()))
    text = pc.if_else(missing, pa.scalar(None, pa.string()), column) if missing.true_count else column
    if kind == "string":
        return text, None
    pattern = {"integer": INTEGER, "number": NUMBER, "date": DATE}.get(kind)
    if pattern is None or not pc.all(pc.or_(pc.match_substring_regex(column, pattern), missing)).as_py():
        return None
    if kind == "date" and pc.any(pc.starts_with(text, "0000")).as_py():
        return None  # year 0, which Python's dates (and so frictionless) refuse
    try:
        kinds = {"integer": pa.int64(), "date": pa.date32()}
        return text, text.cast(kinds[kind] if kind in kinds else _decimal_type(*_digits(text)))
    except pa.ArrowInvalid:  # a day that no month has: frictionless's reader says what it is
        return None


def _digits(text: pa.Array) -> tuple[int, int]:
    """The precision and scale _decimals gives plainly written numbers (-?digits[.digits]): the most
    places, and the most whole digits but leading zeros (a whole zero, 0, counts one)."""
    present = text.drop_null()
    if not len(present):
        return 1, 0
    digits = pc.replace_substring_regex(present, r"^-?0*", "")
    point = pc.find_substring(digits, ".")
    size = pc.utf8_length(digits)
    has_point = pc.greater_equal(point, 0)
    places = pc.if_else(has_point, pc.subtract(pc.subtract(size, point), 1), 0)
    whole = pc.if_else(has_point, point, size)
    whole = pc.if_else(pc.and_(pc.equal(whole, 0), pc.invert(pc.match_substring(present, "."))), 1, whole)
    scale, most = pc.max(places).as_py(), pc.max(whole).as_py()
    return max(most + scale, 1), scale


def primary_key(resource: dict) -> list[str]:
    key = resource.get("schema", {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _kind(seen: set[pa.DataType] | None) -> pa.DataType | None:
    """A typed column's Arrow type from the types of its chunks; None when it keeps its text:
    string columns, other types, no rows, and columns some value of which did not fit."""
    if not seen:
        return None
    first = next(iter(seen))
    if pa.types.is_decimal(first):  # one scale for the column: the most places any chunk needs
        scale = max(t.scale for t in seen)
        whole = max(t.precision - t.scale for t in seen)
        return None if whole + scale > MAX_DECIMAL_DIGITS else _decimal_type(whole + scale, scale)
    if len(seen) > 1:
        return None  # local times in one chunk, instants in another
    return first


def _final(chunk: pa.RecordBatch, kinds: list[pa.DataType | None], schema: pa.Schema) -> pa.RecordBatch:
    """A spilled chunk with its columns as written: the typed values in the column's type, or the text."""
    columns = [
        chunk.column(f"text{i}") if kind is None else chunk.column(f"typed{i}").cast(kind)
        for i, kind in enumerate(kinds)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema.remove_metadata())


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
