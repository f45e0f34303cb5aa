"""A column profile computed at build time: for each field its non-empty count, distinct
count, smallest and largest value (numbers, dates), most frequent values and examples.

Fed a batch of each column's cells at a time, counted with pyarrow (tables.py reads the
file once for everything a page shows), so memory stays bounded: values are counted
exactly up to DISTINCT_LIMIT distinct values per field; past that the field says "more
than" and keeps only its extremes.
Extremes compare values as their type orders them (integers and numbers by value, dates
and times as ISO text); the value shown is the cell as written in the file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cells import cell_lengths
from .columns import INTEGER  # what Arrow's integer reading takes as Decimal does

DISTINCT_LIMIT = 50_000
EXAMPLES = 3
ORDERED = {"integer", "number", "date", "datetime", "time", "year", "yearmonth"}
# The Arrow types that hold a column's numbers exactly, when they fit (_exact_numbers)
EXACT = {"integer": pa.int64(), "number": pa.decimal128(30, 15)}


@dataclass
class FieldProfile:
    name: str
    type: str
    filled: int = 0  # cells that are not a missing value
    counts: Counter | None = field(default_factory=Counter)  # None past DISTINCT_LIMIT
    examples: list[str] = field(default_factory=list)  # the first distinct values, in file order
    low: str | None = None
    high: str | None = None

    @property
    def distinct(self) -> int | None:
        """Distinct non-empty values, or None when there are more than DISTINCT_LIMIT."""
        return None if self.counts is None else len(self.counts)

    def frequent(self, n: int = 3) -> list[tuple[str, int]]:
        """The most frequent values that occur more than once (none for a column of unique values)."""
        if self.counts is None:
            return []
        return [(v, c) for v, c in self.counts.most_common(n) if c > 1]

    def add(self, column: pa.Array, missing: set[str]) -> None:
        """One batch of the column's cells (strings), counted with pyarrow: only distinct values reach Python."""
        dropped = missing if missing - {""} else {""}  # "" is never counted, whatever missingValues says
        if dropped == {""}:
            kept = cell_lengths(column) > 0
            gone = len(column) - int(np.count_nonzero(kept))
        else:
            found = pc.is_in(column, value_set=pa.array(sorted(dropped), pa.string()))
            gone, kept = found.true_count, pc.invert(found)
        self.filled += len(column) - gone
        if self.counts is None and self.type not in ORDERED:
            return  # past the limit nothing more is kept of a column that has no order
        values = column.filter(kept) if gone else column
        if self.counts is None:
            self._batch_extremes(values)
            return
        counted = pc.value_counts(values)  # in order of first appearance, as a row-by-row count meets them
        distinct = counted.field("values")
        for v in distinct.slice(0, EXAMPLES).to_pylist():  # enough: at most the examples' own are not new
            if len(self.examples) < EXAMPLES and v not in self.examples:
                self.examples.append(v)
        if len(distinct) <= DISTINCT_LIMIT:
            self.counts.update(dict(zip(distinct.to_pylist(), counted.field("counts").to_pylist(), strict=True)))
            if len(self.counts) <= DISTINCT_LIMIT:
                return
            distinct = pa.array([], pa.string())
        seen = pa.concat_arrays([pa.array(list(self.counts), pa.string()), distinct])
        self.counts = None  # keep what the counts knew (seen, in order of first appearance), then let them go
        self._batch_extremes(seen)

    def _batch_extremes(self, values: pa.Array) -> None:
        # a batch's smallest and largest, each the first cell of its value, as _extremes ranks them
        if not len(values) or self.type not in ORDERED:
            return
        if self.type not in ("integer", "number"):  # ISO text: ordered as text, an equal value is the same cell
            ends = pc.min_max(values)
            ranked = [t for t in (ends["min"].as_py(), ends["max"].as_py(), self.low, self.high) if t is not None]
            self.low, self.high = min(ranked), max(ranked)
            return
        near = _nearest_doubles(values) if self.type == "number" else None
        if near is not None:
            self._extremes(near)
            return
        numbers = _exact_numbers(values, self.type)
        if numbers is None:
            self._extremes(values.to_pylist())  # a long number, a hex one, a space: Decimal decides
            return
        ends = pc.min_max(numbers)
        low = values[pc.index(numbers, ends["min"]).as_py()].as_py()
        high = values[pc.index(numbers, ends["max"]).as_py()].as_py()
        self._extremes([low, high])

    def finish(self) -> FieldProfile:
        if self.counts is not None:
            self._batch_extremes(pa.array(list(self.counts), pa.string()))
        return self

    def _extremes(self, values) -> None:
        if self.type not in ORDERED:
            return
        key = _order_key(self.type)
        ranked = [(k, v) for v in values if (k := key(v)) is not None]
        if self.low is not None:
            ranked += [(key(self.low), self.low), (key(self.high), self.high)]
        if ranked:
            self.low = min(ranked, key=lambda kv: kv[0])[1]
            self.high = max(ranked, key=lambda kv: kv[0])[1]


