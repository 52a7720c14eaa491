"""Tests for carecheck.fhir.rules."""

from __future__ import annotations

from carecheck.fhir.rules import ElementRule, Slice, Slicing, TypeRule, reference_target_type


def test_reference_target_types() -> None:
    known = {"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Organization-1": "Organization"}
    assert reference_target_type("https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Organization-1", known) == "Organization"
    assert reference_target_type("http://hl7.org/fhir/StructureDefinition/RelatedPerson", known) == "RelatedPerson"
    assert reference_target_type("https://example.org/StructureDefinition/Other", known) is None


def test_extension_profile_and_type_codes() -> None:
    rule = ElementRule("x", "x", "x", False, 0, None, 0, None, types=(TypeRule("Extension", "http://e"), TypeRule("Extension", "http://e")))
    assert rule.extension_profile == "http://e"
    assert rule.type_codes == ("Extension",)


def test_an_element_is_judged_when_absent_only_if_its_absence_can_be_an_issue() -> None:
    def rule(minimum: int, base_min: int, slicing: Slicing | None = None) -> ElementRule:
        return ElementRule("x", "x", "x", False, minimum, None, base_min, None, slicing=slicing)

    assert rule(1, 0).judged_when_absent  # the profile makes it required
    assert not rule(1, 1).judged_when_absent  # required by the base already: STU3 structure reports it
    assert not rule(0, 0).judged_when_absent
    required_slice = Slicing(("system",), "open", (Slice("nhs", (("system", "n"),), rule(1, 0)),))
    optional_slice = Slicing(("system",), "open", (Slice("nhs", (("system", "n"),), rule(0, 0)),))
    assert rule(0, 0, required_slice).judged_when_absent
    assert not rule(0, 0, optional_slice).judged_when_absent


def test_children_in_a_node_are_those_it_holds_and_those_whose_absence_is_an_issue() -> None:
    def rule(name: str, minimum: int = 0, *, choice: bool = False) -> ElementRule:
        return ElementRule(name, name, name, choice, minimum, None, 0, None)

    status, code, value, note = rule("status"), rule("code", 1), rule("value", choice=True), rule("note")
    parent = ElementRule("Observation", "Observation", "Observation", False, 0, None, 0, None, children=(status, code, value, note))
    assert parent.children_in({}) == [code]  # required by the profile: judged when absent
    assert parent.children_in({"note": [{}], "_status": {}}) == [status, code, note]  # profile order; _status holds status
    assert parent.children_in({"valueQuantity": {}}) == [code, value]
    assert parent.children_in({"valueWrong": 1, "values": 2}) == [code, value]  # an unknown type is the type check's to report
