"""Search values and resource values made comparable: strings folded for case and accent, dates as ranges.

The index (values read from resources) and the query compiler (values read from the URL) both use
these, so a resource and a search are always normalised the same way. Dates follow STU3 search
rules: every date, dateTime or instant stands for the whole range its precision implies
(``1927`` is all of 1927), kept as a half-open interval ``[low, high)`` of microseconds since
1970-01-01 UTC. Values without a time zone are read as UTC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["EARLIEST", "LATEST", "DateRange", "date_range", "fold", "micros"]

EARLIEST = -(2**62)
"""Low bound of a range with no start (an open Period)."""
LATEST = 2**62
"""High bound of a range with no end (an open Period)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


def fold(text: str) -> str:
    """``text`` without case or accents, as STU3 string search compares it (``Antić`` → ``antic``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass(frozen=True)
class DateRange:
    """The instants a date value stands for: ``low`` included, ``high`` excluded (µs since the epoch, UTC)."""

    low: int
    high: int


def date_range(text: str) -> DateRange:
    """The range a FHIR date, dateTime or instant covers at its precision; ``ValueError`` if it is not one."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError("not a FHIR date: use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm]")
    part = match.groupdict()
    zone = _zone(part["zone"])
    year = int(part["year"])
    if part["month"] is None:
        return _span(datetime(year, 1, 1, tzinfo=zone), lambda start: start.replace(year=year + 1))
    month = int(part["month"])
    if part["day"] is None:
        return _span(datetime(year, month, 1, tzinfo=zone), _next_month)
    day = int(part["day"])
    if part["hour"] is None:
        return _span(datetime(year, month, day, tzinfo=zone), lambda start: start + timedelta(days=1))
    hour, minute = int(part["hour"]), int(part["minute"])
    if part["second"] is None:
        return _span(datetime(year, month, day, hour, minute, tzinfo=zone), lambda s: s + timedelta(minutes=1))
    second = int(part["second"])
    fraction = part["fraction"]
    if fraction is None:
        start = datetime(year, month, day, hour, minute, second, tzinfo=zone)
        return _span(start, lambda s: s + timedelta(seconds=1))
    digits = fraction[:6]
    start = datetime(year, month, day, hour, minute, second, int(digits.ljust(6, "0")), tzinfo=zone)
    return _span(start, lambda s: s + _MICROSECOND * 10 ** (6 - len(digits)))


def _zone(text: str | None) -> timezone:
    if text is None or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if minutes >= 60:
        raise ValueError(f"time zone {text!r} has more than 59 minutes")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _next_month(start: datetime) -> datetime:
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)


def _span(start: datetime, end_of: Callable[[datetime], datetime]) -> DateRange:
    try:
        end = end_of(start)
    except (OverflowError, ValueError):  # the range runs past 9999-12-31
        return DateRange(micros(start), LATEST)
    return DateRange(micros(start), micros(end))


def micros(moment: datetime) -> int:
    """``moment`` as microseconds since 1970-01-01 UTC, the unit of every DateRange."""
    return (moment - _EPOCH) // _MICROSECOND
