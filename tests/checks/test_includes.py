"""Include checks: referenced resources included with mode include; known referring records revincluded."""

from __future__ import annotations

from typing import Any

from carecheck.checks import CHECKS, Outcome
from tests.exchanges import BASE, exchange, interaction, searchset

REQUEST = {"resourceType": "MedicationRequest", "id": "r1", "subject": {"reference": "Patient/p"}, "medicationReference": {"reference": "Medication/m1"}}
MEDICATION = {"resourceType": "Medication", "id": "m1"}


def with_include(bundle: dict[str, Any], resource: dict[str, Any], mode: str = "include") -> dict[str, Any]:
    bundle["entry"].append({"resource": resource, "search": {"mode": mode}})
    return bundle


def run(name: str, body: dict[str, Any], **arguments: Any) -> list[Outcome]:
    subject = interaction(exchange(body, url=f"{BASE}/MedicationRequest?patient=p&_include=MedicationRequest:medication"), resource_type="MedicationRequest")
    return [f.outcome for f in CHECKS.get(name).run(subject, **arguments)]


def test_an_included_medication_passes() -> None:
    assert run("include_resolved", with_include(searchset(REQUEST), MEDICATION), include="MedicationRequest:medication") == [Outcome.PASS]


def test_a_missing_include_fails() -> None:
    assert run("include_resolved", searchset(REQUEST), include="MedicationRequest:medication") == [Outcome.FAIL]


def test_an_include_marked_as_a_match_does_not_count() -> None:
    assert run("include_resolved", with_include(searchset(REQUEST), MEDICATION, mode="match"), include="MedicationRequest:medication") == [Outcome.FAIL]


def test_nothing_to_include_is_not_judged() -> None:
    plain = {**REQUEST, "medicationReference": None}
    assert run("include_resolved", searchset(plain), include="MedicationRequest:medication") == [Outcome.UNJUDGED]


def test_revinclude_finds_the_known_referring_records_or_fails() -> None:
    patient = {"resourceType": "Patient", "id": "p"}
    assert run("revinclude_contains", with_include(searchset(patient), REQUEST), resources=[REQUEST]) == [Outcome.PASS]
    assert run("revinclude_contains", searchset(patient), resources=[REQUEST]) == [Outcome.FAIL]
    assert run("revinclude_contains", searchset(patient), resources=[]) == [Outcome.UNJUDGED]
