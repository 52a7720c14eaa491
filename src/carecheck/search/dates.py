"""FHIR date, dateTime, instant and Period values as the spans of time they cover, and the STU3 date prefixes.

STU3 search.html §2.1.1.4 ("date") treats every date as a range fixed by its precision: ``2013-01-10``
covers "all the time from 00:00 on 10-Jan 2013 to immediately before 00:00 on 11-Jan 2013"; an instant is
"an interval with an effective width of 0"; a Period is explicit "though the upper or lower bound may not
actually be specified". Ranges here are half-open ``[low, high)`` in whole microseconds.

Time zones: "Where both search parameters and resource element date times do not have time zones, the
servers local time zone should be assumed", so two values without a zone are compared as wall-clock times
in the same zone. A value with a zone against one without depends on the server's zone, which the harness
does not know: such comparisons are decided only when the answer is the same for every UTC offset from
-14:00 to +14:00, and are otherwise unknown (``None``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "COMPARATORS",
    "DateRange",
    "Moment",
    "compare_dates",
    "date_rule",
    "instant_range",
    "parse_date_range",
    "period_range",
    "why_undecided",
]

# The STU3 search comparators (SearchParameter.comparator), written as value prefixes.
COMPARATORS: tuple[str, ...] = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")

_MICROS = 1_000_000
_ZONE_SLACK = 14 * 3600 * _MICROS
_EPOCH = datetime(1, 1, 1)
_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+\- ]\d{2}:\d{2})?)?)?)?"
)


@dataclass(frozen=True, slots=True, order=True)
class Moment:
    """A point in time: microseconds since 0001-01-01T00:00, UTC if ``zoned``, else server-local wall time."""

    micros: int
    zoned: bool

    def to_datetime(self) -> datetime:
        """As a datetime: aware (UTC) when zoned, naive otherwise; clamped to the datetime range."""
        try:
            moment = _EPOCH + timedelta(microseconds=self.micros)
        except OverflowError:
            moment = datetime.min if self.micros < 0 else datetime.max
        return moment.replace(tzinfo=UTC) if self.zoned else moment


@dataclass(frozen=True, slots=True)
class DateRange:
    """The half-open span ``[low, high)`` a date value covers; None is unbounded (an open Period end)."""

    low: Moment | None
    high: Moment | None
    text: str

    @property
    def start(self) -> datetime | None:
        """First instant covered, or None if unbounded."""
        return self.low.to_datetime() if self.low is not None else None

    @property
    def end(self) -> datetime | None:
        """First instant after the range (exclusive), or None if unbounded."""
        return self.high.to_datetime() if self.high is not None else None

    def describe(self) -> str:
        """The span in words: ``from 2023-05-10T08:00:00Z to before 2023-05-10T08:30:01Z`` (the end excluded)."""
        low, high = (_shown(moment) if moment is not None else None for moment in (self.low, self.high))
        span = f"from {low} to before {high}" if low and high else f"from {low} on" if low else f"until before {high}" if high else "at any time"
        local = any(moment is not None and not moment.zoned for moment in (self.low, self.high))
        return f"{span} in the server's local time" if local else span


def parse_date_range(text: str) -> DateRange:
    """The range a date/dateTime text covers given its precision; ValueError if it is not one.

    Accepts ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ``YYYY-MM-DDThh:mm[:ss[.fff…]][Z|±hh:mm]`` (the STU3
    search format: minutes must follow hours, seconds optional). A space in place of the zone's ``+`` is
    read as ``+``, since form decoding turns an unescaped ``+`` in a URL into a space.
    """
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone])")
    parts = match.groupdict()
    year = int(parts["year"])
    month = int(parts["month"] or 1)
    day = int(parts["day"] or 1)
    hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
    second = int(parts["second"] or 0)
    fraction = (parts["fraction"] or "")[:6]
    if year == 0 or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{text!r} is not a calendar date")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{text!r} has a time of day out of range")
    low = (datetime(year, month, day, hour, minute, second) - _EPOCH) // timedelta(microseconds=1)
    low += int(fraction.ljust(6, "0")) if fraction else 0
    width = _width(parts, year, month, len(fraction))
    zone = parts["zone"]
    if zone is None:
        return DateRange(Moment(low, False), Moment(low + width, False), text)
    offset = _offset(zone, text)
    return DateRange(Moment(low - offset, True), Moment(low - offset + width, True), text)


def instant_range(text: str) -> DateRange:
    """An instant: STU3 gives it zero width, here the smallest width there is (one microsecond)."""
    low = _bound(parse_date_range(text).low)
    return DateRange(low, Moment(low.micros + 1, low.zoned), text)


def period_range(start: str | None, end: str | None) -> DateRange:
    """A Period: from the start of ``start`` to the end of ``end``; a missing bound is unbounded."""
    low = parse_date_range(start).low if start else None
    high = parse_date_range(end).high if end else None
    if low is not None and high is not None and _less(high, low, or_equal=True) is True:
        raise ValueError(f"Period end {end} is before its start {start}")
    return DateRange(low, high, f"{start or '(open)'}..{end or '(ongoing)'}")


def compare_dates(prefix: str, search: DateRange, target: DateRange) -> bool | None:
    """Whether ``target`` satisfies ``prefix`` + ``search`` (STU3 search.html §2.1.1.4); None if unknowable
    or left to the server (``why_undecided`` says which).

    The STU3 prefix table, reading S for the search value's range and T for the target's:
    eq "the range of the search value fully contains the range of the target value";
    ne "the range of the search value does not fully contain the range of the target value";
    gt "the range above the search value intersects (i.e. overlaps) with the range of the target value";
    lt "the range below the search value intersects (i.e. overlaps) with the range of the target value";
    ge / le: gt / lt "or the range of the search value fully contains the range of the target value";
    sa "the range of the search value does not overlap with the range of the target value, and the range
    above the search value contains the range of the target value"; eb likewise below;
    ap "the range of the search value overlaps with the range of the target value", widened by a margin
    the spec leaves to the server ("10% of the gap between now and the date" is only recommended). An
    overlapping target matches under any margin; any other may or may not, so it is unknown.

    ge and le on a target that meets the search range only in part (it starts before the search range and
    ends inside it, for ge): "the range above the search value" can be read from the end of the search
    range (no match: the target is neither above it nor inside it) or from its start (a match: part of the
    target is at or after the search value). STU3 does not say which, so both readings are accepted (None).
    """
    contains = _contains(search, target)
    if prefix == "eq":
        return contains
    if prefix == "ne":
        return None if contains is None else not contains
    if prefix == "gt":
        return _above(search, target)
    if prefix == "lt":
        return _below(search, target)
    if prefix == "ge":
        return _in_part(_or(_above(search, target), contains), search, target)
    if prefix == "le":
        return _in_part(_or(_below(search, target), contains), search, target)
    if prefix == "sa":
        return False if target.low is None else _less(_bound(search.high), target.low, or_equal=True)
    if prefix == "eb":
        return False if target.high is None else _less(target.high, _bound(search.low), or_equal=True)
    if prefix == "ap":
        return True if _overlaps(search, target) is True else None
    raise ValueError(f"unknown date prefix {prefix!r} (one of {', '.join(COMPARATORS)})")


_RULES = {
    "eq": "the search range contains the target's range",
    "ne": "the search range does not contain the target's range",
    "gt": "the target's range reaches past the end of the search range",
    "lt": "the target's range starts before the search range",
    "ge": "the target's range reaches past the end of the search range, or the search range contains it",
    "le": "the target's range starts before the search range, or the search range contains it",
    "sa": "the target's range starts after the search range ends",
    "eb": "the target's range ends before the search range starts",
    "ap": "the ranges overlap (or come within the server's margin)",
}


def date_rule(prefix: str) -> str:
    """What a prefix asks of the target's range, after the STU3 table (for messages)."""
    return _RULES.get(prefix, "")


