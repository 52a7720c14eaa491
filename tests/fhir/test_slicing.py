"""Tests for carecheck.fhir.slicing: following discriminator paths and matching patterns."""

from __future__ import annotations

from carecheck.fhir.rules import ElementRule, Slice, Slicing
from carecheck.fhir.slicing import contains_pattern, discriminator_value, slice_for, values_at


def rule(name: str, *children: ElementRule, fixed: object = None) -> ElementRule:
    return ElementRule(name, name, name, False, 0, None, 0, None, fixed=fixed, children=children)


def test_values_at_flattens_arrays() -> None:
    concept = {"coding": [{"system": "a"}, {"system": "b"}, {}]}
    assert values_at(concept, "coding.system") == ["a", "b"]
    assert values_at({"coding": {"system": "x"}}, "coding.system") == ["x"]


def test_patterns_are_contained_not_equal() -> None:
    value = {"coding": [{"system": "s", "code": "c", "display": "d"}], "text": "t"}
    assert contains_pattern(value, {"coding": [{"system": "s", "code": "c"}]})
    assert not contains_pattern(value, {"coding": [{"code": "other"}]})


def test_discriminator_value_and_slice_matching() -> None:
    nhs = rule("identifier", rule("system", fixed="https://fhir.nhs.uk/Id/nhs-number"))
    assert discriminator_value(nhs, "system") == "https://fhir.nhs.uk/Id/nhs-number"
    assert discriminator_value(nhs, "use") is None
    slicing = Slicing(("system",), "open", (Slice("nhsNumber", (("system", "https://fhir.nhs.uk/Id/nhs-number"),), nhs),))
    assert slice_for({"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1"}, slicing) is slicing.slices[0]
    assert slice_for({"system": "urn:other", "value": "1"}, slicing) is None
