"""Tests for carecheck.fhir.invariant_reads: the element names an invariant reads, or None when it reads more."""

from __future__ import annotations

import pytest

from carecheck.fhir.invariant_reads import read_keys


def keys_read(expression: str, candidates: list[str]) -> list[str]:
    pattern = read_keys(expression)
    assert pattern is not None
    return [key for key in candidates if pattern.fullmatch(key)]


def test_names_at_the_start_of_each_path_are_read() -> None:
    candidates = ["start", "_start", "end", "_end", "id", "extension", "started"]
    assert keys_read("start.empty() or end.empty() or (start <= end)", candidates) == ["start", "_start", "end", "_end"]


def test_a_name_covers_the_keys_of_every_type_of_a_choice_element() -> None:
    candidates = ["valueQuantity", "_valueString", "value", "values", "code", "component", "valueset"]
    assert keys_read("value.empty() or code!=component.code", candidates) == ["valueQuantity", "_valueString", "value", "code", "component"]


def test_names_inside_per_item_arguments_belong_to_the_items_not_the_element() -> None:
    candidates = ["type", "code", "profile"]
    assert keys_read("type.select(code&profile&targetProfile).isDistinct()", candidates) == ["type"]


def test_constants_and_literal_arguments_read_nothing() -> None:
    assert keys_read("code.exists() implies ((system = %ucum) and value.exists())", ["system", "url"]) == ["system"]
    assert keys_read("sliceName.empty() or sliceName.matches('^[a-z]+$')", ["sliceName", "id"]) == ["sliceName"]


def test_an_expression_reading_no_name_matches_no_key() -> None:
    assert keys_read("true", ["true", "id"]) == []


@pytest.mark.parametrize(
    "expression",
    [
        "reference.startsWith('#').not() or (reference.substring(1) in %resource.contained.id)",  # the resource
        "contained.where(('#'+id in %resource.descendants().reference).not()).empty()",  # even per item
        "where(use = 'home').empty()",  # a function of the element itself
        "empty() or ($this = '*')",
        "Patient.name.exists()",  # a type name: the element itself
        "period.start < now()",  # the clock
        "a.union(b).count() > 1",  # a non-literal argument
        "coalesce(a, b).exists()",
        "htmlchecks(",  # not FHIRPath at all
    ],
)
def test_what_can_read_beyond_named_elements_is_none(expression: str) -> None:
    assert read_keys(expression) is None
