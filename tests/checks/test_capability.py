"""Capability statement checks, passing and failing."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.checks import CHECKS, Outcome
from tests.exchanges import BASE, exchange, interaction


def statement(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "fhirVersion": "3.0.1",
        "format": ["application/fhir+json", "application/fhir+xml"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {"type": "Patient", "interaction": [{"code": "read"}, {"code": "search-type"}]},
                ],
            }
        ],
    }
    return {**base, **fields}


def run(name: str, body: Any, **arguments: Any) -> list[Outcome]:
    found = CHECKS.get(name).run(interaction(exchange(body, url=f"{BASE}/metadata"), kind="capabilities"), **arguments)
    return [finding.outcome for finding in found]


@pytest.mark.parametrize(("version", "expected"), [("3.0.1", Outcome.PASS), ("3.0.2", Outcome.PASS), ("4.0.1", Outcome.FAIL), (None, Outcome.FAIL)])
def test_fhir_version(version: str | None, expected: Outcome) -> None:
    assert run("capability_fhir_version", statement(fhirVersion=version)) == [expected]


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        (["application/fhir+json", "application/fhir+xml"], Outcome.PASS),
        (["json", "xml"], Outcome.PASS),
        (["application/fhir+json"], Outcome.WARN),
        (["xml"], Outcome.WARN),
        (["text/turtle"], Outcome.FAIL),
        ([], Outcome.FAIL),
    ],
)
def test_formats(formats: list[str], expected: Outcome) -> None:
    assert run("capability_formats", statement(format=formats)) == [expected]


def test_declared_interactions_pass() -> None:
    assert run("capability_declares_interactions", statement(), resource_type="Patient", interactions=["read", "search-type"]) == [Outcome.PASS, Outcome.PASS]


def test_a_missing_interaction_fails() -> None:
    assert run("capability_declares_interactions", statement(), resource_type="Patient", interactions=["read", "vread"]) == [Outcome.PASS, Outcome.FAIL]


def test_an_undeclared_resource_fails() -> None:
    assert run("capability_declares_interactions", statement(), resource_type="Condition", interactions=["read"]) == [Outcome.FAIL]


def test_a_client_mode_rest_does_not_count() -> None:
    client_only = statement(rest=[{"mode": "client", "resource": [{"type": "Patient", "interaction": [{"code": "read"}]}]}])
    assert run("capability_declares_interactions", client_only, resource_type="Patient", interactions=["read"]) == [Outcome.FAIL]


def test_not_a_capability_statement_fails() -> None:
    assert run("capability_fhir_version", {"resourceType": "Patient", "id": "x"}) == [Outcome.FAIL]


def with_search_params(*names: str) -> dict[str, Any]:
    resource = {"type": "Patient", "interaction": [{"code": "read"}], "searchParam": [{"name": n, "type": "string"} for n in names]}
    return statement(rest=[{"mode": "server", "resource": [resource]}])


SHALL_PATIENT = ("identifier", "family", "given", "name", "gender", "birthdate")


def test_every_shall_parameter_declared_passes() -> None:
    found = run("capability_declares_search_params", with_search_params(*SHALL_PATIENT), resource_type="Patient", level="SHALL", conformance="ig")
    assert found == [Outcome.PASS] * 6


def test_a_missing_shall_parameter_fails_with_its_requirement() -> None:
    body = with_search_params(*(n for n in SHALL_PATIENT if n != "birthdate"))
    result = CHECKS.get("capability_declares_search_params").run(
        interaction(exchange(body, url=f"{BASE}/metadata"), kind="capabilities"), resource_type="Patient", level="SHALL", conformance="ig"
    )
    failures = [f for f in result if f.outcome is Outcome.FAIL]
    assert [f.message for f in failures] == ["Patient does not declare the SHALL search parameter birthdate (IG)"]
    assert "CC-SEARCH-PATIENT-BIRTHDATE" in failures[0].requirements
