"""Tests for carecheck.refserver.seed.timeline: record dates within a patient's life, at varied precision."""

from __future__ import annotations

import random
from datetime import timedelta

from carecheck.refserver.seed.timeline import EARLIEST_RECORD, LATEST_RECORD, Timeline


def test_moments_fall_between_birth_or_1975_and_the_end_of_2025() -> None:
    young = Timeline(random.Random(1), "2020-02-29")
    old = Timeline(random.Random(1), "1927-06-19")
    for _ in range(500):
        assert young.moment().year >= 2020 and young.moment() <= LATEST_RECORD
        assert EARLIEST_RECORD <= old.moment() <= LATEST_RECORD
    assert Timeline(random.Random(1), None).moment() >= EARLIEST_RECORD


def test_after_never_passes_the_end_of_2025() -> None:
    timeline = Timeline(random.Random(2), "1950-01-01")
    assert timeline.after(LATEST_RECORD - timedelta(minutes=1), longest=timedelta(days=30)) == LATEST_RECORD
    start = EARLIEST_RECORD
    later = timeline.after(start, longest=timedelta(hours=1))
    assert start < later <= start + timedelta(hours=1)


def test_written_dates_are_whole_dates_or_datetimes_with_a_zone() -> None:
    timeline = Timeline(random.Random(3), "1950-01-01")
    moment = timeline.moment()
    assert timeline.written(moment, date_only_share=1.0) == moment.date().isoformat()
    assert timeline.written(moment).endswith("+00:00")


def test_the_same_generator_gives_the_same_moments() -> None:
    first, second = Timeline(random.Random(7), "1960-05-05"), Timeline(random.Random(7), "1960-05-05")
    assert [first.moment() for _ in range(5)] == [second.moment() for _ in range(5)]
