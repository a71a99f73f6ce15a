"""Dates known to the day, the month or only the year.

A briefer quotes dates from this record, so a date written `1968-01` must never be shown or sorted
as if it were `1968-01-01`. A `PartialDate` keeps the written form, its precision, and the first and
last day it may stand for.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("day", "month", "year")
EARLIEST_YEAR, LATEST_YEAR = 1800, 2100
_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True, order=True)
class PartialDate:
    first: date
    last: date
    precision: str
    text: str

    def label(self) -> str:
        """Human form that shows the precision: `1 October 1953`, `November 2018`, `1958`."""
        if self.precision == "day":
            return f"{self.first.day} {_MONTHS[self.first.month - 1]} {self.first.year}"
        if self.precision == "month":
            return f"{_MONTHS[self.first.month - 1]} {self.first.year}"
        return str(self.first.year)


def parse_partial_date(value: object) -> PartialDate:
    """Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a bare YAML integer year too).

    Raises ValueError with a message fit for a curator: `2021-02-30` says the day does not exist.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {type(value).__name__}")
    return _parse_text(str(value).strip())


@functools.lru_cache(maxsize=16384)
def _parse_text(text: str) -> PartialDate:
    """The parse proper, memoised: records repeat dates, and equal dates then share one object."""
    match = _FORM.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(match[1])  # the pattern requires it; month and day may be absent
    month, day = (int(part) if part else None for part in match.groups()[1:])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    if month is None:
        return PartialDate(date(year, 1, 1), date(year, 12, 31), "year", text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: there is no month {month}")
    month_days = calendar.monthrange(year, month)[1]
    if day is None:
        return PartialDate(date(year, month, 1), date(year, month, month_days), "month", text)
    if not 1 <= day <= month_days:
        raise ValueError(f"{text!r} does not exist: {_MONTHS[month - 1]} {year} has {month_days} days")
    return PartialDate(date(year, month, day), date(year, month, day), "day", text)
