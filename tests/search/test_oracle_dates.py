"""The oracle on date parameters: every STU3 prefix at each precision against date, dateTime, Period and instant.

STU3 search.html §2.1.1.4, prefix table (S = the search value's range, T = the target element's range):
  eq  "the range of the search value fully contains the range of the target value"
  ne  "the range of the search value does not fully contain the range of the target value"
  gt  "the range above the search value intersects (i.e. overlaps) with the range of the target value"
  lt  "the range below the search value intersects (i.e. overlaps) with the range of the target value"
  ge  "the range above the search value intersects (i.e. overlaps) with the range of the target value,
       or the range of the search value fully contains the range of the target value"
  le  likewise with the range below
  sa  "the range of the search value does not overlap with the range of the target value, and the range
       above the search value contains the range of the target value"
  eb  likewise below
  ap  "the range of the search value overlaps with the range of the target value", widened by a margin the
      spec leaves to the server: overlap is a MATCH, anything else UNDECIDABLE.
Ranges: a date covers its day, month or year; a dateTime its minute, second or fraction; an instant is a
point ("an interval with an effective width of 0"); a Period runs from its start's first instant to its
end's last, an absent bound being unbounded. Each row lists the outcomes for eq ne gt lt ge le sa eb ap.
"""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.search import COMPARATORS, Decision, Outcome, matches, parse_criterion

CODES = {"M": Outcome.MATCH, "N": Outcome.NO_MATCH, "U": Outcome.UNDECIDABLE, "?": Outcome.UNKNOWN}


def _target(spec: str) -> tuple[dict[str, Any], str]:
    """``"date 2010-06-15"`` → a resource holding that value and the parameter that searches it."""
    kind, _, text = spec.partition(" ")
    if kind == "date":
        return {"resourceType": "Patient", "id": "p", "birthDate": text}, "birthdate"
    if kind == "dateTime":
        return {"resourceType": "Observation", "id": "o", "effectiveDateTime": text}, "date"
    if kind == "Period":
        start, _, end = text.partition("..")
        period = {key: value for key, value in (("start", start), ("end", end)) if value}
        return {"resourceType": "Encounter", "id": "e", "period": period}, "date"
    if kind == "instant":
        return {"resourceType": "Patient", "id": "p", "meta": {"lastUpdated": text}}, "_lastUpdated"
    if kind == "performedPeriod":
        start, _, end = text.partition("..")
        return {"resourceType": "Procedure", "id": "pr", "performedPeriod": {"start": start, "end": end}}, "date"
    if kind == "authoredOn":
        return {"resourceType": "MedicationRequest", "id": "mr", "authoredOn": text}, "authoredon"
    if kind == "events":
        timing = {"event": text.split(",")}
        return {"resourceType": "MedicationRequest", "id": "mr", "dosageInstruction": [{"timing": timing}]}, "date"
    raise ValueError(spec)


def _judge(target: str, value: str) -> Decision:
    resource, key = _target(target)
    return matches(resource, parse_criterion(resource["resourceType"], key, value))


def _expand(rows: list[tuple[str, str, str]]) -> list[Any]:
    return [
        pytest.param(target, f"{prefix}{search}", CODES[code], id=f"{target} ~ {prefix}{search}")
        for target, search, outcomes in rows
        for prefix, code in zip(COMPARATORS, outcomes.split(), strict=True)
    ]


