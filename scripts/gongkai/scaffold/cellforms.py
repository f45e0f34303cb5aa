"""One spreadsheet cell read as a number or a date, and what reading it changed.

Numbers stay the digits written (1,234.50 → 1234.50): never a float, so nothing is rounded.
Full-width forms (１２３，４５６) are folded by NFKC only where the result is a number or a date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
GROUPED = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
SUFFIX = re.compile(r"(.+?)\s*(万|亿|%)")
DATE_FORMS = (  # the pattern and how the maintainer's guide writes the form
    (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), "2019-5-16"),
    (re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"), "2019/5/16"),
    (re.compile(r"([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})"), "2019.5.16"),
    (re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"), "2019年5月16日"),
)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's (Lotus's) count
SERIAL = re.compile(r"[0-9]{5}")
SERIAL_RANGE = range(18264, 73051)  # 1950-01-01 to 2099-12-31: outside it, a number is not a date


@dataclass(frozen=True)
class NumberCell:
    text: str  # the number as written to the CSV: ASCII digits, no separators
    grouped: bool  # had thousands separators
    folded: bool  # had full-width digits or signs
    suffix: str | None  # 万, 亿 or % after the number
    plus: bool = False


def number_cell(cell: str) -> NumberCell | None:
    folded = False
    if not cell.isascii():
        n = unicodedata.normalize("NFKC", cell)
        folded, cell = n != cell, n.strip()
    suffix = None
    m = SUFFIX.fullmatch(cell)
    if m:
        cell, suffix = m.group(1), m.group(2)
    plus = cell.startswith("+")
    cell = cell[1:] if plus else cell
    grouped = bool(GROUPED.fullmatch(cell))
    if grouped:
        cell = cell.replace(",", "")
    if not PLAIN.fullmatch(cell):
        return None
    return NumberCell(cell, grouped, folded, suffix, plus)


def date_cell(cell: str) -> tuple[str, str] | None:
    """(the ISO date, the form it was written in: "" when it was ISO already)."""
    if not cell.isascii():
        cell = unicodedata.normalize("NFKC", cell).strip()
    for pattern, form in DATE_FORMS:
        m = pattern.fullmatch(cell)
        if not m:
            continue
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        iso = day.isoformat()
        return iso, ("" if iso == cell else form)
    return None


def serial_date(cell: str) -> str | None:
    """An Excel date serial (43601 is 2019-05-16) as an ISO date, in the range a table's dates fall in."""
    if not SERIAL.fullmatch(cell) or int(cell) not in SERIAL_RANGE:
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(cell))).isoformat()


def leading_zero(cell: str) -> bool:
    return len(cell) > 1 and cell[0] == "0" and cell[1].isdigit()
