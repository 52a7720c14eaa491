"""Which search scenarios apply to a server, from what it declares and the requirement levels."""

from __future__ import annotations

from carecheck.capability import Capabilities, not_applicable_reason
from carecheck.search import default_registry

DECLARED = Capabilities({"rest": [{"mode": "server", "resource": [{"type": "Condition", "searchParam": [{"name": "patient"}]}, {"type": "Patient"}]}]})


def reason(resource_type: str, *parameters: str, conformance: str = "ig") -> str | None:
    return not_applicable_reason(DECLARED, resource_type, parameters, conformance=conformance, registry=default_registry())


def test_declared_parameters_apply() -> None:
    assert reason("Condition", "patient") is None


def test_an_undeclared_should_parameter_is_not_applicable_with_its_level() -> None:
    found = reason("Condition", "patient", "clinical-status")
    assert found is not None and "SHOULD Condition search parameter clinical-status (IG)" in found


def test_an_undeclared_shall_parameter_still_applies() -> None:
    assert reason("Patient", "family") is None, "the capability scenarios report the missing declaration; the search still runs"


def test_an_undeclared_resource_is_not_applicable() -> None:
    assert reason("Observation", "patient") == "the server does not declare Observation in its CapabilityStatement"


def test_an_unreadable_statement_gives_the_benefit_of_the_doubt() -> None:
    assert not_applicable_reason(Capabilities({}), "Observation", ["code"], conformance="ig", registry=default_registry()) is None