def _nearest_doubles(values: pa.Array) -> list[str] | None:
    """The distinct cells of a number column that can hold its smallest or largest value, in order of
    first appearance: those whose double is the smallest or largest double. Rounding to a double
    keeps the order (a < b gives double(a) <= double(b)), so the exact extremes are among them, and
    Decimal picks them (_extremes); a double is read faster than a wide decimal. None when a cell
    is no finite double (Arrow reads no number Decimal does not, as with decimals below)."""
    try:
        doubles = values.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not pc.all(pc.is_finite(doubles)).as_py():
        return None
    ends = pc.min_max(doubles)
    near = pc.or_(pc.equal(doubles, ends["min"]), pc.equal(doubles, ends["max"]))
    return pc.unique(values.filter(near)).to_pylist()


def _exact_numbers(values: pa.Array, kind: str) -> pa.Array | None:
    """The cells as Arrow numbers when Arrow holds each one's value exactly, else None. A number's
    cast is its own test: Arrow's decimal reading takes only what Decimal reads as the same value
    (signs, exponents, a bare point) and refuses a cell that does not fit; its integer reading
    also takes hexadecimal (0x10), which Decimal does not, so integers are checked first."""
    if kind == "integer" and not pc.all(pc.match_substring_regex(values, INTEGER)).as_py():
        return None
    try:
        return values.cast(EXACT[kind])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


# Which columns' values the search index holds (searchable_values): text and codes, not numbers
# or dates; free text (long cells) only when its field opts in.
FREE_TEXT_LENGTH = 40  # characters per cell, on average
CODE_WORDS = ("code", "代码", "编码", "编号", "号码")


def searchable_values(f: dict, profile: FieldProfile, limit: int) -> list[str]:
    """The distinct values of a column that search finds its dataset by, the first `limit` in
    file order: a string column's or a code's (an integer field named for a code), unless the
    field says "search": false; a column of free text only when it says "search": true."""
    opt = f.get("search")
    if opt is False or profile.counts is None:
        return []
    name = f"{f['name']} {f.get('title', '')}".lower()
    code = profile.type in ("integer", "string") and any(w in name for w in CODE_WORDS)
    if opt is not True and profile.type != "string" and not code:
        return []
    filled = sum(profile.counts.values())
    average = sum(len(v) * n for v, n in profile.counts.items()) / filled if filled else 0
    if opt is not True and average > FREE_TEXT_LENGTH:
        return []
    return [v for _, v in zip(range(limit), profile.counts, strict=False)]


def new_profiles(fields: list[dict]) -> list[FieldProfile]:
    return [FieldProfile(name=f["name"], type=f.get("type", "string")) for f in fields]


def add_columns(profiles: list[FieldProfile], columns: list[pa.Array], missing: set[str]) -> None:
    for profile, column in zip(profiles, columns, strict=True):
        profile.add(column, missing)


def empty_cells(profiles: list[FieldProfile], rows: int) -> int:
    return sum(rows - p.filled for p in profiles)


def _order_key(kind: str):
    if kind in ("integer", "number"):
        return _decimal
    return lambda v: v  # ISO dates, times and years sort as text


def _decimal(value: str) -> Decimal | None:
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None
