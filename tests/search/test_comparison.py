"""Element-level comparisons: normalisation, what a string search looks at, rendering, Timing values."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.search import Criterion, Outcome
from carecheck.search.comparison import Where, compare_date_values, normalise, plural, render, string_parts

WHERE = Where("timing", "MedicationRequest/m")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Antić", "antic"),
        ("ŽELJKO", "zeljko"),
        ("Straße", "strasse"),
        ("Ｍｅａｋｉｎ", "meakin"),  # noqa: RUF001 (full-width letters on purpose: NFKD folds them)
        ("O'Brien", "o'brien"),
    ],
)
def test_normalise_folds_case_and_accents(text: str, normal: str) -> None:
    assert normalise(text) == normal


@pytest.mark.parametrize(
    ("element", "parts"),
    [
        ("Leeds", ["Leeds"]),
        (
            {"family": "Meakin", "given": ["Mike", "J"], "prefix": ["Mr"], "suffix": ["OBE"], "text": "Mr Mike Meakin"},
            ["Meakin", "Mike", "J", "Mr", "OBE", "Mr Mike Meakin"],
        ),
        (
            {"line": ["1 Road", "Flat 2"], "city": "Leeds", "district": "W Yorks", "state": "England", "postalCode": "LS1", "country": "UK", "use": "home"},
            ["1 Road", "Flat 2", "Leeds", "W Yorks", "England", "LS1", "UK"],
        ),
        ({"value": "x", "nested": {"deeper": ["y"]}}, ["x", "y"]),
        (5, []),
    ],
    ids=["string", "HumanName", "Address", "other-complex", "number"],
)
def test_string_parts(element: Any, parts: list[str]) -> None:
    assert string_parts(element) == parts


@pytest.mark.parametrize(
    ("element", "shown"),
    [
        ({"family": "Meakin", "given": ["Mike"]}, "Meakin Mike"),
        ({"system": "http://s", "code": "1"}, "http://s|1"),
        ({"coding": [{"code": "a"}, {"system": "s", "code": "b"}]}, "a s|b"),
        ({"text": "Heart attack"}, "Heart attack"),
        ({"reference": "Patient/1", "display": "x"}, "Patient/1"),
        ({"start": "2010"}, "2010..(ongoing)"),
        (True, "true"),
    ],
    ids=["HumanName", "Coding", "CodeableConcept", "text-only", "Reference", "Period", "boolean"],
)
def test_render(element: Any, shown: str) -> None:
    assert render([element]) == shown
    assert render([]) == "(none)"


@pytest.mark.parametrize(("label", "plural_form"), [("name", "names"), ("family", "families"), ("day", "days"), ("address", "addresses")])
def test_plural(label: str, plural_form: str) -> None:
    assert plural(label) == plural_form


def _dates(value: str) -> Criterion:
    return Criterion("date", None, (value,), None, "date", value)


# STU3: "Timing: the specified scheduling details are ignored and only the outer limits matter".
TIMINGS = [
    ({"event": ["2010-06-14T08:00:00", "2010-06-20T08:00:00"]}, "2010-06-17", Outcome.NO_MATCH),
    ({"event": ["2010-06-14T08:00:00", "2010-06-20T08:00:00"]}, "ge2010-06-17", Outcome.MATCH),
    ({"event": ["2010-06-14T08:00:00", "2010-06-20T08:00:00"]}, "ap2010-06-17", Outcome.MATCH),
    ({"event": ["2010-06-14T08:00:00"]}, "2010-06-14", Outcome.MATCH),
    ({"repeat": {"boundsPeriod": {"start": "2010"}}}, "2010", Outcome.UNKNOWN),
    ({"code": {"text": "BID"}}, "2010", Outcome.UNKNOWN),
]


@pytest.mark.parametrize(("timing", "value", "outcome"), TIMINGS, ids=[f"{i}-{row[1]}" for i, row in enumerate(TIMINGS)])
def test_timing_uses_the_outer_limits_of_its_events(timing: dict[str, Any], value: str, outcome: Outcome) -> None:
    assert compare_date_values(_dates(value), [timing], WHERE, instant=False).outcome is outcome


def test_a_value_that_is_no_date_is_unknown() -> None:
    decision = compare_date_values(_dates("2010"), [["2010"]], WHERE, instant=False)
    assert decision.outcome is Outcome.UNKNOWN
    assert 'timing of MedicationRequest/m is not a date: ["2010"] is not a date, Period or Timing' in decision.reason


def test_the_issue_s_period_ending_at_the_search_second_is_left_to_the_server_and_the_reason_states_both_ranges() -> None:
    period = {"start": "2023-05-10T09:00:00+01:00", "end": "2023-05-10T09:30:00+01:00"}
    decision = compare_date_values(_dates("ge2023-05-10T09:30:00+01:00"), [period], WHERE, instant=False)
    assert decision.outcome is Outcome.UNDECIDABLE
    assert decision.reason.startswith(
        "timing 2023-05-10T09:00:00+01:00..2023-05-10T09:30:00+01:00 (from 2023-05-10T08:00:00Z to before 2023-05-10T08:30:01Z) "
        "against ge2023-05-10T09:30:00+01:00 (from 2023-05-10T08:30:00Z to before 2023-05-10T08:30:01Z): "
        "the target's range meets the search range only in part"
    )
    lower = compare_date_values(_dates("lt2023-05-10T09:30:00+01:00"), [period], WHERE, instant=False)
    assert lower.outcome is Outcome.MATCH and "lt matches, as the target's range starts before the search range" in lower.reason
