"""Tests for carecheck.fhir.invariants: FHIRPath constraints compiled once, unsupported ones skipped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carecheck.fhir import conformance, validate
from carecheck.fhir.invariants import compile_invariant, evaluated, extension_shape_problem, violates
from carecheck.fhir.rules import Invariant
from carecheck.project import data_path
from carecheck.refserver.seed import seed_resources

EXAMPLES = data_path("testdata", "examples")

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


LOCAL_REFERENCE = "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids'))"
NOTHING_UNREFERENCED = "contained.where(('#'+id in %resource.descendants().reference).not()).empty()"


def test_shortcut_invariants_agree_with_fhirpath_where_they_skip_it() -> None:
    ref = compile_invariant("ref-1", "error", "local", LOCAL_REFERENCE)
    dom = compile_invariant("dom-3", "error", "referenced", NOTHING_UNREFERENCED)
    patient = {"resourceType": "Patient", "contained": [{"resourceType": "Practitioner", "id": "gp"}]}
    for item in ({"display": "no reference"}, {"reference": "Practitioner/gp"}, {"reference": "#gp"}, {"reference": "#x"}):
        assert violates(ref, item, "Reference", patient) == evaluated(ref, item, "Reference", patient), item
    for resource in ({"resourceType": "Patient"}, patient, {**patient, "generalPractitioner": [{"reference": "#gp"}]}):
        assert violates(dom, resource, "Patient", resource) == evaluated(dom, resource, "Patient", resource), resource
    assert violates(dom, patient, "Patient", patient)


def test_items_agreeing_on_the_elements_read_share_a_verdict_and_others_get_their_own() -> None:
    reversed_period = {"start": "2020-02-01", "end": "2020-01-01"}
    assert violates(PERIOD, reversed_period, "Period", {})
    assert violates(PERIOD, {**reversed_period, "id": "other", "extension": [{"url": "x", "valueString": "y"}]}, "Period", {})
    assert not violates(PERIOD, {**reversed_period, "end": "2020-03-01"}, "Period", {})
    assert not violates(PERIOD, {"_start": {"extension": [{"url": "x", "valueString": "y"}]}, "end": "2020-01-01"}, "Period", {})


def _sample() -> list[dict[str, Any]]:
    """Every 12th resource of the reference population and of the NHS examples, as they are and broken."""
    population = list(seed_resources(0))[::12]
    examples = []
    for path in sorted(EXAMPLES.rglob("*.json")):
        document = json.loads(path.read_bytes())
        examples += [entry["resource"] for entry in document.get("entry", [])] if document["resourceType"] == "Bundle" else [document]
    sample: list[dict[str, Any]] = []
    for resource in population + examples[::4]:
        sample.append(resource)
        for target in ("#gp", "#nobody"):
            broken = json.loads(json.dumps(resource).replace('"reference": "', f'"reference": "{target}', 1))
            sample.append({**broken, "contained": [{"resourceType": "Practitioner", "id": "gp"}]})
        text = json.dumps(resource)
        sample.append(json.loads(text.replace('"start": "', '"start": "2099', 1).replace('"clinicalStatus": "', '"clinicalStatus": "x', 1)))
        sample.append({key: value for key, value in resource.items() if key not in ("value", "clinicalStatus", "code", "status")})
    return sample


def test_every_verdict_of_a_validation_is_fhirpaths_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a sample of real and broken resources, each invariant check the validator makes gives the verdict of a
    full fhirpathpy evaluation: the shortcuts and the per-content memo never change a verdict."""
    checked: list[bool] = []

    def compared(invariant: Invariant, item: Any, type_path: str, resource: dict[str, Any]) -> bool:
        verdict = violates(invariant, item, type_path, resource)
        assert verdict == evaluated(invariant, item, type_path, resource), (invariant.key, type_path, item)
        checked.append(verdict)
        return verdict

    monkeypatch.setattr(conformance, "violates", compared)
    for resource in _sample():
        validate(resource)
    assert len(checked) > 2000 and sum(checked) > 50  # many checks, and violations among them
