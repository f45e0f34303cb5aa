"""Vectorised validation of well-formed tables: the fast path beside frictionless.

Frictionless reads row by row in Python (about 20k rows/s here). For a rectangular UTF-8
file this module takes batches of string columns from pyarrow and checks types and constraints with
vectorised tests that are *sound*: a value they pass, frictionless passes too. Every value
they cannot pass is decided by frictionless's own cell reader, once per distinct value, so
the verdict and message are frictionless's. Anything unusual (a parse error, ragged or
blank rows, an odd number of quotes, a field option we do not vectorise) makes the caller
use frictionless for the whole table. A differential test keeps both in step.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..read.cells import (
    formula_cells,
    number_refusal,
    number_refused_facts,
    number_refused_message,
    number_text_refusal,
)
from ..read.columns import cell_reader, typed_values
from ..read.load import fields_of, schema_of
from .fastcells import passes, within_bounds
from .table import primary_key_facts
from .text import INVISIBLE_RANGES

# RE2 forms of validate/text.py's patterns: a cheap first pass; matching cells go to the exact check.
CONTROL_RE2 = r"[\x{0}-\x{8}\x{b}\x{c}\x{e}-\x{1f}\x{7f}\x{202a}-\x{202e}\x{2066}-\x{2069}\x{fffe}\x{ffff}]"
PINYIN_RE2 = r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]"
INVISIBLE_RE2 = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in INVISIBLE_RANGES) + "]"
TEXT_RE2 = f"{CONTROL_RE2}|{PINYIN_RE2}|{INVISIBLE_RE2}"


@dataclass
class Finding:
    """One problem in one cell or row, in frictionless's terms (row = record number, header = 1)."""

    code: str
    row: int
    field: str | None
    message: str
    params: dict = dataclasses.field(default_factory=dict)  # the facts, worded at the edge (problemtext.py)


@dataclass
class Scan:
    """What the vectorised pass found in one resource."""

    findings: list[Finding]  # type, constraint, unique and primary-key errors
    suspicious: list[tuple[int, str, str]]  # (row, field, value) a text regex flags, for the exact check
    formulas: dict[str, tuple[int, int]]  # field -> (cells that look like formulas, first row index)
    rows: int


