"""Each column of a spreadsheet typed as a person would type it, and every change said.

A column becomes a number or a date only when every filled cell reads as one; then each kind of
change is counted (去掉千分位逗号 11 处). When most cells read as numbers or dates but some do not,
the column stays text and the note names the rows. Codes (区划代码, leading zeros, more digits
than a spreadsheet keeps) always stay text. A unit in the heading (常住人口（万人）) goes to the
field's `unit`, the rest of the heading to its title; a unit after every number (4.14万) too,
when the whole column has the same one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cellforms import date_cell, leading_zero, number_cell, serial_date
from .notes import Note, rows_list

CODE_HEADING = re.compile(r"代码|编码|编号|号码|邮编|证号|身份证|电话|code|(^|_)id$|(^|_)no$", re.IGNORECASE)
DATE_HEADING = re.compile(r"日期|时间|date", re.IGNORECASE)
YEAR_HEADING = re.compile(r"年份|年度|^year$", re.IGNORECASE)
HEADING_UNIT = re.compile(r"^(.+?)\s*[（(]\s*(?:单位[:：]\s*)?([^（）()]{1,8})\s*[）)]$")
PERCENT_HEADING = re.compile(r"^(.+?)\s*[（(]?\s*(%|％|百分比)\s*[）)]?$")
MAX_DIGITS = 15  # a spreadsheet keeps 15 significant digits: a longer number is an identifier


@dataclass
class Column:
    heading: str  # as in the file
    title: str  # the heading without its unit
    type: str
    values: list[str]  # the cells as the CSV will hold them
    unit: str | None = None
    code: bool = False
    notes: list[Note] = field(default_factory=list)


def split_heading(heading: str) -> tuple[str, str | None]:
    """常住人口（万人） → (常住人口, 万人); 占比(%) → (占比, %)."""
    m = PERCENT_HEADING.fullmatch(heading)
    if m and (m.group(2) != "百分比" or "（" in heading or "(" in heading):
        return m.group(1).strip(), "%"
    m = HEADING_UNIT.fullmatch(heading)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return heading, None


def type_column(heading: str, cells: list[str], rows: list[int], *, from_xlsx: bool = False) -> Column:
    """`rows`: each cell's row in the maintainer's file, for the notes."""
    values = [c.strip() for c in cells]
    col = _typed(Column(heading, heading, "string", values), rows, from_xlsx)
    spaces = sum(1 for c, v in zip(cells, values, strict=True) if c != v)
    if spaces:
        col.notes.insert(
            0, Note(f"{col.title}：去掉首尾空格 {spaces} 处", f"{col.title}: stray spaces removed in {spaces} cell(s)")
        )
    return col


def _typed(col: Column, rows: list[int], from_xlsx: bool) -> Column:
    heading = col.heading
    filled = [(v, r) for v, r in zip(col.values, rows, strict=True) if v]
    if not filled:
        return col
    if _is_code(heading, [v for v, _ in filled]):
        col.code = True
        if all(v.isdigit() for v, _ in filled):
            col.notes.append(
                Note(
                    f"{heading}：是代码，保留为文本（前导零和位数不变）",
                    f"{heading}: a code, kept as text (leading zeros kept)",
                )
            )
        return col
    for attempt in (_as_year, _as_serial_dates if from_xlsx else None, _as_numbers, _as_dates, _as_boolean):
        if attempt is not None and attempt(col, filled):
            return col
    return col


def _is_code(heading: str, filled: list[str]) -> bool:
    if CODE_HEADING.search(heading):
        return True
    digits = [v for v in filled if v.isdigit()]
    return bool(digits) and any(leading_zero(v) or len(v) > MAX_DIGITS for v in digits)


def _keep_text(col: Column, bad: list[int], filled: int, kind_zh: str, kind_en: str) -> bool:
    """Most cells read as `kind` but not all: the column stays text, and the note says which rows."""
    if bad and len(bad) < filled and len(bad) * 2 <= filled:
        zh, en = rows_list(bad)
        col.notes.append(
            Note(
                f"{col.heading}：有 {len(bad)} 个值不是{kind_zh}（{zh}），保留为文本",
                f"{col.heading}: {len(bad)} value(s) are not {kind_en} ({en}); kept as text",
            )
        )
        return True
    return False


def _as_numbers(col: Column, filled: list[tuple[str, int]]) -> bool:
    read = [(number_cell(v), r) for v, r in filled]
    bad = [r for n, r in read if n is None]
    if bad:
        return _keep_text(col, bad, len(filled), "数", "numbers")
    cells = [n for n, _ in read if n is not None]
    suffixes = {n.suffix for n in cells}
    if len(suffixes) > 1:
        order = [n.suffix for n in cells]
        common = max(suffixes - {None}, key=lambda s: (order.count(s), -order.index(s)))
        odd = [r for n, r in read if n is not None and n.suffix != common]
        zh, en = rows_list(odd)
        col.notes.append(
            Note(
                f"{col.heading}：有的值带“{common}”、有的不带或带别的单位（{zh}），单位不一，保留为文本",
                f"{col.heading}: some values end in “{common}” and others not ({en}); units differ, kept as text",
            )
        )
        return True
    if any("." not in n.text and len(n.text.lstrip("-")) > MAX_DIGITS for n in cells):
        col.code = True
        return True
    title, unit = split_heading(col.heading)
    suffix = suffixes.pop()
    if suffix:
        unit = suffix if not unit or unit.startswith(suffix) or suffix == "%" else suffix + unit
    col.title, col.unit = title, unit
    col.type = "number" if any("." in n.text for n in cells) else "integer"
    out = iter(n.text for n in cells)
    col.values = [next(out) if v else "" for v in col.values]
    counts = (
        (sum(n.grouped for n in cells), "去掉千分位逗号", "thousands separators removed"),
        (sum(n.folded for n in cells), "全角数字和符号改为半角", "full-width digits and signs made ASCII"),
        (sum(n.plus for n in cells), "去掉正号“+”", "plus signs removed"),
        (sum(n.suffix is not None for n in cells), f"去掉数后的“{suffix}”", f"“{suffix}” after the number removed"),
    )
    for count, zh, en in counts:
        if count:
            col.notes.append(Note(f"{title}：{zh} {count} 处", f"{title}: {en} in {count} cell(s)"))
    if unit:
        col.notes.append(
            Note(
                f"{title}：单位“{unit}”写入表结构（unit），字段名称为“{title}”",
                f"{title}: unit “{unit}” put in the schema",
            )
        )
    return True


def _as_dates(col: Column, filled: list[tuple[str, int]]) -> bool:
    read = [(date_cell(v), r) for v, r in filled]
    bad = [r for d, r in read if d is None]
    if bad:
        return _keep_text(col, bad, len(filled), "日期", "dates")
    dates = [d for d, _ in read if d is not None]
    out = iter(iso for iso, _ in dates)
    col.values = [next(out) if v else "" for v in col.values]
    col.type = "date"
    for form in dict.fromkeys(f for _, f in dates if f):
        count = sum(1 for _, f in dates if f == form)
        col.notes.append(
            Note(
                f"{col.heading}：{form} 式的日期改写为 2019-05-16 式 {count} 处",
                f"{col.heading}: dates written as {form} rewritten as 2019-05-16 in {count} cell(s)",
            )
        )
    return True


def _as_serial_dates(col: Column, filled: list[tuple[str, int]]) -> bool:
    """Numbers in a date column of an XLSX file whose cells lost their date format: Excel's day count."""
    if not DATE_HEADING.search(col.heading):
        return False
    dates = [serial_date(v) for v, _ in filled]
    if any(d is None for d in dates):
        return False
    out = iter(dates)
    col.values = [next(out) or "" if v else "" for v in col.values]
    col.type = "date"
    col.notes.append(
        Note(
            f"{col.heading}：Excel 的日期序号（如 {filled[0][0]}）改写为日期 {len(dates)} 处",
            f"{col.heading}: Excel date serials (such as {filled[0][0]}) rewritten as dates in {len(dates)} cell(s)",
        )
    )
    return True


def _as_year(col: Column, filled: list[tuple[str, int]]) -> bool:
    years = [v.removesuffix("年") for v, _ in filled]
    if not YEAR_HEADING.search(col.heading) or not all(y.isdigit() and 1000 <= int(y) <= 2999 for y in years):
        return False
    out = iter(years)
    col.values = [next(out) if v else "" for v in col.values]
    col.type = "year"
    return True


def _as_boolean(col: Column, filled: list[tuple[str, int]]) -> bool:
    if not all(v in ("true", "false") for v, _ in filled):
        return False
    col.type = "boolean"
    return True
