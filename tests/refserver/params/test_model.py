"""Tests for carecheck.refserver.params.model: element paths, their filters, and the table shorthands."""

from __future__ import annotations

import pytest

from carecheck.refserver.params import MODIFIERS, RESOURCES, STU3_MODIFIERS, Element, SearchParamType
from carecheck.refserver.params.model import context_param, identifier_param, resource_definition, search_param

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
URL = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1"


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
def test_values_follow_the_path_flatten_repeats_and_apply_filters(name: str, expected: list[object]) -> None:
    param = RESOURCES["Patient"].param(name)
    assert param is not None
    assert [value for _, value in param.values(PATIENT)] == expected


def test_a_filter_can_sit_mid_path_and_hold_a_url() -> None:
    element = Element(f"extension[url={URL}].valueCodeableConcept", "CodeableConcept")
    wanted = {"coding": [{"code": "86198006"}]}
    immunization = {"extension": [{"url": "https://example.org/other", "valueCodeableConcept": {}}, {"url": URL, "valueCodeableConcept": wanted}]}
    assert element.find(immunization) == [wanted]


def test_a_choice_element_is_one_path_per_type() -> None:
    date = RESOURCES["Procedure"].param("date")
    assert date is not None
    period = {"start": "2010"}
    assert [(element.datatype, value) for element, value in date.values({"performedPeriod": period})] == [("Period", period)]
    assert [element.datatype for element, _ in date.values({"performedDateTime": "2010"})] == ["dateTime"]


def test_find_skips_wrongly_shaped_nodes() -> None:
    assert Element("a.b", "string").find({"a": ["text", {"b": "found"}, None]}) == ["found"]


@pytest.mark.parametrize("path", ["", "a..b", "a.", "a[b]", "a[=c]", "1a", "a b"])
def test_a_malformed_path_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="not an element path"):
        Element(path, "string")


def test_shorthands() -> None:
    definition = resource_definition("Location", identifier_param("Location-identifier", "x|y"))
    assert definition.profile == "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Location-1"
    assert [param.name for param in definition.params] == ["_id", "identifier"]
    assert definition.params[0].definition == "http://hl7.org/fhir/SearchParameter/Resource-id"
    context = context_param("Observation")
    assert (context.type, context.targets) == (SearchParamType.REFERENCE, ("Encounter", "EpisodeOfCare"))
    assert search_param("x", SearchParamType.TOKEN, None, "x", ("a", "code")).definition is None
    assert definition.references() == () and context in resource_definition("Observation", context).references()


def test_modifiers_are_a_subset_of_stu3() -> None:
    assert MODIFIERS[SearchParamType.STRING] == {"exact", "contains", "missing"}
    assert MODIFIERS[SearchParamType.TOKEN] == {"not", "missing"}
    assert all(modifiers <= STU3_MODIFIERS for modifiers in MODIFIERS.values())
