"""New data for an existing field: each cell read as the field's type, or a problem naming the
file, row and field and what was expected (应为数字，如 1234.6), for `gongkai update`."""

from __future__ import annotations

from ..core.problems import Problem
from .cellforms import date_cell, number_cell, serial_date
from .notes import Note

EXPECTED = {
    "integer": ("应为整数，如 1234", "expected a whole number, e.g. 1234"),
    "number": ("应为数字，如 1234.6", "expected a number, e.g. 1234.6"),
    "date": ("应为日期，如 2022-12-31（也可写 2022/12/31、2022年12月31日）", "expected a date, e.g. 2022-12-31"),
    "year": ("应为年份，如 2022", "expected a year, e.g. 2022"),
    "boolean": ("应为 true 或 false", "expected true or false"),
}


def convert_to(
    spec: dict, heading: str, cells: list[str], rows: list[int], source: str, *, from_xlsx: bool = False
) -> tuple[list[str], list[Note], list[Problem]]:
    """The cells as the field `spec` holds them, what changed, and the cells that cannot be."""
    kind, name, unit = spec.get("type", "string"), spec["name"], spec.get("unit") or ""
    values = [c.strip() for c in cells]
    counts: dict[str, int] = {}
    problems = []

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    for i, (raw, row) in enumerate(zip(values, rows, strict=True)):
        if raw != cells[i]:
            count("去掉首尾空格")
        if not raw or kind not in EXPECTED:
            continue
        value = _cell(kind, raw, unit, from_xlsx, count)
        if value is None:
            zh, en = EXPECTED[kind]
            measured = unit and kind in ("integer", "number")
            said = f'{en}{f" (unit {unit})" if measured else ""}, not "{raw}"'
            facts = {"zh": f"{zh}{f'（单位 {unit}）' if measured else ''}，这里是“{raw}”"}
            problems.append(Problem("type-error", said, source, row, name, severity="error", params=facts))
        else:
            values[i] = value
    notes = [Note(f"{heading}：{what} {n} 处", f"{heading}: {what} × {n}") for what, n in counts.items()]
    return values, notes, problems


def _cell(kind: str, raw: str, unit: str, from_xlsx: bool, count) -> str | None:
    if kind in ("integer", "number"):
        n = number_cell(raw)
        if n is None or (kind == "integer" and "." in n.text):
            return None
        if n.suffix and not (unit.startswith(n.suffix) or n.suffix == unit):
            return None  # 4.14万 in a field counted in 人 would need a multiplication: the maintainer's call
        for flag, what in (
            (n.grouped, "去掉千分位逗号"),
            (n.folded, "全角数字和符号改为半角"),
            (n.suffix, "去掉数后的单位"),
        ):
            if flag:
                count(what)
        return n.text
    if kind == "date":
        d = date_cell(raw)
        if d:
            if d[1]:
                count(f"{d[1]} 式的日期改写为 2019-05-16 式")
            return d[0]
        serial = serial_date(raw) if from_xlsx else None
        if serial:
            count("Excel 的日期序号改写为日期")
        return serial
    if kind == "year":
        year = raw.removesuffix("年")
        return year if year.isdigit() and len(year) == 4 else None
    return raw if raw in ("true", "false") else None
