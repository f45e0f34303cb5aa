"""What the data suggest about the schema: a primary key and each field's constraints.

Proposals, said as notes, for a maintainer to keep or change:
- a primary key: the first column whose values are all filled and all different, codes named
  as such in their heading (区划代码) first, then other codes, and a running number (序号 1, 2,
  3 … in row order: a row's place, not its identity) last; else the first such pair. Rows are
  compared by it when the data are updated.
- a number's range: 不小于 0 when no value is negative (a maximum taken from today's data would
  refuse next year's larger figure, so none is proposed, except 100 for a percentage);
- a code's pattern: its digits (^[0-9]{6}$; ^[0-9]{6,12}$ when the lengths differ);
- a value list (`enum`) for a text column with few distinct values, each repeated;
- `required` for every column without an empty cell.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from .columntypes import CODE_HEADING, Column
from .notes import Note

ENUM_MAX = 10  # distinct values of a text column that make a value list


def primary_key(columns: list[Column], names: list[str]) -> list[str] | None:
    rows = len(columns[0].values) if columns else 0
    if rows < 2:
        return None
    usable = [i for i, c in enumerate(columns) if c.type != "number" and all(c.values)]
    usable.sort(key=lambda i: (_running(columns[i].values), not _named_code(columns[i]), not columns[i].code, i))
    for i in usable:
        if len(set(columns[i].values)) == rows:
            return [names[i]]
    for i, j in combinations(sorted(usable), 2):
        if len(set(zip(columns[i].values, columns[j].values, strict=True))) == rows:
            return [names[i], names[j]]
    return None


def _running(values: list[str]) -> bool:
    """1, 2, 3 … (or 001, 002 …) in row order: the row's place in the file."""
    return all(v.isdigit() for v in values) and [int(v) for v in values] == list(range(1, len(values) + 1))


def _named_code(col: Column) -> bool:
    return col.code and bool(CODE_HEADING.search(col.heading))


def constraints(col: Column) -> dict:
    filled = [v for v in col.values if v]
    out: dict = {}
    if filled and len(filled) == len(col.values):
        out["required"] = True
    if not filled:
        return out
    if col.type in ("integer", "number"):
        numbers = [Decimal(v) for v in filled]
        if min(numbers) >= 0:
            out["minimum"] = 0
        if col.unit == "%" and min(numbers) >= 0 and max(numbers) <= 100:
            out["maximum"] = 100
    elif col.code:
        pattern = _code_pattern(filled)
        if pattern:
            out["pattern"] = pattern
    elif col.type == "string":
        distinct = list(dict.fromkeys(filled))
        if len(distinct) <= ENUM_MAX and len(distinct) * 2 <= len(filled):
            out["enum"] = distinct
    return out


def _code_pattern(values: list[str]) -> str | None:
    lengths = sorted({len(v) for v in values})
    span = f"{{{lengths[0]}}}" if len(lengths) == 1 else f"{{{lengths[0]},{lengths[-1]}}}"
    if all(v.isascii() and v.isdigit() for v in values):
        return f"^[0-9]{span}$"
    if all(v.isascii() and v.isalnum() and v.upper() == v for v in values):
        return f"^[0-9A-Z]{span}$"
    return None


def constraint_note(title: str, proposed: dict) -> Note | None:
    words_zh, words_en = [], []
    if "minimum" in proposed:
        words_zh.append(f"不小于 {proposed['minimum']}")
        words_en.append(f"at least {proposed['minimum']}")
    if "maximum" in proposed:
        words_zh.append(f"不大于 {proposed['maximum']}")
        words_en.append(f"at most {proposed['maximum']}")
    if "pattern" in proposed:
        words_zh.append(f"格式 {proposed['pattern']}")
        words_en.append(f"pattern {proposed['pattern']}")
    if "enum" in proposed:
        words_zh.append(f"取值 {'、'.join(proposed['enum'])}")
        words_en.append(f"one of {', '.join(proposed['enum'])}")
    if "required" in proposed:
        words_zh.append("不能为空")
        words_en.append("required")
    if not words_zh:
        return None
    return Note(f"{title}：建议的约束：{'，'.join(words_zh)}", f"{title}: proposed constraints: {'; '.join(words_en)}")
