"""Reading well-formed tables as whole columns, and typing them as frictionless types them.

A CSV that is a plain rectangle of UTF-8 text (no quoted line breaks, no blank rows, an even
number of quotes) under a schema of plain fields is read by pyarrow a column at a time. The
vectorised checks (validate/fast.py) and the exports (tables.py) both start here; anything
else returns None and goes the row-by-row way.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..core.parallel import in_background
from .load import fields_of, schema_of
from .quoting import QuotePlacement, quotes_placed


class _HidePandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("hidden while pyarrow makes its first conversion")
        return None


def _first_conversion_without_pandas() -> None:
    """pyarrow's first conversion of Python values (an array, a scalar, a compute argument)
    imports pandas to recognise pandas objects: some 0.3 s of one core per process
    (apache/arrow#34994). gongkai hands pyarrow no pandas objects, so that first conversion
    is made here with pandas hidden, and pyarrow remembers it as absent for such values.
    pandas itself still imports and converts (Series, DataFrame, to_pandas) as usual; only
    pandas.NA inside a Python list is then not recognised. Nothing changes when pandas is
    already loaded.
    """
    if "pandas" in sys.modules:
        return
    hide = _HidePandas()
    sys.meta_path.insert(0, hide)
    try:
        pa.array([""])
    finally:
        sys.meta_path.remove(hide)


_first_conversion_without_pandas()

FAST_TYPES = {"string", "integer", "number", "date", "boolean"}
FAST_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"}
PLAIN_FIELD_KEYS = {
    "name",
    "title",
    "description",
    "type",
    "format",
    "constraints",
    "unit",
    "unitField",
    "example",
    "rdfType",
    "title_en",
    "description_en",
}
INTEGER = r"^-?[0-9]{1,18}$"
NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


BLOCK = 1 << 23  # bytes per batch: small enough to stream a file of any size, large enough to vectorise
READ_BLOCK = 1 << 20  # bytes per pyarrow read; it reads some twenty ahead
HEADER_BYTES = 1 << 20  # a header line longer than this is not a plain table's


class NotPlain(Exception):
    """The file turned out not to be a plain rectangle: the row-by-row way decides it."""


@dataclass
class FastTable:
    header: list[str]
    table: pa.Table


@dataclass
class FastSource:
    """A resource file the fast path can read, a batch of rows at a time."""

    path: Path
    header: list[str]

    def batches(self, block_size: int = BLOCK) -> Iterator[pa.RecordBatch]:
        """Every row, as batches of string columns; raises NotPlain when the file is not a rectangle.

        The file is streamed a block at a time, so memory stays flat whatever its size. Its
        shape (physical lines, quotes, carriage returns) is read beside pyarrow and compared
        at the end: a file that is not a plain rectangle is found out then at the latest.
        """
        counting = in_background(_shape, self.path) if self.path.stat().st_size > block_size else None
        rows = 0
        for batch in self._grouped(block_size):
            if batch.schema.names != self.header:
                raise NotPlain
            if _any_blank_row(batch):
                raise NotPlain  # frictionless reports blank rows; leave them to it
            rows += batch.num_rows
            yield batch
        lines = counting.result() if counting else _shape(self.path)
        if lines is None or rows == 0 or rows + 1 != lines:
            raise NotPlain  # no rows, or a quoted line break: physical lines differ from records

    def _grouped(self, size: int) -> Iterator[pa.RecordBatch]:
        """pyarrow's batches joined into about `size` bytes each.

        pyarrow reads about twenty blocks ahead, so it is given small ones (at most 1 MB:
        some 20 MB in flight) and the checks get big batches, which vectorise better.
        """
        options = pacsv.ReadOptions(use_threads=False, block_size=min(size, READ_BLOCK))
        group: list[pa.RecordBatch] = []
        held = 0
        try:
            reader = pacsv.open_csv(
                str(self.path),
                read_options=options,
                parse_options=_parse_options(len(self.header)),
                convert_options=_convert_options(self.header),
            )
            for batch in reader:
                group.append(batch)
                held += batch.nbytes
                if held >= size:
                    yield _join(group)
                    group, held = [], 0
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as exc:
            raise NotPlain from exc
        if group:
            yield _join(group)

    def read(self) -> FastTable:
        return FastTable(
            header=self.header, table=pa.Table.from_batches(list(self.batches()), schema=_schema(self.header))
        )


def fast_source(path: Path, resource: dict) -> FastSource | None:
    """The resource file when the fast path can decide it exactly, else None."""
    if not supported(resource) or schema_of(resource).get("foreignKeys"):
        return None
    with path.open("rb") as f:
        first = f.readline(HEADER_BYTES)
    line = first[:-2] if first.endswith(b"\r\n") else first[:-1]  # Excel ends lines with CRLF
    if not first.endswith(b"\n") or first.startswith(b"\xef\xbb\xbf") or b'"' in first or b"\r" in line:
        return None  # no rows, a BOM, a quoted header, a lone carriage return: frictionless words these
    try:
        header = line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    if header != [f.get("name") for f in fields_of(resource)] or len(set(header)) != len(header):
        return None  # label problems: frictionless words them
    return FastSource(path=path, header=header)


def read_fast(path: Path, resource: dict) -> FastTable | None:
    """The whole resource as columns when the fast path can decide it exactly, else None."""
    source = fast_source(path, resource)
    if source is None:
        return None
    try:
        return source.read()
    except NotPlain:
        return None


def _shape(path: Path, chunk: int = 1 << 22) -> int | None:
    """The number of physical lines; None for what the fast path leaves alone (an odd number
    of quotes, which means an unclosed one; a carriage return that does not end a line, and
    line ends of two kinds: the strict parser counts each lone CR as a line of its own)."""
    quotes = newlines = returns = pairs = 0
    block = bytearray(chunk)  # one buffer, refilled: no fresh memory per read
    last = -1  # no byte yet
    placement = QuotePlacement()
    with path.open("rb", buffering=0) as f:
        while size := f.readinto(block):
            found = block.count(b'"', 0, size)
            quotes += found
            if found or placement.pending:
                placement.feed(block, size)
            else:  # nothing to check here; the next block's first quote looks back at this byte
                placement.last = block[size - 1]
            newlines += block.count(b"\n", 0, size)
            returns += block.count(b"\r", 0, size)
            if returns:
                pairs += block.count(b"\r\n", 0, size) + (last == CR and block[0] == LF)
            last = block[size - 1]
    if quotes % 2 or placement.misplaced or returns != pairs or pairs not in (0, newlines):
        return None  # a quote out of place, a lone CR, or CRLF and LF mixed: the row-by-row way words them
    return newlines + (0 if last == LF else 1)


CR, LF = ord("\r"), ord("\n")


def read_columns(source: bytes, header: list[str]) -> pa.Table | None:
    """All cells of an in-memory CSV as strings, or None when it is not a plain rectangle."""
    if source.count(b'"') % 2 or not quotes_placed(source) or len(set(header)) != len(header):
        return None  # an unclosed or misplaced quote: pyarrow would accept it
    try:
        table = pacsv.read_csv(
            io.BytesIO(source), parse_options=_parse_options(len(header)), convert_options=_convert_options(header)
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if table.column_names != header or table.num_rows == 0 or any(_any_blank_row(b) for b in table.to_batches()):
        return None
    return table


def _join(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    if len(batches) == 1:
        return batches[0]
    return pa.RecordBatch.from_arrays(
        [pa.concat_arrays([b.column(i) for b in batches]) for i in range(batches[0].num_columns)],
        schema=batches[0].schema,
    )


def _parse_options(columns: int) -> pacsv.ParseOptions:
    # With two or more columns a record split at a quoted line break cannot line up with the
    # header, and the caller compares records with physical lines: the faster block splitting
    # (no line breaks inside values) is then exact. A single column keeps the careful one.
    return pacsv.ParseOptions(
        delimiter=",",
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=columns < 2,
        ignore_empty_lines=False,
    )


def _convert_options(header: list[str]) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types={h: pa.string() for h in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )


def _schema(header: list[str]) -> pa.Schema:
    return pa.schema([(h, pa.string()) for h in header])


def _any_blank_row(batch: pa.RecordBatch) -> bool:
    blank = pc.equal(batch.column(0), "")
    if not pc.any(blank).as_py():
        return False
    for col in batch.columns[1:]:
        blank = pc.and_(blank, pc.equal(col, ""))
    return pc.any(blank).as_py()


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
    if (
        canonical
        and pc.all(
            pc.or_(
                pc.match_substring_regex(col, canonical), pc.is_in(col, value_set=pa.array(missing_values, pa.string()))
            )
        ).as_py()
    ):
        convert = int if ftype == "integer" else Decimal
        return [None if v in missing else convert(v) for v in values]
    if (
        ftype == "date"
        and pc.all(
            pc.or_(pc.match_substring_regex(col, DATE), pc.is_in(col, value_set=pa.array(missing_values, pa.string())))
        ).as_py()
    ):
        dates = {v: (None if v in missing else _date_or_none(v)) for v in set(values)}
        return [dates[v] for v in values]
    reader = cell_reader(field, missing_values)
    cache: dict[str, object] = {}
    for v in set(values):
        cache[v] = reader.read_cells([v])[0][0]
    return [cache[v] for v in values]


def cell_reader(field: dict, missing_values: list[str]):
    """frictionless's reader for one field's cells. Only what decides a value goes in, so a
    malformed title or description (reported by the metadata check) cannot stop it."""
    from frictionless import Schema  # imported when needed: it loads every plugin, pandas included

    deciding = {k: v for k, v in field.items() if k in ("name", "type", "format", "constraints")}
    return Schema.from_descriptor({"fields": [deciding], "missingValues": missing_values})


def _date_or_none(text: str):
    # frictionless reads default dates with strptime("%Y-%m-%d"): the same verdict for YYYY-MM-DD
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None
