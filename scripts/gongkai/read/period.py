"""A dataset's data period (`temporal`): an ISO 8601 date (data as of that day) or an interval of
two dates (a statistical period), read once here for validation, pages, catalogs and quality.

Only whole dates are accepted (`2022-10-31`, `2018-01-01/2018-12-31`): a reader, a harvester and
the timeliness score all need the period's last day, which `2018` or `2018-05` would leave open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    instant: bool  # a date (data as of `end`), not an interval

    @property
    def years(self) -> list[str]:
        """The calendar years the period covers, newest first (the catalog's year filter)."""
        return [str(y) for y in range(self.end.year, self.start.year - 1, -1)]


def parse_period(value: object) -> Period:
    """The period a `temporal` value declares; ValueError saying what is wrong, for a maintainer."""
    if not isinstance(value, str):
        raise ValueError(f'must be text such as "2018-01-01/2018-12-31", not {type(value).__name__}')
    parts = value.split("/")
    if len(parts) > 2:
        raise ValueError(f'"{value}" has more than one "/": write one date, or two dates joined by "/"')
    dates = [_date(part, value) for part in parts]
    if dates[0] > dates[-1]:
        raise ValueError(f'"{value}" ends before it starts: write the earlier date first')
    return Period(dates[0], dates[-1], instant=len(dates) == 1)


def period_or_none(value: object) -> Period | None:
    try:
        return parse_period(value)
    except ValueError:
        return None


def _date(part: str, whole: str) -> dt.date:
    if not _DATE.match(part):
        raise ValueError(
            f'"{whole}" is not a date YYYY-MM-DD (data as of a day) '
            "or an interval YYYY-MM-DD/YYYY-MM-DD (a statistical period)"
        )
    try:
        return dt.date.fromisoformat(part)
    except ValueError:
        raise ValueError(f'"{part}" in "{whole}" is not a day of the calendar') from None
