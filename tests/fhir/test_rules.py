"""Tests for carecheck.fhir.rules."""

from __future__ import annotations

from carecheck.fhir.rules import ElementRule, TypeRule, reference_target_type


def test_reference_target_types() -> None:
    known = {"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Organization-1": "Organization"}
    assert reference_target_type("https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Organization-1", known) == "Organization"
    assert reference_target_type("http://hl7.org/fhir/StructureDefinition/RelatedPerson", known) == "RelatedPerson"
    assert reference_target_type("https://example.org/StructureDefinition/Other", known) is None


def test_extension_profile_and_type_codes() -> None:
    rule = ElementRule("x", "x", "x", False, 0, None, 0, None, types=(TypeRule("Extension", "http://e"), TypeRule("Extension", "http://e")))
    assert rule.extension_profile == "http://e"
    assert rule.type_codes == ("Extension",)