class ColumnCheck:
    """Checks a resource a batch of rows at a time, so no file is ever read whole.

    Each field of each batch is checked in a thread (pyarrow's kernels release the GIL, so
    both cores work) while the next batch is read; results are collected in batch order.
    Unique and primary-key columns are kept until the end, the rest let go.
    """

    def __init__(self, resource: dict):
        schema = schema_of(resource)
        self.fields = fields_of(resource)
        self.missing_values = schema.get("missingValues", [""])
        key = schema.get("primaryKey")
        self.key = [key] if isinstance(key, str) else list(key or [])
        self.kept_names = {f["name"] for f in self.fields if (f.get("constraints") or {}).get("unique")} | set(self.key)
        self.kept: dict[str, list[pa.Array]] = {name: [] for name in self.kept_names}
        self.verdicts: dict[str, dict[str, dict]] = {f["name"]: {} for f in self.fields}
        self.findings: list[Finding] = []
        self.suspicious: list[tuple[int, str, str]] = []
        self.formulas: dict[str, tuple[int, int]] = {}
        self.rows = 0
        self.pool: ThreadPoolExecutor | None = None  # for big batches only: threads cost more than small columns
        self.pending: deque[list[Future]] = deque()  # checks of batches not yet collected, in order
        self.few: dict[str, bool] = {}  # field -> few distinct values (decided on the first batch)

    def add(self, batch: pa.RecordBatch) -> None:
        """Queue a batch's checks; up to two batches are checked while the next one is read."""
        start = self.rows
        columns = batch.columns
        if self.pool is None and batch.num_rows >= 10_000:
            self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        if self.pool:
            self.pending.append(
                [self.pool.submit(self._field, f, columns[i], start) for i, f in enumerate(self.fields)]
            )
        else:
            self._collect([self._field(f, columns[i], start) for i, f in enumerate(self.fields)])
        while len(self.pending) > 2:
            self._collect([job.result() for job in self.pending.popleft()])
        for name in self.kept_names:
            self.kept[name].append(batch.column(name))
        self.rows += batch.num_rows

    def _collect(self, results: list) -> None:
        for findings, suspicious, formula in results:
            self.findings += findings
            self.suspicious += suspicious
            if formula:
                name, count, first = formula
                before = self.formulas.get(name, (0, first))
                self.formulas[name] = (before[0] + count, before[1])

    def finish(self, row_text) -> Scan:
        """row_text(rows) -> {row: the row's cells joined by commas}, for primary-key messages."""
        while self.pending:
            self._collect([job.result() for job in self.pending.popleft()])
        if self.pool:
            self.pool.shutdown()
        columns = {name: pa.chunked_array(chunks, pa.string()).combine_chunks() for name, chunks in self.kept.items()}
        distinct = {name: _all_distinct(col, self.missing_values) for name, col in columns.items()}
        findings = list(self.findings)
        for field in self.fields:
            if (field.get("constraints") or {}).get("unique"):
                findings += _unique_findings(
                    field, columns[field["name"]], self.missing_values, distinct[field["name"]]
                )
        findings += _primary_key_findings(self.key, self.fields, columns, self.missing_values, distinct, row_text)
        return Scan(findings=findings, suspicious=self.suspicious, formulas=self.formulas, rows=self.rows)

    def _field(self, field: dict, col: pa.Array, start: int):
        name = field["name"]
        ftype = field.get("type", "string")
        # Every check here depends on the value alone. A column with few distinct values (an
        # enum, dates, small counts) is checked once per distinct value and the verdicts spread.
        if name not in self.few:
            self.few[name] = len(pc.unique(col)) * 4 <= len(col)
        values = pc.unique(col) if self.few[name] else col

        def spread(mask: pa.Array) -> pa.Array:
            return pc.is_in(col, value_set=values.filter(mask)) if values is not col else mask

        passed = passes(field, values)
        ok = spread(passed)
        missing = pc.is_in(col, value_set=pa.array(self.missing_values, pa.string()))
        findings = _field_findings(field, col, missing, ok, self.missing_values, self.verdicts[name], start)
        # A value that passed a non-string type is digits and signs: no text or formula problem in it.
        open_text = None if ftype == "string" else pc.invert(passed)

        def hits(pattern: str) -> pa.Array:
            mask = pc.match_substring_regex(values, pattern)
            return spread(mask if open_text is None else pc.and_(mask, open_text))

        found = []
        if _anywhere(values, TEXT_RE2):
            mask = hits(TEXT_RE2)
            rows = pc.indices_nonzero(mask)
            found = [
                (start + i + 2, name, v) for i, v in zip(rows.to_pylist(), col.filter(mask).to_pylist(), strict=True)
            ]
        formula = None
        cells = formula_cells(values) if ftype not in ("integer", "number") else None
        if cells is not None and cells.any():
            mask = pa.array(cells)
            mask = spread(mask if open_text is None else pc.and_(mask, open_text))
            count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
            if count:
                formula = (name, count, start + pc.indices_nonzero(mask)[0].as_py())
        return findings, found, formula


def check_columns(resource: dict, table: pa.Table, batch_rows: int | None = None) -> list[Finding]:
    """Every type, constraint, unique and primary-key finding for a table held in memory."""
    check = ColumnCheck(resource)
    for batch in table.to_batches(max_chunksize=batch_rows):
        check.add(batch)

    def row_text(rows):
        return {row: ",".join(table.column(j)[row - 2].as_py() for j in range(table.num_columns)) for row in rows}

    return check.finish(row_text).findings


def _anywhere(col: pa.Array, pattern: str) -> bool:
    """Whether the pattern matches the column's characters taken as one string (cells run together)."""
    col = pa.concat_arrays([col])  # own buffers, starting at offset 0
    offsets = np.frombuffer(col.buffers()[1], dtype=np.int32, count=len(col) + 1)
    data = col.buffers()[2]
    if data is None:
        return False
    whole = pa.Array.from_buffers(
        pa.string(), 1, [None, pa.py_buffer(np.array([0, offsets[-1]], dtype=np.int32).tobytes()), data]
    )
    return pc.any(pc.match_substring_regex(whole, pattern)).as_py()


# First UTF-8 bytes of = + - @ TAB CR and of the full-width ＝＋－＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20)


