"""Tests for carecheck.fhir.structure: fhir.resources errors as issues, and the JSON rules it does not enforce."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.fhir.issues import RuleKind
from carecheck.fhir.structure import json_issues, model_issues, structural_issues


def located(issues: list[Any]) -> list[str]:
    assert all(issue.kind is RuleKind.STRUCTURE for issue in issues)
    return [issue.location for issue in issues]


@pytest.mark.parametrize(
    ("resource", "location", "message"),
    [
        ({"active": "true"}, "Patient.active", 'found the string "true" where STU3 expects a boolean (true or false), written as a JSON boolean'),
        ({"multipleBirthInteger": 2.5}, "Patient.multipleBirthInteger", "found the number 2.5 where STU3 expects an integer (a whole number)"),
        ({"multipleBirthInteger": True}, "Patient.multipleBirthInteger", "found true where STU3 expects an integer"),
        ({"gender": None}, "Patient.gender", "null value"),
        ({"name": []}, "Patient.name", "empty array"),
        ({"maritalStatus": {}}, "Patient.maritalStatus", "empty object"),
        ({"name": [{"family": " "}]}, "Patient.name[0].family", "blank string"),
        ({"name": [{"given": ["A", None]}]}, "Patient.name[0].given[1]", "null value"),
        ({"contained": [{"resourceType": "Foo"}]}, "Patient.contained[0]", "'Foo' is not an STU3 resource type"),
        ({"_birthDate": {"extension": [{"url": "x", "valueBoolean": "no"}]}}, "Patient._birthDate.extension[0].valueBoolean", "JSON boolean"),
    ],
)
def test_json_rules(resource: dict[str, Any], location: str, message: str) -> None:
    issues = json_issues({"resourceType": "Patient", **resource})
    assert [location] == located(issues)
    assert message in issues[0].message


def test_a_null_aligned_with_primitive_extensions_is_fine() -> None:
    name = {"given": ["A", None], "_given": [None, {"extension": [{"url": "x", "valueString": "y"}]}]}
    assert structural_issues({"resourceType": "Patient", "name": [name]}) == []


@pytest.mark.parametrize(
    ("resource", "location", "message"),
    [
        ({"resourceType": "Patient", "name": [{"bogus": 1}]}, "Patient.name[0].bogus", "unknown element"),
        (
            {"resourceType": "Patient", "birthDate": "1980-02-30"},
            "Patient.birthDate",
            'the string "1980-02-30" is not valid here: STU3 expects a date (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)',
        ),
        ({"resourceType": "Observation", "status": "final"}, "Observation.code", "required element missing"),
        (
            {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "category": {"text": "c"}},
            "Observation.category",
            "category repeats in STU3, so it is a list of CodeableConcept; found a single value, an element with text",
        ),
        ({"resourceType": "Banana"}, "Banana", "'Banana' is not an STU3 resource type"),
        (
            {"resourceType": "Encounter", "status": "finished", "class": {"code": 1}},
            "Encounter.class.code",
            "the number 1 is not valid here: STU3 expects a code",
        ),
    ],
)
def test_model_errors_become_located_issues(resource: dict[str, Any], location: str, message: str) -> None:
    issues = model_issues(resource)
    assert located(issues) == [location]
    assert message in issues[0].message


def test_a_bundle_entry_of_unknown_type_does_not_hide_errors_in_the_others() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "ServiceRequest"}}, {"resource": {"resourceType": "Patient", "gender": 1}}],
    }
    issues = structural_issues(bundle)
    assert set(located(issues)) == {"Bundle.entry[0].resource", "Bundle.entry[1].resource.gender"}
    assert {issue.resource_type for issue in issues} == {"ServiceRequest", "Patient"}


def test_the_same_fault_is_reported_once() -> None:
    assert located(structural_issues({"resourceType": "Patient", "gender": 1})) == ["Patient.gender"]
