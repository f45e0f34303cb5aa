"""A column profile computed at build time: for each field its non-empty count, distinct
count, smallest and largest value (numbers, dates), most frequent values and examples.

Fed a chunk of raw rows at a time (tables.py reads the file once for everything a page
shows), so memory stays bounded: values are counted exactly up to DISTINCT_LIMIT distinct
values per field; past that the field says "more than" and keeps only its extremes.
Extremes compare values as their type orders them (integers and numbers by value, dates
and times as ISO text); the value shown is the cell as written in the file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

DISTINCT_LIMIT = 50_000
EXAMPLES = 3
ORDERED = {"integer", "number", "date", "datetime", "time", "year", "yearmonth"}


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

    def add(self, column: tuple[str, ...], missing: set[str]) -> None:
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
            if len(self.counts) > DISTINCT_LIMIT:
                self._extremes(self.counts)  # keep what the counts knew, then let them go
                self.counts = None
        elif self.type in ORDERED:
            self._extremes(values)

    def finish(self) -> FieldProfile:
        if self.counts is not None:
            self._extremes(self.counts)
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


def add_rows(profiles: list[FieldProfile], raw: list[list[str]], missing: set[str]) -> None:
    if not raw:
        return
    for profile, column in zip(profiles, zip(*raw, strict=True), strict=True):
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