def why_undecided(prefix: str, search: DateRange, target: DateRange) -> str:
    """Why ``compare_dates`` gave None: the margin of ap, a target meeting the search range only in part
    (ge, le), or a time zone on one side only."""
    if prefix == "ap":
        return (
            'the margin of ap is left to the server (STU3 search.html: "the recommended value for the approximation is 10% '
            'of the stated value (or for a date, 10% of the gap between now and the date), but systems may choose other values")'
        )
    if prefix in ("ge", "le") and _overlaps(search, target) is True and _contains(search, target) is False:
        side = "start or from the end" if prefix == "ge" else "end or from the start"
        return (
            f"the target's range meets the search range only in part: STU3's {prefix} (\"the range "
            f"{'above' if prefix == 'ge' else 'below'} the search value intersects the range of the target value, or the "
            f'range of the search value fully contains the range of the target value") may be read from the search '
            f"range's {side}, so a server may include it or leave it out"
        )
    return "only one side has a time zone, so the answer depends on the server's time zone"


def _in_part(result: bool | None, search: DateRange, target: DateRange) -> bool | None:
    """A ge/le no-match that overlaps the search range (partly, not containing it) is left to the server."""
    if result is False and _overlaps(search, target) is True and _contains(search, target) is False:
        return None
    return result


