"""Reading well-formed tables as whole columns, and typing them as frictionless types them.

A CSV that is a plain rectangle of UTF-8 text (no quoted line breaks, no blank rows, an even
number of quotes) under a schema of plain fields is read by pyarrow a column at a time. The
vectorised checks (checks/fast.py) and the exports (tables.py) both start here; anything
else returns None and goes the row-by-row way.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from frictionless import Schema

from .load import fields_of, schema_of

FAST_TYPES = {"string", "integer", "number", "date", "boolean"}
FAST_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"}
PLAIN_FIELD_KEYS = {"name", "title", "description", "type", "format", "constraints", "unit", "unitField", "example", "rdfType"}
INTEGER = r"^-?[0-9]{1,18}$"
NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass
class FastTable:
    header: list[str]
    table: pa.Table


def read_fast(path: Path, resource: dict) -> FastTable | None:
    """The resource as columns when the fast path can decide it exactly, else None."""
    if not supported(resource) or schema_of(resource).get("foreignKeys"):
        return None
    scan = _scan(path)
    if scan is None:
        return None
    first, newlines, ends_with_newline = scan
    try:
        header = first.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    if header != [f.get("name") for f in fields_of(resource)]:
        return None  # label problems: frictionless words them
    table = read_columns(path, header)
    if table is None:
        return None
    if newlines + (0 if ends_with_newline else 1) != table.num_rows + 1:
        return None  # a quoted line break: physical lines differ from records
    return FastTable(header=header, table=table)


def _scan(path: Path, chunk: int = 1 << 24) -> tuple[bytes, int, bool] | None:
    """First line, number of line feeds, trailing newline; None for what the fast path leaves alone
    (an odd number of quotes, which means an unclosed one; carriage returns; a BOM; a quoted header)."""
    quotes = newlines = 0
    first = None
    last = b""
    with path.open("rb") as f:
        while block := f.read(chunk):
            if b"\r" in block:
                return None
            quotes += block.count(b'"')
            newlines += block.count(b"\n")
            if first is None:
                first = block.partition(b"\n")[0]
            last = block[-1:]
    if first is None or quotes % 2 or first.startswith(b"\xef\xbb\xbf") or b'"' in first:
        return None
    return first, newlines, last == b"\n"


def read_columns(source: bytes | Path, header: list[str]) -> pa.Table | None:
    """All cells as strings, or None when the file is not a plain rectangle."""
    if isinstance(source, bytes) and source.count(b'"') % 2:
        return None  # an unclosed quote: pyarrow, like frictionless, would accept it
    if len(set(header)) != len(header):
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else str(source),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=",", quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if table.column_names != header or table.num_rows == 0:
        return None
    blank = None
    for col in table.columns:
        empty = pc.equal(col, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if pc.any(blank).as_py():
        return None  # frictionless reports blank rows; leave them to it
    return table


def supported(resource: dict) -> bool:
    """Whether the schema is well formed and every field is one the vectorised checks decide exactly."""
    schema = schema_of(resource)
    if not schema or set(schema) - {"fields", "primaryKey", "foreignKeys", "missingValues"}:
        return False
    missing = schema.get("missingValues", [""])
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    fields = schema.get("fields")
    if not _strings(missing) or not _strings(key) or not isinstance(fields, list) or not fields:
        return False
    names = []
    for field in fields:
        if not isinstance(field, dict) or set(field) - PLAIN_FIELD_KEYS or not isinstance(field.get("name"), str):
            return False
        c = field.get("constraints", {})
        ftype, fmt = field.get("type", "string"), field.get("format", "default")
        if not isinstance(ftype, str) or ftype not in FAST_TYPES or fmt != "default":
            return False
        if not isinstance(c, dict) or set(c) - FAST_CONSTRAINTS or not _constraints_well_formed(c):
            return False
        names.append(field["name"])
    return len(set(names)) == len(names) and all(k in names for k in key)


def _strings(values) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _constraints_well_formed(c: dict) -> bool:
    checks = {
        "required": lambda v: isinstance(v, bool),
        "unique": lambda v: isinstance(v, bool),
        "pattern": lambda v: isinstance(v, str),
        "enum": _strings,
        "minimum": _number,
        "maximum": _number,
        "minLength": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "maxLength": lambda v: isinstance(v, int) and not isinstance(v, bool),
    }
    return all(checks[k](v) for k, v in c.items())


def typed_values(field: dict, col: pa.Array, missing_values: list[str]) -> list:
    """Each row's value as frictionless types it (None where missing or not of the type)."""
    ftype = field.get("type", "string")
    missing = set(missing_values)
    values = col.to_pylist()
    if ftype == "string":
        return [None if v in missing else v for v in values]
    canonical = {"integer": INTEGER, "number": NUMBER}.get(ftype)
    if canonical and pc.all(pc.or_(pc.match_substring_regex(col, canonical), pc.is_in(col, value_set=pa.array(missing_values, pa.string())))).as_py():
        convert = int if ftype == "integer" else Decimal
        return [None if v in missing else convert(v) for v in values]
    if ftype == "date" and pc.all(pc.or_(pc.match_substring_regex(col, DATE), pc.is_in(col, value_set=pa.array(missing_values, pa.string())))).as_py():
        cache = {v: (None if v in missing else _date_or_none(v)) for v in set(values)}
        return [cache[v] for v in values]
    reader = Schema.from_descriptor({"fields": [field], "missingValues": missing_values})
    cache: dict[str, object] = {}
    for v in set(values):
        cache[v] = reader.read_cells([v])[0][0]
    return [cache[v] for v in values]


def _date_or_none(text: str):
    # frictionless reads default dates with strptime("%Y-%m-%d"): the same verdict for YYYY-MM-DD
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None