# Search value 2010-06-15: S = [2010-06-15T00:00, 2010-06-16T00:00), no time zone on either side.
DAY = "2010-06-15"
AGAINST_A_DAY = [
    #  target                                                eq ne gt lt ge le sa eb ap
    ("date 2010-06-15", DAY, "M  N  N  N  M  M  N  N  M"),
    ("date 2010-06-14", DAY, "N  M  N  M  N  M  N  M  U"),
    ("date 2010-06-16", DAY, "N  M  M  N  M  N  M  N  U"),
    ("date 2010-06", DAY, "N  M  M  M  M  M  N  N  M"),  # T wider than S
    ("date 2010", DAY, "N  M  M  M  M  M  N  N  M"),
    ("dateTime 2010-06-15T00:00:00", DAY, "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-15T23:59:59", DAY, "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-15T23:59:59.999", DAY, "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-16T00:00:00", DAY, "N  M  M  N  M  N  M  N  U"),
    ("dateTime 2010-06-14T23:59:59.999", DAY, "N  M  N  M  N  M  N  M  U"),
    ("authoredOn 2010-06-15T12:00:00", DAY, "M  N  N  N  M  M  N  N  M"),
    ("Period 2010-06-15T08:00:00..2010-06-15T09:00:00", DAY, "M  N  N  N  M  M  N  N  M"),
    ("Period 2010-06-10..2010-06-20", DAY, "N  M  M  M  M  M  N  N  M"),
    # Starts before S and ends inside it: ge reads "the range above the search value intersects the target's
    # range", and "above the search value" may be read from S's end (no match) or its start (a match): left
    # to the server (U). Likewise le for a target starting inside S and ending after it.
    ("Period 2010-06-10..2010-06-15T12:00:00", DAY, "N  M  N  M  U  M  N  N  M"),
    ("Period 2010-06-15T12:00:00..2010-06-20", DAY, "N  M  M  N  M  U  N  N  M"),
    ("Period 2010-06-01..2010-06-15", DAY, "N  M  N  M  U  M  N  N  M"),  # end covers all 15th
    ("Period 2010-06-16..2010-06-20", DAY, "N  M  M  N  M  N  M  N  U"),
    ("Period 2010-06-01..2010-06-14", DAY, "N  M  N  M  N  M  N  M  U"),
    ("Period 2010-06-15T12:00:00..", DAY, "N  M  M  N  M  U  N  N  M"),  # open end: ongoing
    ("Period ..2010-06-15T12:00:00", DAY, "N  M  N  M  U  M  N  N  M"),  # open start
    ("Period 2010-06-17..", DAY, "N  M  M  N  M  N  M  N  U"),
    ("Period ..2010-06-14", DAY, "N  M  N  M  N  M  N  M  U"),
    ("Period ..", DAY, "?  ?  ?  ?  ?  ?  ?  ?  ?"),  # says nothing: not judged
    ("performedPeriod 2010-06-15T08:00:00..2010-06-15T09:00:00", DAY, "M N N N M M N N M"),
    # MedicationRequest.date reads dosageInstruction.timing.event: each event is a value of its own.
    ("events 2010-06-14,2010-06-15", DAY, "M  M  N  M  M  M  N  M  M"),
]

# Other search precisions against the same kinds of target.
PRECISIONS = [
    #  target                              search                     eq ne gt lt ge le sa eb ap
    ("date 2010-06-15", "2010", "M  N  N  N  M  M  N  N  M"),
    ("date 2010-06-15", "2010-06", "M  N  N  N  M  M  N  N  M"),
    ("date 2010-06-15", "2010-07", "N  M  N  M  N  M  N  M  U"),
    ("date 2010-06-15", "2009", "N  M  M  N  M  N  M  N  U"),
    ("date 2010-06-15", "2010-06-15T10:00", "N  M  M  M  M  M  N  N  M"),
    ("date 2010-06-15", "2010-06-15T10:00:00", "N  M  M  M  M  M  N  N  M"),
    ("date 2010-06", "2010-06", "M  N  N  N  M  M  N  N  M"),
    ("date 2010-06", "2010-05", "N  M  M  N  M  N  M  N  U"),
    ("date 2010", "2010-06", "N  M  M  M  M  M  N  N  M"),
    ("dateTime 2010-06-15T10:00:30", "2010-06-15T10:00", "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-15T10:00:30", "2010-06-15T10:00:30", "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-15T10:00:30", "2010-06-15T10:00:31", "N  M  N  M  N  M  N  M  U"),
    ("dateTime 2010-06-15T10:00:30", "2010-06-15T10:00:29", "N  M  M  N  M  N  M  N  U"),
    ("dateTime 2010-06-15T10:00:30", "2010-06-15T10:00:30.5", "N  M  M  M  M  M  N  N  M"),  # T is 1 s wide
    ("dateTime 2010-06-15T10:00:30.250", "2010-06-15T10:00:30.2", "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06-15T10:00:30.250", "2010-06-15T10:00:30", "M  N  N  N  M  M  N  N  M"),
    ("dateTime 2010-06", "2010-06-15", "N  M  M  M  M  M  N  N  M"),
    ("dateTime 2010", "2011", "N  M  N  M  N  M  N  M  U"),
    ("Period 2010..2011", "2010", "N  M  M  N  M  U  N  N  M"),
    ("Period 2010-01..2010-12", "2010", "M  N  N  N  M  M  N  N  M"),
]

# Instants are points; a dateTime with the same text covers its whole second. All values carry a zone.
INSTANTS = [
    #  target                                       search                         eq ne gt lt ge le sa eb ap
    ("instant 2020-01-01T10:00:00Z", "2020-01-01T10:00:00Z", "M  N  N  N  M  M  N  N  M"),
    ("instant 2020-01-01T10:00:00Z", "2020-01-01T10:00:00.5Z", "N  M  N  M  N  M  N  M  U"),
    ("dateTime 2020-01-01T10:00:00Z", "2020-01-01T10:00:00.5Z", "N  M  M  M  M  M  N  N  M"),
    ("instant 2020-01-01T10:00:00.750Z", "2020-01-01T10:00:00.5Z", "N  M  M  N  M  N  M  N  U"),
    ("instant 2020-01-01T10:00:00.123+01:00", "2020-01-01T09:00Z", "M  N  N  N  M  M  N  N  M"),
    ("instant 2020-01-01T10:00:00Z", "2020-01-01T11:00+01:00", "M  N  N  N  M  M  N  N  M"),
    ("instant 2020-01-01T10:00:00Z", "2020-01-01T10:01Z", "N  M  N  M  N  M  N  M  U"),
    ("dateTime 2010-06-15T23:30:00-02:00", "2010-06-16T01:30Z", "M  N  N  N  M  M  N  N  M"),
    ("Period 2010-06-15T10:00:00Z..2010-06-15T11:00:00Z", "2010-06-15T09:30+00:00", "N M M N M N M N U"),
]

