"""The fixtures the error, format and property steps use: an Accept left out, the seed, search spaces and
formats a target does or does not offer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from carecheck.capability import Capabilities
from carecheck.config import Expectations, PatientData, TestData
from carecheck.http import FHIR_XML, FhirClient
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.run.fixtures import KnownData, _omit_empty_accept, fetch_capabilities
from carecheck.testdata import Known

PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "p1", "name": [{"family": "MEAKIN", "given": ["Mike"]}], "gender": "male", "birthDate": "1927-06-19"}
OBSERVATION: dict[str, Any] = {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "x"}, "effectiveDateTime": "2018-11-29"}
UNDATED: dict[str, Any] = {"resourceType": "Condition", "id": "c1", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "1"}]}}
STATEMENT = {
    "resourceType": "CapabilityStatement",
    "format": ["application/fhir+json"],
    "rest": [{"mode": "server", "resource": [
        {"type": "Observation", "searchParam": [{"name": "date"}, {"name": "code"}, {"name": "patient"}]},
        {"type": "Condition", "searchParam": [{"name": "code"}, {"name": "patient"}]},
    ]}],
}  # fmt: skip


def known(statement: dict[str, Any] = STATEMENT) -> KnownData:
    data = Known(TestData(patient=PatientData(id="p1")), patient=PATIENT, records={"Observation": OBSERVATION, "Condition": UNDATED})
    return KnownData(data, base_url="http://fhir.test/STU3", capabilities=Capabilities(statement), expectations=Expectations())


def test_an_empty_accept_is_left_out_and_others_kept() -> None:
    empty = httpx.Request("GET", "http://fhir.test/STU3/metadata", headers={"Accept": ""})
    chosen = httpx.Request("GET", "http://fhir.test/STU3/metadata", headers={"Accept": "application/fhir+xml"})
    _omit_empty_accept(empty)
    _omit_empty_accept(chosen)
    assert "accept" not in empty.headers and chosen.headers["accept"] == "application/fhir+xml"


def test_a_clinical_search_space_starts_from_the_known_patient() -> None:
    space = known().search_space("Observation", "split")
    assert space.base == (("patient", "Patient/p1"),) and space.records == (OBSERVATION,)
    assert space.parameters == ("code", "date", "patient") and space.base_url == "http://fhir.test/STU3"
    assert PATIENT in space.related


def test_the_patient_search_space_starts_from_family_and_gender() -> None:
    assert known().search_space("Patient", "sound").base == (("family", "MEAKIN"), ("gender", "male"))


def test_a_property_with_nothing_to_build_on_is_not_applicable() -> None:
    with pytest.raises(pytest.skip.Exception, match="not-applicable: the known Condition records hold no value of a declared date search parameter"):
        known().search_space("Condition", "split")


def test_a_format_the_statement_does_not_list_is_not_applicable() -> None:
    known().require_format("json")
    known().require_format("json or xml")
    with pytest.raises(pytest.skip.Exception, match="does not declare the XML format"):
        known().require_format("xml")


def test_a_statement_without_formats_gives_the_benefit_of_the_doubt() -> None:
    known({"resourceType": "CapabilityStatement"}).require_format("xml")


def test_the_capability_statement_is_read_in_xml_too() -> None:
    with EmbeddedServer(create_app(population=1)) as server, FhirClient(server.base_url, accept=FHIR_XML) as client:
        capabilities = fetch_capabilities(client)
    assert len(capabilities.resource_types()) == 14 and capabilities.declares_search("Condition", "patient")
