"""A valid resource as a stream of rows, and what the pages need to know about it.

Nothing here holds a whole table: `chunks()` reads the CSV again, a batch of rows at a
time, as Arrow string columns with the schema's cell readers beside them (the same readers
as validation, so every download types a cell exactly as validation did). A table's survey
learns what the pages show: row count, first rows, formula-like cells, crosstab counts, a
profile of each column, and whether the table fits in Excel, computed on whole columns with
pyarrow. Validation takes it while it reads the file anyway (`Surveys`); `read_table` walks
the file once for it when validation did not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..core.parallel import ahead
from .cells import NUMERIC, cell_lengths, formula_cells
from .columnprofile import FieldProfile, add_columns, new_profiles
from .columns import BLOCK, FastSource, NotPlain, fast_source, typed_values
from .csvtext import CsvText, parse
from .load import Dataset, fields_of, schema_of

XLSX_MAX_ROWS = 1_048_575  # one row is the header
XLSX_MAX_CELL = 32_767
SLOW_CHUNK = 50_000  # rows per chunk when a quirky file is read with the strict parser

Decode = Callable[[pa.Array], list]  # a column's cells (text) -> their values, as the schema types them


class Chunk:
    """One batch of a table's rows: the cells as text (an Arrow batch of string columns), which the
    vectorised writers take, and the same rows as Python lists, raw and typed, made only when a
    writer asks for them (XLSX, charts). Unpacks as (raw rows, typed rows)."""

    def __init__(self, text: pa.RecordBatch, decoders: Sequence[Decode], fast: bool):
        self.text = text
        self.decoders = decoders  # one per column: each distinct text may be typed once (export/jsonrecords.py)
        self.fast = fast  # typed by validation's fast path (columns.typed_values), else by frictionless's readers

    @functools.cached_property
    def raw(self) -> list[list[str]]:
        return raw_rows(self.text)

    @functools.cached_property
    def typed(self) -> list[list]:
        columns = [decode(column) for decode, column in zip(self.decoders, self.text.columns, strict=True)]
        return [list(r) for r in zip(*columns, strict=True)] if columns else []

    def __iter__(self) -> Iterator[list[list]]:
        return iter((self.raw, self.typed))


@dataclass
class Crosstab:
    columns: dict[str, None] = field(default_factory=dict)  # column values in order of first appearance
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # row value -> column value -> rows


@dataclass
class Table:
    resource: dict  # the resource descriptor
    fields: list[dict]  # schema fields, in file order
    header: list[str]
    file: Path
    fast: bool  # read with pyarrow (a plain rectangle) or with the strict parser
    rows: int = 0
    preview: list[list[str]] = field(default_factory=list)  # the first rows, raw
    formulas: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (cells, first row index)
    crosstabs: dict[tuple[str, str], Crosstab] = field(default_factory=dict)  # (rows field, columns field) -> counts
    unsafe_cell: tuple[int, str, str] | None = None  # first (row index, field, "xml" | "long") Excel cannot hold
    profiles: list[FieldProfile] = field(default_factory=list)  # one per field, in file order
    block_size: int = BLOCK  # bytes per chunk (pyarrow)
    chunk_rows: int = SLOW_CHUNK  # rows per chunk (strict parser)

    @property
    def name(self) -> str:
        return self.resource["name"]

    @property
    def path(self) -> str:
        return self.resource["path"]

    def chunks(self) -> Iterator[Chunk]:
        """The rows a chunk at a time, each typed by the same cell readers as validation."""
        missing = schema_of(self.resource).get("missingValues", [""])
        source = fast_source(self.file, self.resource) if self.fast else None
        if source is not None:  # None only if the file changed since read_table: the strict parser reads any file
            decoders = [functools.partial(typed_values, f, missing_values=missing) for f in self.fields]
            for batch in streamed(source, self.block_size):
                yield Chunk(batch, decoders, fast=True)
            return
        rows = parse(self.file.read_bytes().decode("utf-8")).rows
        readers = list(_schema_reader(self.resource).create_cell_readers().values()) if rows else []
        decoders = [functools.partial(_read_cells, reader) for reader in readers]
        for batch in text_batches(rows, len(self.fields), self.chunk_rows):
            yield Chunk(batch, decoders, fast=False)


def streamed(source: FastSource, block_size: int) -> Iterator[pa.RecordBatch]:
    """The file's batches; a file of more than one is parsed a batch ahead on the other core while
    the caller works on this one (pyarrow's reader and compute functions release the GIL)."""
    batches = source.batches(block_size)
    return ahead(batches) if source.path.stat().st_size > block_size else batches


def _read_cells(reader, column: pa.Array) -> list:
    # frictionless's reader of one field (Schema.read_cells reads a row with one such per field)
    return [reader(cell)[0] for cell in column.to_pylist()]


def raw_rows(batch) -> list[list[str]]:
    """A pyarrow batch of string columns as rows of strings."""
    return [list(r) for r in zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True)]


