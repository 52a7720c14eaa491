"""Tests for carecheck.fhir.bindings: value-set expansion from compose, and what stays unknown."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.fhir.bindings import Membership, Terminology, terminology

SYSTEM = "http://example.org/cs"
HIERARCHY = {
    "url": SYSTEM,
    "content": "complete",
    "concept": [{"code": "animal", "concept": [{"code": "dog", "concept": [{"code": "puppy"}]}, {"code": "cat"}]}, {"code": "rock"}],
}


def expand(*include: dict[str, Any], exclude: tuple[dict[str, Any], ...] = (), extra: tuple[dict[str, Any], ...] = ()) -> Any:
    value_set = {"url": "http://example.org/vs", "compose": {"include": list(include), "exclude": list(exclude)}}
    expansion = Terminology([value_set, *extra], [HIERARCHY]).expansion("http://example.org/vs")
    assert expansion is not None
    return expansion


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        ({"system": SYSTEM}, {"animal", "dog", "puppy", "cat", "rock"}),
        ({"system": SYSTEM, "concept": [{"code": "cat"}]}, {"cat"}),
        ({"system": SYSTEM, "filter": [{"property": "concept", "op": "is-a", "value": "dog"}]}, {"dog", "puppy"}),
        ({"system": SYSTEM, "filter": [{"property": "concept", "op": "descendent-of", "value": "animal"}]}, {"dog", "puppy", "cat"}),
        ({"system": SYSTEM, "filter": [{"property": "concept", "op": "=", "value": "rock"}]}, {"rock"}),
    ],
)
def test_include_forms(include: dict[str, Any], expected: set[str]) -> None:
    assert expand(include).codes == {SYSTEM: frozenset(expected)}


def test_exclude_and_import() -> None:
    imported = {"url": "http://example.org/other", "compose": {"include": [{"system": "http://x", "concept": [{"code": "a"}]}]}}
    expansion = expand(
        {"system": SYSTEM},
        {"valueSet": ["http://example.org/other"]},
        exclude=({"system": SYSTEM, "concept": [{"code": "rock"}]},),
        extra=(imported,),
    )
    assert expansion.contains(SYSTEM, "rock") is Membership.NOT_IN
    assert expansion.contains("http://x", "a") is Membership.IN
    assert expansion.contains(None, "dog") is Membership.IN


def test_systems_that_cannot_be_expanded_leave_codes_unknown() -> None:
    snomed = expand({"system": "http://snomed.info/sct", "filter": [{"property": "constraint", "op": "=", "value": "<<404684003"}]})
    assert snomed.contains("http://snomed.info/sct", "73430006") is Membership.UNKNOWN
    assert snomed.contains("http://loinc.org", "1-8") is Membership.NOT_IN
    assert snomed.contains(None, "73430006") is Membership.UNKNOWN


def test_the_project_terminology() -> None:
    gender = terminology().expansion("https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-AdministrativeGender-1")
    assert gender is not None
    assert gender.contains(None, "female") is Membership.IN
    assert gender.contains(None, "banana") is Membership.NOT_IN
    status = terminology().expansion("https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-NHSNumberVerificationStatus-1|1.0.0")
    assert status is not None
    assert status.codes["https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1"] == frozenset(f"0{n}" for n in range(1, 9))
    assert terminology().expansion("http://example.org/not-held") is None
