"""Date values as ranges, and the STU3 prefixes over them, including the server-time-zone rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carecheck.search.dates import DateRange, compare_dates, instant_range, parse_date_range, period_range

# STU3 search.html §2.1.1.4: "the precision of the value determines the implicit range", e.g. 2013-01-10
# is "all the time from 00:00 on 10-Jan 2013 to immediately before 00:00 on 11-Jan 2013". Ends are exclusive.
RANGES = [
    ("2010", datetime(2010, 1, 1), datetime(2011, 1, 1)),
    ("2010-02", datetime(2010, 2, 1), datetime(2010, 3, 1)),
    ("2012-02", datetime(2012, 2, 1), datetime(2012, 3, 1)),
    ("2010-12", datetime(2010, 12, 1), datetime(2011, 1, 1)),
    ("2012-02-29", datetime(2012, 2, 29), datetime(2012, 3, 1)),
    ("2010-01-31T10:00", datetime(2010, 1, 31, 10), datetime(2010, 1, 31, 10, 1)),
    ("2010-01-31T23:59:59", datetime(2010, 1, 31, 23, 59, 59), datetime(2010, 2, 1)),
    ("2010-01-31T10:00:30.5", datetime(2010, 1, 31, 10, 0, 30, 500000), datetime(2010, 1, 31, 10, 0, 30, 600000)),
    ("2010-01-31T10:00:30.123456789", datetime(2010, 1, 31, 10, 0, 30, 123456), datetime(2010, 1, 31, 10, 0, 30, 123457)),
    ("2010-01-31T10:00:00Z", datetime(2010, 1, 31, 10, tzinfo=UTC), datetime(2010, 1, 31, 10, 0, 1, tzinfo=UTC)),
    ("2010-01-31T10:00+01:00", datetime(2010, 1, 31, 9, tzinfo=UTC), datetime(2010, 1, 31, 9, 1, tzinfo=UTC)),
    ("2010-01-31T10:00:00 01:00", datetime(2010, 1, 31, 9, tzinfo=UTC), datetime(2010, 1, 31, 9, 0, 1, tzinfo=UTC)),
    ("2010-01-31T22:00:00-05:00", datetime(2010, 2, 1, 3, tzinfo=UTC), datetime(2010, 2, 1, 3, 0, 1, tzinfo=UTC)),
    ("9999", datetime(9999, 1, 1), datetime.max),
]


@pytest.mark.parametrize(("text", "start", "end"), RANGES, ids=[row[0] for row in RANGES])
def test_precision_fixes_the_range(text: str, start: datetime, end: datetime) -> None:
    found = parse_date_range(text)
    assert (found.start, found.end) == (start, end)
    assert found.text == text


@pytest.mark.parametrize(
    "text",
    [
        "201",
        "2010-1",
        "2010-13",
        "2010-02-30",
        "0000",
        "2010-01-01T10",
        "2010-01-01T25:00",
        "2010-01-01T10:60",
        "2010-01-01T10:00:61",
        "2010-01-01T10:00+15:00",
        "2010-01-01Z",
        "2010-01-01 10:00",
        "2010/01/01",
        "",
        "20100101",
        "2010-01-01T10:00:00+0100",
    ],
)
def test_malformed_dates_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_range(text)


def test_instant_is_a_point_and_period_bounds_take_their_precision() -> None:
    instant = instant_range("2020-01-01T10:00:00Z")
    assert instant.start == datetime(2020, 1, 1, 10, tzinfo=UTC)
    assert instant.end == datetime(2020, 1, 1, 10, 0, 0, 1, tzinfo=UTC)
    period = period_range("2010-01", "2010-02-03")
    assert (period.start, period.end) == (datetime(2010, 1, 1), datetime(2010, 2, 4))
    assert period.text == "2010-01..2010-02-03"
    open_ended = period_range(None, "2010")
    assert (open_ended.low, open_ended.end, open_ended.text) == (None, datetime(2011, 1, 1), "(open)..2010")
    assert period_range("2010", None).high is None
    with pytest.raises(ValueError, match="before its start"):
        period_range("2011", "2010")


def _range(text: str) -> DateRange:
    return parse_date_range(text)


# "Where both search parameters and resource element date times do not have time zones, the servers local
# time zone should be assumed" (STU3). With a zone on one side only, the answer depends on the server's zone
# (-14:00..+14:00): decided when it is the same for every zone, else None.
ZONES = [
    ("eq", "2010-06-15", "2010-06-15T23:30:00", True),
    ("eq", "2010-06-15", "2010-06-15T12:00:00Z", None),
    ("eq", "2010-06-15", "2010-06-15T23:30:00+01:00", None),
    ("eq", "2010", "2010-06-15T12:00:00Z", True),
    ("eq", "2010-06-15T10:00Z", "2010-06-15T11:00:00+01:00", True),
    ("gt", "2010-06-15", "2010-06-20T12:00:00Z", True),
    ("gt", "2010-06-15", "2010-06-16T12:00:00Z", None),
    ("gt", "2010-06-15", "2010-06-17T12:00:00Z", True),
    ("lt", "2010-06-15", "2010-06-20T12:00:00Z", False),
    ("lt", "2010-06-15", "2010-06-14T12:00:00Z", None),
    ("lt", "2010-06-15", "2010-06-13T12:00:00Z", True),
    ("ge", "2010-06-15", "2010-06-15T12:00:00Z", None),
    ("ne", "2010-06-15", "2010-06-15T12:00:00Z", None),
    ("ne", "2010-06-15", "2010-07-15T12:00:00Z", True),
    ("sa", "2010-06-15", "2010-06-16T12:00:00Z", None),
    ("eb", "2010-06-15T12:00:00Z", "2010-06-13", True),
]


@pytest.mark.parametrize(("prefix", "search", "target", "expected"), ZONES, ids=[f"{r[3]}:{r[2]}-{r[0]}{r[1]}" for r in ZONES])
def test_time_zone_only_on_one_side_is_decided_only_far_from_the_boundary(prefix: str, search: str, target: str, expected: bool | None) -> None:
    assert compare_dates(prefix, _range(search), _range(target)) is expected


def test_unknown_prefix_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown date prefix"):
        compare_dates("xx", _range("2010"), _range("2010"))