def _field_findings(
    field: dict, col: pa.Array, missing: pa.Array, ok: pa.Array, missing_values: list[str], verdicts: dict, start: int
) -> list[Finding]:
    name = field["name"]
    constraints = field.get("constraints") or {}
    findings = []
    if constraints.get("required"):
        for row in _rows(missing, start):
            findings.append(
                Finding(
                    "constraint-error",
                    row,
                    name,
                    '"" breaks the constraint: constraint "required" is "True"',
                    {"value": "", "note": 'constraint "required" is "True"'},
                )
            )
    doubtful = pc.invert(pc.or_(missing, ok))
    if not pc.any(doubtful).as_py():
        return findings
    values = col.filter(doubtful).to_pylist()
    new = [v for v in set(values) if v not in verdicts]
    for value in [v for v in new if within_bounds(field, v)]:
        verdicts[value] = {}
    new = [v for v in new if v not in verdicts]
    if new:
        reader = cell_reader(field, missing_values)
        for value in new:
            _, notes = reader.read_cells([value])
            verdicts[value] = notes[0] or {}
    ftype = field.get("type", "string")
    refused = {v: number_refusal(v) for v in set(values)} if ftype == "number" else {}
    unwritten = {v: number_text_refusal(v, field) for v in set(values)} if ftype in ("number", "integer") else {}
    for row, value in zip(_rows(doubtful, start), values, strict=True):
        notes = verdicts[value]
        if "type" in notes:
            facts = {"value": value, "type": ftype}
            findings.append(Finding("type-error", row, name, f'"{value}" is not a valid {ftype}', facts))
            continue
        for note in notes.values():
            facts = {"value": value, "note": note}
            findings.append(Finding("constraint-error", row, name, f'"{value}" breaks the constraint: {note}', facts))
        if why := refused.get(value):  # read as a number by frictionless, refused by gongkai (cells.number_refusal)
            facts = number_refused_facts(value, why)
            findings.append(Finding("number-not-finite", row, name, number_refused_message(value, why), facts))
        elif why := unwritten.get(value):  # read as a number by frictionless from text the downloads would not keep
            facts = number_refused_facts(value, why)
            findings.append(Finding("number-not-ascii", row, name, number_refused_message(value, why), facts))
    return findings


def _unique_findings(field: dict, col: pa.Array, missing_values: list[str], distinct: bool) -> list[Finding]:
    # As frictionless does it: typed values, missing ones skipped, each repeat reported.
    name = field["name"]
    if field.get("type", "string") == "string" and distinct:
        return []
    seen: dict = {}
    findings = []
    for i, (value, raw) in enumerate(zip(typed_values(field, col, missing_values), col.to_pylist(), strict=True)):
        if value is None:
            continue
        if value in seen:
            findings.append(
                Finding(
                    "unique-error",
                    i + 2,
                    name,
                    f'"{raw}" appears more than once but the field must be unique',
                    {"value": raw},
                )
            )
        seen[value] = i + 2
    return findings


def _primary_key_findings(
    names: list[str], fields: list[dict], columns: dict, missing_values: list[str], distinct: dict, row_text
) -> list[Finding]:
    if not names:
        return []
    by_name = {f["name"]: f for f in fields}
    only = names[0]
    if (
        len(names) == 1
        and by_name[only].get("type", "string") == "string"
        and distinct[only]
        and not _any_missing(columns[only], missing_values)
    ):
        return []
    typed = [typed_values(by_name[n], columns[n], missing_values) for n in names]
    seen: dict = {}
    found = []
    for i, cells in enumerate(zip(*typed, strict=True)):
        row = i + 2
        if set(cells) == {None}:
            note = 'cells composing the primary keys are all "None"'
        else:
            previous = seen.get(cells)
            seen[cells] = row  # frictionless points at the latest earlier occurrence
            if previous is None:
                continue
            note = f"the same as in the row on line {previous}"
        found.append((row, note))
    texts = row_text({row for row, _ in found}) if found else {}
    label = ",".join(names)
    return [
        Finding(
            "primary-key",
            row,
            label,
            f"duplicate primary key in the row ({_short(texts[row])}): {note}",
            primary_key_facts(_short(texts[row]), note),
        )
        for row, note in found
    ]


def _any_missing(col: pa.Array, missing_values: list[str]) -> bool:
    return pc.any(pc.is_in(col, value_set=pa.array(missing_values, pa.string()))).as_py()


def _all_distinct(col: pa.Array, missing_values: list[str]) -> bool:
    """No present value repeats: the common case, decided at C speed (at once for sorted codes)."""
    present = col.filter(pc.invert(pc.is_in(col, value_set=pa.array(missing_values, pa.string()))))
    if len(present) < 2 or pc.all(pc.less(present[:-1], present[1:])).as_py():
        return True
    return len(pc.unique(present)) == len(present)


def _rows(mask: pa.Array, start: int = 0) -> list[int]:
    return [start + i + 2 for i in pc.indices_nonzero(mask).to_pylist()]


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:80] + "…"
