"""Tests for carecheck.fhir.issues."""

from __future__ import annotations

from carecheck.fhir.issues import Issue, RuleKind, Severity, errors, prefixed

ISSUE = Issue(Severity.ERROR, RuleKind.BINDING, "Patient.gender", "bad code", "Patient", "http://p")


def test_describe_and_round_trip() -> None:
    assert ISSUE.describe() == "error [binding] Patient.gender: bad code"
    assert Issue.from_data(ISSUE.to_data()) == ISSUE


def test_prefixed_moves_locations_under_a_bundle_entry() -> None:
    whole = Issue(Severity.ERROR, RuleKind.STRUCTURE, "Patient", "x", "Patient")
    moved = prefixed([ISSUE, whole], "Patient", "Bundle.entry[3].resource")
    assert [i.location for i in moved] == ["Bundle.entry[3].resource.gender", "Bundle.entry[3].resource"]


def test_errors_are_unwaived_errors_only() -> None:
    warning = Issue(Severity.WARNING, RuleKind.BINDING, "Patient.gender", "unknown", "Patient")
    waived = Issue(Severity.ERROR, RuleKind.BINDING, "Patient.gender", "bad", "Patient", waiver="accepted")
    assert errors([ISSUE, warning, waived]) == [ISSUE]