def text_batches(rows: list[list[str]], width: int, size: int) -> Iterator[pa.RecordBatch]:
    """Rows of strings (the strict parser's) as batches of `size` rows of string columns."""
    for start in range(0, len(rows), size):
        part = rows[start : start + size]
        columns = [pa.array([row[i] for row in part], pa.string()) for i in range(width)]
        yield pa.RecordBatch.from_arrays(columns, names=[str(i) for i in range(width)])


def _schema_reader(resource: dict):
    from frictionless import Schema  # imported when needed: it loads every plugin, pandas included

    return Schema.from_descriptor(resource["schema"])


def read_table(ds: Dataset, resource: dict, preview_rows: int = 20, **chunking) -> Table:
    """The table with what its page needs, from one pass over the file."""
    file = ds.root / resource["path"]
    source = fast_source(file, resource)
    for fast in [True, False] if source else [False]:
        parsed = None if fast else parse(file.read_bytes().decode("utf-8"))  # read once: header and rows
        header = source.header if source and fast else parsed.header if parsed else []
        table = _new_table(ds, resource, header, fast, **chunking)
        batches = (
            streamed(source, table.block_size)
            if source and parsed is None
            else text_batches(parsed.rows if parsed else [], len(header), table.chunk_rows)
        )
        try:
            for batch in batches:
                _survey(table, batch, preview_rows)
        except NotPlain:
            continue  # found out midway: the strict parser reads it instead
        return _finished(table)
    raise AssertionError("the strict parser never raises NotPlain")


class Surveys:
    """The tables' surveys taken while validation's fast path reads each file anyway
    (validate/validator.py), so that read_tables need not read them again.

    A resource's survey counts only once its whole file was read (finish); clear() forgets
    them all when validation falls back to the row-by-row way.
    """

    def __init__(self, ds: Dataset, preview_rows: int = 20):
        self.ds, self.preview_rows = ds, preview_rows
        self.tables: dict[str, Table] = {}  # resource path -> its finished survey
        self._open: Table | None = None
        self._not_plain: set[str] = set()  # files the fast path gave up on: read_table reads them strictly too

    def start(self, resource: dict, header: list[str]) -> None:
        self._open = _new_table(self.ds, resource, header, fast=True)

    def add(self, batch: pa.RecordBatch) -> None:
        assert self._open is not None, "start() before add()"
        _survey(self._open, batch, self.preview_rows)

    def finish(self) -> None:
        assert self._open is not None, "start() before finish()"
        self.tables[self._open.path] = _finished(self._open)
        self._open = None

    def not_plain(self) -> None:
        """The file being surveyed turned out not to be a plain rectangle (NotPlain)."""
        if self._open is not None:
            self._not_plain.add(self._open.path)
        self.clear()

    def add_parsed(self, resource: dict, parsed: CsvText) -> None:
        """A file validation read whole with the strict parser, which is how read_table reads
        it too when the fast path cannot (fast_source is None, or it gave up on the file)."""
        path = resource["path"]
        if path not in self._not_plain and fast_source(self.ds.root / path, resource) is not None:
            return  # read_table would read it the fast way: its table differs in how it reads chunks
        table = _new_table(self.ds, resource, parsed.header, fast=False)
        for batch in text_batches(parsed.rows, len(parsed.header), table.chunk_rows):
            _survey(table, batch, self.preview_rows)
        self.tables[table.path] = _finished(table)

    def clear(self) -> None:
        self.tables.clear()
        self._open = None


