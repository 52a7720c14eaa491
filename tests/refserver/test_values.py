"""Tests for carecheck.refserver.values: folding and date ranges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carecheck.refserver.values import LATEST, DateRange, date_range, fold, micros


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, fraction: int = 0) -> int:
    return micros(datetime(year, month, day, hour, minute, second, fraction, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Antić", "antic"), ("LËNDINA", "lendina"), ("MEAKIN", "meakin"), ("Straße", "strasse"), ("ﬁnn", "finn")],
)
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1927", _at(1927, 1, 1), _at(1928, 1, 1)),
        ("1927-12", _at(1927, 12, 1), _at(1928, 1, 1)),
        ("1927-06", _at(1927, 6, 1), _at(1927, 7, 1)),
        ("1927-06-19", _at(1927, 6, 19), _at(1927, 6, 20)),
        ("1927-06-19T10:30", _at(1927, 6, 19, 10, 30), _at(1927, 6, 19, 10, 31)),
        ("1927-06-19T10:30:05Z", _at(1927, 6, 19, 10, 30, 5), _at(1927, 6, 19, 10, 30, 6)),
        ("1927-06-19T10:30:05.25Z", _at(1927, 6, 19, 10, 30, 5, 250000), _at(1927, 6, 19, 10, 30, 5, 260000)),
        ("2018-11-14T16:25:58.346+00:00", _at(2018, 11, 14, 16, 25, 58, 346000), _at(2018, 11, 14, 16, 25, 58, 347000)),
        ("1927-06-19T10:30:05+01:00", _at(1927, 6, 19, 9, 30, 5), _at(1927, 6, 19, 9, 30, 6)),
        ("1927-06-19T10:30:05-05:30", _at(1927, 6, 19, 16, 0, 5), _at(1927, 6, 19, 16, 0, 6)),
    ],
)
def test_a_date_covers_the_range_of_its_precision(text: str, low: int, high: int) -> None:
    assert date_range(text) == DateRange(low, high)


def test_ranges_reaching_past_9999_end_at_latest() -> None:
    assert date_range("9999").high == LATEST
    assert date_range("9999-12-31").high == LATEST


def test_the_epoch_is_zero() -> None:
    assert micros(datetime(1970, 1, 1, tzinfo=UTC)) == 0
    assert date_range("1969-12-31").low == -86_400_000_000


@pytest.mark.parametrize(
    "text",
    [
        "19x7",
        "192",
        "1927-6-19",
        "1927-13",
        "1927-02-30",
        "1927-06-19T25:00",
        "1927-06-19T10",
        "0000",
        "1927-06-19T10:30:05+24:00",
        "1927-06-19 ",
        "",
        "ge1927",
        "1927-06-19T10:30:05+01:60",
    ],
)
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        date_range(text)
