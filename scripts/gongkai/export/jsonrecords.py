"""The JSON download: an array of records keyed by field name, typed by the schema, one record per line.

Written a chunk at a time and built with pyarrow, column by column: each column's cells become
their JSON text as whole arrays, and the records are those texts joined between the keys, so no
cell becomes a Python object on the common paths. Integers and numbers written plainly (what
validation's fast path reads as canonical: columns.py) are rewritten as text, the way Python
prints the value (leading zeros dropped, -0 an integer 0, a number's places kept as written); a
string needs escaping only where it holds a quote, a backslash or a control character. Every
other column is typed a distinct value at a time by the same cell readers as every download
(Chunk.decoders) and each value written by json_value. The bytes are those the row-by-row writer
wrote (tests/test_exportspeed.py holds them to it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..read.cells import leading_bytes
from ..read.columns import DATE, INTEGER, NUMBER
from ..read.load import schema_of
from ..read.tables import Chunk, Table

ESCAPED = r'[\x00-\x1f"\\]'  # what json.dumps escapes in a string when ensure_ascii is off
ZERO, MINUS = ord("0"), ord("-")
EXPONENT = r"^-?0+\.0{6}[0-9]"  # 0.0000001, 0.0000000: Decimal prints these with an exponent (1E-7, 0E-7)


class JsonRecords:
    """A table's records, added a chunk at a time (add); a context manager that closes the array."""

    def __init__(self, path: Path, table: Table):
        self.path = path
        self.fields = table.fields
        self.missing = schema_of(table.resource).get("missingValues", [""])
        self.keys = [json.dumps(f["name"], ensure_ascii=False) + ": " for f in table.fields]
        self.first = True
        self.out: IO[bytes] | None = None

    def __enter__(self) -> JsonRecords:
        self.out = self.path.open("wb")
        self.out.write(b"[\n")
        return self

    def add(self, chunk: Chunk) -> None:
        if not chunk.text.num_rows or self.out is None:
            return
        # each record starts with the comma and line end before it; text between cells goes in as one piece
        parts: list = [",\n{"]
        for i, (f, column, decode) in enumerate(zip(self.fields, chunk.text.columns, chunk.decoders, strict=True)):
            parts[-1] += ("" if i == 0 else ", ") + self.keys[i]
            cells, quote = self._column(f, column, decode, chunk.fast)
            parts[-1] += quote
            parts += [cells, quote]
        parts[-1] += "}"
        records = pc.binary_join_element_wise(pa.scalar(parts[0]), *parts[1:], "")
        _, offsets, data = records.buffers()
        ends = np.frombuffer(offsets, np.int32, count=len(records) + 1, offset=4 * records.offset)
        start = int(ends[0]) + (2 if self.first else 0)  # the file's first record has no comma before it
        self.out.write(memoryview(data)[start : int(ends[-1])])
        self.first = False

    def _column(self, f: dict, column: pa.Array, decode, fast: bool) -> tuple[pa.Array, str]:
        """Each cell's JSON text, or the cells as they are and the quote that makes them JSON strings."""
        kind = f.get("type", "string")
        if not fast or kind not in ("string", "integer", "number", "date"):
            return _by_value(column, decode), ""
        missing = pc.is_in(column, value_set=pa.array(self.missing, pa.string()))
        plain = kind == "string" and not _needs_escape(column) or kind == "date" and _dates_as_written(column, missing)
        if plain and not missing.true_count:
            return column, '"'  # the cells as written, quoted by the text around them
        if kind == "date":
            text = pc.binary_join_element_wise('"', column, '"', "") if plain else None
        else:
            text = _strings(column) if kind == "string" else _plain(kind, column, missing)
        if text is None:
            return _by_value(column, decode), ""
        return (pc.if_else(missing, "null", text) if missing.true_count else text), ""

    def __exit__(self, kind, *_) -> None:
        if self.out is None:
            return
        if kind is None:
            self.out.write(b"\n]\n")
        self.out.close()


def write_json(table: Table, path: Path) -> None:
    """The table as JSON records, read on its own."""
    with JsonRecords(path, table) as records:
        for chunk in table.chunks():
            records.add(chunk)


def _needs_escape(column: pa.Array) -> bool:
    # one look at the column's bytes: a quote, a backslash or a control character anywhere in it
    data = column.buffers()[2]
    if data is None:
        return False
    octets = np.frombuffer(data, np.uint8)
    return bool((octets < 0x20).any() or (octets == ord('"')).any() or (octets == ord("\\")).any())


def _strings(column: pa.Array) -> pa.Array:
    quoted = pc.binary_join_element_wise('"', column, '"', "")
    escape = pc.match_substring_regex(column, ESCAPED)
    if not escape.true_count:
        return quoted
    written = [json.dumps(v, ensure_ascii=False) for v in column.filter(escape).to_pylist()]
    return pc.replace_with_mask(quoted, escape, pa.array(written, pa.string()))


def _plain(kind: str, column: pa.Array, missing: pa.Array) -> pa.Array | None:
    """A column of plainly written integers or numbers as Python writes int(text) or Decimal(text);
    None for any other column, which is typed a value at a time."""
    pattern = {"integer": INTEGER, "number": NUMBER}[kind]
    if not pc.all(pc.or_(pc.match_substring_regex(column, pattern), missing)).as_py():
        return None
    # a cell Python writes otherwise starts with 0 or -0 (0.0000001, 007, -0): only those are looked at
    _, (first, second) = leading_bytes(column, 2)
    led = np.flatnonzero((first == ZERO) | ((first == MINUS) & (second == ZERO)))
    if not len(led):
        return column
    suspects = column.take(led)
    if kind == "number" and pc.any(pc.match_substring_regex(suspects, EXPONENT)).as_py():
        return None
    found = pc.match_substring_regex(suspects, r"^-?0[0-9]" if kind == "number" else r"^-?0[0-9]|^-0$")
    if not found.true_count:
        return column
    padded = np.zeros(len(column), bool)
    padded[led[np.asarray(found)]] = True
    cells = column.filter(padded).to_pylist()
    written = [str(int(v)) if kind == "integer" else str(decimal.Decimal(v)) for v in cells]
    return pc.replace_with_mask(column, padded, pa.array(written, pa.string()))


def _dates_as_written(column: pa.Array, missing: pa.Array) -> bool:
    """Whether every cell is missing or a plainly written real day of a year from 1 (strptime
    refuses year 0), which the record holds as it is written."""
    if not pc.all(pc.or_(pc.match_substring_regex(column, DATE), missing)).as_py():
        return False
    present = column.filter(pc.invert(missing)) if missing.true_count else column
    return not pc.any(pc.starts_with(present, "0000")).as_py() and _days(present)


def _days(column: pa.Array) -> bool:
    try:
        column.cast(pa.date32())
    except pa.ArrowInvalid:
        return False
    return True


def _by_value(column: pa.Array, decode) -> pa.Array:
    # each distinct cell typed and written once, then put in every row that holds it
    encoded = pc.dictionary_encode(column)
    written = pa.array([json_value(v) for v in decode(encoded.dictionary)], pa.string())
    return written.take(encoded.indices)


def json_value(value) -> str:
    """JSON text for a typed cell. Decimals keep every digit as written (never through float)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else json.dumps(str(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return json.dumps(value.isoformat())
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)
