"""A valid resource as a stream of rows, and what the pages need to know about it.

Nothing here holds a whole table: `chunks()` reads the CSV again, a batch of rows at a
time, as raw strings and as the schema types them (the same cell readers as validation,
so every download types a cell exactly as validation did). A table's survey learns what
the pages show: row count, first rows, formula-like cells, crosstab counts, a profile of
each column, and whether the table fits in Excel. Validation takes it while it reads the
file anyway (`Surveys`); `read_table` walks the file once for it when validation did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .cells import formula_like
from .columnprofile import FieldProfile, add_rows, new_profiles
from .columns import BLOCK, NotPlain, fast_source, typed_values
from .csvtext import CsvText, parse
from .load import Dataset, fields_of, schema_of

XLSX_MAX_ROWS = 1_048_575  # one row is the header
XLSX_MAX_CELL = 32_767
SLOW_CHUNK = 50_000  # rows per chunk when a quirky file is read with the strict parser

Chunk = tuple[list[list[str]], list[list]]  # (raw rows, typed rows) of one batch


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

    def chunks(self, typed: bool = True) -> Iterator[Chunk]:
        """(raw rows, typed rows) a chunk at a time; typed is [] when not asked for."""
        missing = schema_of(self.resource).get("missingValues", [""])
        source = fast_source(self.file, self.resource) if self.fast else None
        if source is not None:  # None only if the file changed since read_table: the strict parser reads any file
            for batch in source.batches(self.block_size):
                columns = [batch.column(i) for i in range(batch.num_columns)]
                raw = raw_rows(batch)
                types = (
                    [
                        list(r)
                        for r in zip(
                            *(typed_values(f, c, missing) for f, c in zip(self.fields, columns, strict=True)),
                            strict=True,
                        )
                    ]
                    if typed
                    else []
                )
                yield raw, types
            return
        rows = parse(self.file.read_bytes().decode("utf-8")).rows
        reader = _schema_reader(self.resource) if typed else None
        for start in range(0, len(rows), self.chunk_rows):
            raw = rows[start : start + self.chunk_rows]
            yield raw, [reader.read_cells(row)[0] for row in raw] if reader else []


def raw_rows(batch) -> list[list[str]]:
    """A pyarrow batch of string columns as rows of strings."""
    return [list(r) for r in zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True)]


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
        raws = (
            (raw for raw, _ in table.chunks(typed=False))
            if parsed is None
            else (parsed.rows[i : i + table.chunk_rows] for i in range(0, len(parsed.rows), table.chunk_rows))
        )
        try:
            for raw in raws:
                _survey(table, raw, preview_rows)
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

    def add(self, batch) -> None:
        assert self._open is not None, "start() before add()"
        _survey(self._open, raw_rows(batch), self.preview_rows)

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
        for i in range(0, len(parsed.rows), table.chunk_rows):
            _survey(table, parsed.rows[i : i + table.chunk_rows], self.preview_rows)
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


def _survey(table: Table, raw: list[list[str]], preview_rows: int) -> None:
    start = table.rows
    table.rows += len(raw)
    if len(table.preview) < preview_rows:
        table.preview += raw[: preview_rows - len(table.preview)]
    for name, (count, first) in formula_like(table.fields, raw).items():
        before = table.formulas.get(name, (0, start + first))
        table.formulas[name] = (before[0] + count, before[1])
    names = [f["name"] for f in table.fields]
    for (r, c), tab in table.crosstabs.items():
        ri, ci = names.index(r), names.index(c)
        for row in raw:
            tab.columns.setdefault(row[ci])
            by = tab.counts.setdefault(row[ri], {})
            by[row[ci]] = by.get(row[ci], 0) + 1
    if table.unsafe_cell is None:
        table.unsafe_cell = _unsafe_cell(raw, names, start)
    add_rows(table.profiles, raw, set(schema_of(table.resource).get("missingValues", [""])))


def _unsafe_cell(raw: list[list[str]], names: list[str], start: int) -> tuple[int, str, str] | None:
    for i, row in enumerate(raw):
        for j, cell in enumerate(row):
            if "\ufffe" in cell or "\uffff" in cell:
                return start + i, names[j], "xml"
            if len(cell) > XLSX_MAX_CELL:
                return start + i, names[j], "long"
    return None


def read_tables(ds: Dataset, preview_rows: int = 20, surveys: Surveys | None = None, **chunking) -> list[Table]:
    """Each resource's table: its survey from validation when there is one, else read now.

    chunking (block_size, chunk_rows) is for tests that want many small chunks.
    """
    taken = surveys.tables if surveys is not None and surveys.preview_rows == preview_rows and not chunking else {}
    return [taken.get(res["path"]) or read_table(ds, res, preview_rows, **chunking) for res in ds.resources]