# A zone on one side only: the server's zone decides, so the oracle decides only far from the boundaries.
ONE_SIDED_ZONE = [
    #  target                              search          eq ne gt lt ge le sa eb ap
    ("dateTime 2010-06-15T12:00:00Z", DAY, "U  U  U  U  U  U  U  U  U"),
    ("dateTime 2010-06-20T12:00:00Z", DAY, "N  M  M  N  M  N  M  N  U"),
    ("dateTime 2010-06-15T12:00:00Z", "2010", "M  N  N  N  M  M  N  N  M"),
    ("instant 2020-06-15T12:00:00Z", "2020-06-10", "N  M  M  N  M  N  M  N  U"),
]


@pytest.mark.parametrize(("target", "value", "expected"), _expand(AGAINST_A_DAY + PRECISIONS + INSTANTS + ONE_SIDED_ZONE))
def test_prefix(target: str, value: str, expected: Outcome) -> None:
    decision = _judge(target, value)
    assert decision.outcome is expected, decision.reason


LOCAL_DAY = "from 1927-06-19T00:00:00 to before 1927-06-20T00:00:00 in the server's local time"
REASONS = [
    (
        "date 1927-06-19",
        "lt1927-06-19",
        Outcome.NO_MATCH,
        f"birthDate 1927-06-19 ({LOCAL_DAY}) against lt1927-06-19 ({LOCAL_DAY}): lt asks that the target's range starts before the search range",
    ),
    (
        "date 1927-06-19",
        "le1927-06-19",
        Outcome.MATCH,
        f"birthDate 1927-06-19 ({LOCAL_DAY}) against le1927-06-19 ({LOCAL_DAY}): le matches, as the target's range starts before the search range, or the search range contains it",
    ),
    (
        "date 1927-06-19",
        "lt1900,gt1950",
        Outcome.NO_MATCH,
        "against lt1900 (from 1900-01-01T00:00:00 to before 1901-01-01T00:00:00 in the server's local time)",
    ),
    (
        "Period 2010-06-17..",
        "eb2010-06-15",
        Outcome.NO_MATCH,
        "period 2010-06-17..(ongoing) (from 2010-06-17T00:00:00 on in the server's local time) against eb2010-06-15",
    ),
    (
        "dateTime 2010-06-15T12:00:00Z",
        "2010-06-15",
        Outcome.UNDECIDABLE,
        (
            "effective 2010-06-15T12:00:00Z (from 2010-06-15T12:00:00Z to before 2010-06-15T12:00:01Z) against 2010-06-15 (from 2010-06-15T00:00:00 "
            "to before 2010-06-16T00:00:00 in the server's local time): only one side has a time zone"
        ),
    ),
    (
        "date 2010-06-14",
        "ap2010-06-15",
        Outcome.UNDECIDABLE,
        (
            'the margin of ap is left to the server (STU3 search.html: "the recommended value for the approximation is 10% of the stated '
            'value (or for a date, 10% of the gap between now and the date), but systems may choose other values")'
        ),
    ),
    ("date 2010-06-14", "ap2010", Outcome.MATCH, "ap matches, as the ranges overlap (or come within the server's margin)"),
    ("date 1927-13-01", "1927", Outcome.UNKNOWN, "birthDate of Patient/p is not a date"),
    ("Period 2011..2010", "2010", Outcome.UNKNOWN, "before its start"),
]


@pytest.mark.parametrize(("target", "value", "outcome", "reason"), REASONS, ids=[f"{r[0]}~{r[1]}" for r in REASONS])
def test_reasons(target: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(target, value)
    assert decision.outcome is outcome
    assert reason in decision.reason


def test_missing_date_is_no_match_for_every_prefix_and_a_match_for_missing_true() -> None:
    patient = {"resourceType": "Patient", "id": "p"}
    for prefix in COMPARATORS:
        decision = matches(patient, parse_criterion("Patient", "birthdate", f"{prefix}2010"))
        assert decision.outcome is Outcome.NO_MATCH
        assert decision.reason == "Patient/p has no birthDate"
    assert matches(patient, parse_criterion("Patient", "birthdate:missing", "true")).matched


def test_timing_without_events_gives_medication_request_date_no_value() -> None:
    request = {
        "resourceType": "MedicationRequest",
        "id": "mr",
        "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": {"start": "2010"}}}}],
    }
    decision = matches(request, parse_criterion("MedicationRequest", "date", "2010"))
    assert decision.outcome is Outcome.NO_MATCH  # the STU3 expression reads only timing.event
