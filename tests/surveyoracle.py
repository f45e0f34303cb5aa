"""The survey as it was taken row by row before it was vectorised (read/tables.py), kept as the
oracle that tests/test_exportspeed.py holds the vectorised survey to, fact for fact."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

from gongkai.read import columnprofile
from gongkai.read.cells import formula_like
from gongkai.read.columnprofile import EXAMPLES, ORDERED
from gongkai.read.tables import XLSX_MAX_CELL


def survey(fields: list[dict], chunks: list[list[list[str]]], missing: set[str], crosstabs, preview_rows: int):
    """The facts a table's survey holds, from its chunks of raw rows, the old way."""
    names = [f["name"] for f in fields]
    rows, preview, formulas, unsafe = 0, [], {}, None
    tabs = {spec: ({}, {}) for spec in crosstabs}
    profiles = [_Profile(f.get("type", "string")) for f in fields]
    for raw in chunks:
        start = rows
        rows += len(raw)
        if len(preview) < preview_rows:
            preview += raw[: preview_rows - len(preview)]
        for name, (count, first) in formula_like(fields, raw).items():
            before = formulas.get(name, (0, start + first))
            formulas[name] = (before[0] + count, before[1])
        for (r, c), (columns, counts) in tabs.items():
            ri, ci = names.index(r), names.index(c)
            for row in raw:
                columns.setdefault(row[ci])
                by = counts.setdefault(row[ri], {})
                by[row[ci]] = by.get(row[ci], 0) + 1
        if unsafe is None:
            unsafe = _unsafe_cell(raw, names, start)
        if raw:
            for profile, column in zip(profiles, zip(*raw, strict=True), strict=True):
                profile.add(column, missing)
    return {
        "rows": rows,
        "preview": preview,
        "formulas": formulas,
        "crosstabs": tabs,
        "unsafe_cell": unsafe,
        "profiles": [p.finish() for p in profiles],
    }


def _unsafe_cell(raw, names, start):
    for i, row in enumerate(raw):
        for j, cell in enumerate(row):
            if "\ufffe" in cell or "\uffff" in cell:
                return start + i, names[j], "xml"
            if len(cell) > XLSX_MAX_CELL:
                return start + i, names[j], "long"
    return None


class _Profile:
    def __init__(self, kind: str):
        self.type, self.filled, self.counts, self.examples, self.low, self.high = kind, 0, Counter(), [], None, None

    def add(self, column, missing):
        values = [v for v in column if v not in missing] if missing - {""} else [v for v in column if v]
        self.filled += len(values)
        if len(self.examples) < EXAMPLES:
            for v in values:
                if v not in self.examples:
                    self.examples.append(v)
                    if len(self.examples) == EXAMPLES:
                        break
        if self.counts is not None:
            self.counts.update(values)
            if len(self.counts) > columnprofile.DISTINCT_LIMIT:
                self._extremes(self.counts)
                self.counts = None
        elif self.type in ORDERED:
            self._extremes(values)

    def finish(self):
        if self.counts is not None:
            self._extremes(self.counts)
        counts = None if self.counts is None else list(self.counts.items())
        return (self.filled, counts, self.examples, self.low, self.high)

    def _extremes(self, values):
        if self.type not in ORDERED:
            return
        key = _decimal if self.type in ("integer", "number") else (lambda v: v)
        ranked = [(k, v) for v in values if (k := key(v)) is not None]
        if self.low is not None:
            ranked += [(key(self.low), self.low), (key(self.high), self.high)]
        if ranked:
            self.low = min(ranked, key=lambda kv: kv[0])[1]
            self.high = max(ranked, key=lambda kv: kv[0])[1]


def _decimal(value):
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None
