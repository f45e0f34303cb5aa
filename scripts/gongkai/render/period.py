"""A data period as readers write it: 2018年, 2018年1月—6月, 截至2022年10月31日; 2018, January–June 2018,
as of 31 October 2022. The shape of a date differs by language (not only its words), so each
language has its own small function here; the labels around them live in messages.py.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..read.period import Period, period_or_none

# English month names, written out: calendar.month_name follows the machine's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_text(period: Period, lang: str = "zh") -> str:
    return _zh(period) if lang == "zh" else _en(period)


def period_fields(temporal: object, lang: str = "zh") -> dict[str, str]:
    """The model's period attributes: `temporal` (the ISO value), `period` (words, "" when the value
    is not a period) and `period_kind` ("instant": data as of a day; "interval": a statistical period)."""
    period = period_or_none(temporal)
    if period is None:
        return {"temporal": "", "period": "", "period_kind": ""}
    return {
        "temporal": str(temporal),
        "period": period_text(period, lang),
        "period_kind": "instant" if period.instant else "interval",
    }


def _whole_months(p: Period) -> bool:
    return p.start.day == 1 and p.end.day == calendar.monthrange(p.end.year, p.end.month)[1]


def _whole_years(p: Period) -> bool:
    return _whole_months(p) and p.start.month == 1 and p.end.month == 12


def _zh_day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _zh(p: Period) -> str:
    if p.instant:
        return f"截至{_zh_day(p.end)}"
    if _whole_years(p):
        return f"{p.start.year}年" if p.start.year == p.end.year else f"{p.start.year}年—{p.end.year}年"
    if _whole_months(p):
        if (p.start.year, p.start.month) == (p.end.year, p.end.month):
            return f"{p.start.year}年{p.start.month}月"
        if p.start.year == p.end.year:
            return f"{p.start.year}年{p.start.month}月—{p.end.month}月"
        return f"{p.start.year}年{p.start.month}月—{p.end.year}年{p.end.month}月"
    if p.start == p.end:
        return _zh_day(p.start)
    return f"{_zh_day(p.start)}—{_zh_day(p.end)}"


def _en_day(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _en(p: Period) -> str:
    if p.instant:
        return f"as of {_en_day(p.end)}"
    if _whole_years(p):
        return str(p.start.year) if p.start.year == p.end.year else f"{p.start.year}–{p.end.year}"
    start, end = MONTHS[p.start.month - 1], MONTHS[p.end.month - 1]
    if _whole_months(p):
        if (p.start.year, p.start.month) == (p.end.year, p.end.month):
            return f"{start} {p.start.year}"
        if p.start.year == p.end.year:
            return f"{start}–{end} {p.start.year}"
        return f"{start} {p.start.year} – {end} {p.end.year}"
    if p.start == p.end:
        return _en_day(p.start)
    return f"{_en_day(p.start)} – {_en_day(p.end)}"
