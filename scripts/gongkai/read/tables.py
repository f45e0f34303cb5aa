"""A valid resource as a stream of rows, and what the pages need to know about it.

Nothing here holds a whole table: `chunks()` reads the CSV again, a batch of rows at a
time, as raw strings and as the schema types them (the same cell readers as validation,
so every download types a cell exactly as validation did). `read_table` walks the file
once to learn what the pages show: row count, first rows, formula-like cells, crosstab
counts, a profile of each column, and whether the table fits in Excel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .cells import formula_like
from .columnprofile import FieldProfile, add_rows, new_profiles
from .columns import BLOCK, NotPlain, fast_source, typed_values
from .csvtext import parse
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
                raw = [list(r) for r in zip(*(c.to_pylist() for c in columns), strict=True)]
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


def _schema_reader(resource: dict):
    from frictionless import Schema  # imported when needed: it loads every plugin, pandas included

    return Schema.from_descriptor(resource["schema"])


def read_table(ds: Dataset, resource: dict, preview_rows: int = 20, **chunking) -> Table:
    """The table with what its page needs, from one pass over the file."""
    file = ds.root / resource["path"]
    source = fast_source(file, resource)
    specs = [(s["rows"], s["columns"]) for s in ds.loaded.get("crosstabs", []) if s.get("resource") == resource["name"]]
    fields = fields_of(resource)
    for fast in [True, False] if source else [False]:
        parsed = None if fast else parse(file.read_bytes().decode("utf-8"))  # read once: header and rows
        header = source.header if source and fast else parsed.header if parsed else []
        table = Table(resource=resource, fields=fields, header=header, file=file, fast=fast, **chunking)
        table.crosstabs = {spec: Crosstab() for spec in specs}
        table.profiles = new_profiles(fields)
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
        for profile in table.profiles:
            profile.finish()
        return table
    raise AssertionError("the strict parser never raises NotPlain")


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


def read_tables(ds: Dataset, preview_rows: int = 20, **chunking) -> list[Table]:
    """chunking (block_size, chunk_rows) is for tests that want many small chunks."""
    return [read_table(ds, res, preview_rows, **chunking) for res in ds.resources]