def _shown(moment: Moment) -> str:
    """``2023-05-10T08:30:00Z``; a fraction only when there is one, without trailing zeros."""
    when = moment.to_datetime()
    text = when.replace(microsecond=0, tzinfo=None).isoformat()
    if when.microsecond:
        text += f".{when.microsecond:06d}".rstrip("0")
    return text + ("Z" if moment.zoned else "")


def _contains(search: DateRange, target: DateRange) -> bool | None:
    if target.low is None or target.high is None:
        return False
    return _and(
        _less(_bound(search.low), target.low, or_equal=True),
        _less(target.high, _bound(search.high), or_equal=True),
    )


def _above(search: DateRange, target: DateRange) -> bool | None:
    """The range above S, ``[S.high, ∞)``, meets T: T ends after S ends."""
    return True if target.high is None else _less(_bound(search.high), target.high, or_equal=False)


def _below(search: DateRange, target: DateRange) -> bool | None:
    """The range below S, ``(-∞, S.low)``, meets T: T starts before S starts."""
    return True if target.low is None else _less(target.low, _bound(search.low), or_equal=False)


def _overlaps(search: DateRange, target: DateRange) -> bool | None:
    starts_before_end = True if target.low is None else _less(target.low, _bound(search.high), or_equal=False)
    ends_after_start = True if target.high is None else _less(_bound(search.low), target.high, or_equal=False)
    return _and(starts_before_end, ends_after_start)


def _less(a: Moment, b: Moment, *, or_equal: bool) -> bool | None:
    """``a < b`` (or ``<=``); unknown when only one is zoned and they are within 14 hours."""
    difference = b.micros - a.micros
    if a.zoned == b.zoned:
        return difference >= 0 if or_equal else difference > 0
    if difference > _ZONE_SLACK:
        return True
    if difference < -_ZONE_SLACK:
        return False
    return None


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _bound(moment: Moment | None) -> Moment:
    if moment is None:
        raise ValueError("a parsed date value is always bounded")
    return moment


def _width(parts: dict[str, str | None], year: int, month: int, digits: int) -> int:
    if parts["month"] is None:
        return (366 if calendar.isleap(year) else 365) * 86400 * _MICROS
    if parts["day"] is None:
        return calendar.monthrange(year, month)[1] * 86400 * _MICROS
    if parts["hour"] is None:
        return 86400 * _MICROS
    if parts["second"] is None:
        return 60 * _MICROS
    return _MICROS // 10**digits if digits else _MICROS


def _offset(zone: str, text: str) -> int:
    if zone == "Z":
        return 0
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(f"{text!r} has a time-zone offset out of range")
    sign = -1 if zone[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60) * _MICROS
