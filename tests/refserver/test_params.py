"""Tests for carecheck.refserver.params: the search-parameter table and how it finds elements."""

from __future__ import annotations

import pytest

from carecheck.refserver.params import MODIFIERS, RESOURCES, STU3_MODIFIERS, SearchParam, SearchParamType

PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "name": [{"family": "Kanfeld", "given": ["Bernie", "B"]}, {"family": "Smith", "given": ["Bea"]}],
    "telecom": [
        {"system": "phone", "value": "0115 9737320"},
        {"system": "email", "value": "bernie@example.org"},
        {"system": "email", "value": "b@example.org"},
    ],
    "gender": "female",
}

# Names and types from the STU3 search parameter registry (individual-*, Patient-*, Resource-id).
EXPECTED_PATIENT_PARAMS = {
    "_id": "token",
    "identifier": "token",
    "family": "string",
    "given": "string",
    "name": "string",
    "gender": "token",
    "birthdate": "date",
    "email": "token",
    "phone": "token",
    "address-postalcode": "string",
}


def test_patient_has_exactly_the_parameters_of_this_issue_with_their_stu3_types() -> None:
    patient = RESOURCES["Patient"]
    assert {param.name: param.type.value for param in patient.params} == EXPECTED_PATIENT_PARAMS
    assert patient.profile == "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"


def test_every_parameter_is_documented_and_defined() -> None:
    for definition in RESOURCES.values():
        for param in definition.params:
            assert param.description
            assert param.definition.startswith("http://hl7.org/fhir/SearchParameter/")


def test_param_looks_up_by_name() -> None:
    patient = RESOURCES["Patient"]
    found = patient.param("birthdate")
    assert found is not None and found.type is SearchParamType.DATE
    assert patient.param("bogus") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("family", ["Kanfeld", "Smith"]),
        ("given", ["Bernie", "B", "Bea"]),
        ("email", [{"system": "email", "value": "bernie@example.org"}, {"system": "email", "value": "b@example.org"}]),
        ("phone", [{"system": "phone", "value": "0115 9737320"}]),
        ("gender", ["female"]),
        ("_id", ["p1"]),
        ("birthdate", []),
        ("address-postalcode", []),
    ],
)
def test_elements_follow_the_path_flatten_repeats_and_apply_where(name: str, expected: list[object]) -> None:
    param = RESOURCES["Patient"].param(name)
    assert param is not None
    assert param.elements(PATIENT) == expected


def test_elements_skip_wrongly_shaped_nodes() -> None:
    param = SearchParam("x", SearchParamType.STRING, "a.b", "string", "x", "http://hl7.org/fhir/SearchParameter/x")
    assert param.elements({"a": ["text", {"b": "found"}, None]}) == ["found"]


def test_modifiers_are_a_subset_of_stu3() -> None:
    assert MODIFIERS[SearchParamType.STRING] == {"exact", "contains"}
    assert not MODIFIERS[SearchParamType.TOKEN] and not MODIFIERS[SearchParamType.DATE]
    assert all(modifiers <= STU3_MODIFIERS for modifiers in MODIFIERS.values())
