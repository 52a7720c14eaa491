"""Tests for carecheck.fhir.invariants: FHIRPath constraints compiled once, unsupported ones skipped."""

from __future__ import annotations

from carecheck.fhir.invariants import compile_invariant, extension_shape_problem, violates

PERIOD = compile_invariant("per-1", "error", "start before end", "start.empty() or end.empty() or (start <= end)")


def test_an_invariant_is_evaluated_on_the_element() -> None:
    assert violates(PERIOD, {"start": "2020-02-01", "end": "2020-01-01"}, "Period", {})
    assert not violates(PERIOD, {"start": "2020-01-01", "end": "2020-02-01"}, "Period", {})
    assert not violates(PERIOD, {"start": "2020-01-01"}, "Period", {})


def test_unsupported_functions_compile_to_a_skipped_invariant() -> None:
    html = compile_invariant("txt-1", "error", "html", "htmlchecks()")
    assert html.evaluate is None
    assert not violates(html, {"div": "<div/>"}, "Narrative", {})
    assert compile_invariant("bad", "error", "x", "((").evaluate is None


def test_compiled_once_per_distinct_constraint() -> None:
    assert compile_invariant("per-1", "error", "start before end", "start.empty() or end.empty() or (start <= end)") is PERIOD


def test_references_to_contained_resources_use_the_resource_variable() -> None:
    ref = compile_invariant(
        "ref-1", "error", "local", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids'))"
    )
    assert ref.evaluate is not None
    patient = {"resourceType": "Patient", "contained": [{"resourceType": "Practitioner", "id": "gp"}]}
    assert not violates(ref, {"reference": "#gp"}, "Reference", patient)
    assert violates(ref, {"reference": "#nobody"}, "Reference", patient)


def test_extension_value_or_children() -> None:
    assert extension_shape_problem({"url": "x", "valueString": "y"}) is None
    assert extension_shape_problem({"url": "x", "extension": [{"url": "a", "valueString": "b"}]}) is None
    assert "neither" in str(extension_shape_problem({"url": "x"}))
    assert "both" in str(extension_shape_problem({"url": "x", "valueString": "y", "extension": [{"url": "a"}]}))
