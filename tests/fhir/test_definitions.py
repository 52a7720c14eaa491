"""Tests for carecheck.fhir.definitions: the compact STU3 element table."""

from __future__ import annotations

from carecheck.fhir.definitions import child_elements, is_primitive, is_resource_type, primitive_json_type


def test_resource_children_with_choices_backbones_and_datatypes() -> None:
    patient = child_elements(("Patient", ""))
    assert patient["name"].repeats and patient["name"].scope == ("HumanName", "")
    assert not patient["gender"].repeats and patient["gender"].primitive
    assert patient["deceasedDateTime"].element == "deceased[x]" and patient["deceasedDateTime"].type == "dateTime"
    assert patient["contact"].scope == ("Patient", "contact")
    assert patient["contained"].type == "Resource"


def test_content_references_point_at_their_element() -> None:
    item = child_elements(("Questionnaire", "item"))["item"]
    assert item.repeats and item.scope == ("Questionnaire", "item")


def test_types() -> None:
    assert is_primitive("dateTime") and not is_primitive("Period")
    assert is_resource_type("Patient") and not is_resource_type("DomainResource") and not is_resource_type("ServiceRequest")
    assert [primitive_json_type(t) for t in ("boolean", "positiveInt", "decimal", "code")] == ["boolean", "integer", "number", "string"]