def _new_table(ds: Dataset, resource: dict, header: list[str], fast: bool, **chunking) -> Table:
    fields = fields_of(resource)
    table = Table(
        resource=resource, fields=fields, header=header, file=ds.root / resource["path"], fast=fast, **chunking
    )
    specs = [(s["rows"], s["columns"]) for s in ds.loaded.get("crosstabs", []) if s.get("resource") == resource["name"]]
    table.crosstabs = {spec: Crosstab() for spec in specs}
    table.profiles = new_profiles(fields)
    return table


def _finished(table: Table) -> Table:
    for profile in table.profiles:
        profile.finish()
    return table


def _survey(table: Table, batch: pa.RecordBatch, preview_rows: int) -> None:
    # a batch of string columns at a time, vectorised: the file's cells never become Python rows
    start = table.rows
    table.rows += batch.num_rows
    if len(table.preview) < preview_rows:
        table.preview += raw_rows(batch.slice(0, preview_rows - len(table.preview)))
    columns = batch.columns
    for f, column in zip(table.fields, columns, strict=True):
        if f.get("type", "string") in NUMERIC or not isinstance(f.get("name"), str):
            continue  # -5 and +86 are numbers there (cells.formula_like)
        found = formula_cells(column)
        count = int(np.count_nonzero(found))
        if count:
            before = table.formulas.get(f["name"], (0, start + int(np.argmax(found))))
            table.formulas[f["name"]] = (before[0] + count, before[1])
    names = [f["name"] for f in table.fields]
    for (r, c), tab in table.crosstabs.items():
        _count_pairs(tab, columns[names.index(r)], columns[names.index(c)])
    if table.unsafe_cell is None:
        table.unsafe_cell = _unsafe_cell(columns, names, start)
    add_columns(table.profiles, columns, set(schema_of(table.resource).get("missingValues", [""])))


NOT_XML = ("\ufffe", "\uffff")
NOT_XML_BYTES = re.compile(b"\xef\xbf[\xbe\xbf]")  # either, in UTF-8 (re reads an Arrow buffer without a copy)


def _count_pairs(tab: Crosstab, rows: pa.Array, cols: pa.Array) -> None:
    # each (row value, column value) pair in order of first appearance, as a row-by-row count would meet them
    row_codes, col_codes = pc.dictionary_encode(rows), pc.dictionary_encode(cols)
    width = len(col_codes.dictionary)
    pairs = pc.add(pc.multiply(row_codes.indices.cast(pa.int64()), width), col_codes.indices.cast(pa.int64()))
    counted = pc.value_counts(pairs)
    row_values, col_values = row_codes.dictionary.to_pylist(), col_codes.dictionary.to_pylist()
    for value in col_values:
        tab.columns.setdefault(value)
    for pair, n in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True):
        by = tab.counts.setdefault(row_values[pair // width], {})
        key = col_values[pair % width]
        by[key] = by.get(key, 0) + n


def _unsafe_cell(columns: list[pa.Array], names: list[str], start: int) -> tuple[int, str, str] | None:
    # the first cell, row by row, that Excel cannot hold: U+FFFE or U+FFFF (XML), or too long
    first = None
    for j, column in enumerate(columns):
        data = column.buffers()[2]
        # one search of the column's bytes in place (rarely found), then the cells that hold it
        checks = [pc.match_substring(column, c) for c in NOT_XML] if data and NOT_XML_BYTES.search(data) else []
        if len(column) and cell_lengths(column).max() > XLSX_MAX_CELL:  # bytes: at least its characters
            checks.append(pc.greater(pc.utf8_length(column), XLSX_MAX_CELL))
        if not checks:
            continue
        bad = functools.reduce(pc.or_, checks)
        if bad.true_count:
            i = pc.index(bad, True).as_py()
            if first is None or i < first[0]:
                first = (i, j)
    if first is None:
        return None
    i, j = first
    cell = columns[j][i].as_py()
    return start + i, names[j], "xml" if "\ufffe" in cell or "\uffff" in cell else "long"


def read_tables(ds: Dataset, preview_rows: int = 20, surveys: Surveys | None = None, **chunking) -> list[Table]:
    """Each resource's table: its survey from validation when there is one, else read now.

    chunking (block_size, chunk_rows) is for tests that want many small chunks.
    """
    taken = surveys.tables if surveys is not None and surveys.preview_rows == preview_rows and not chunking else {}
    return [taken.get(res["path"]) or read_table(ds, res, preview_rows, **chunking) for res in ds.resources]
