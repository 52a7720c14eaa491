"""Test data discovery against the reference server: the patient, their records, the directory records."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from carecheck.capability import Capabilities
from carecheck.config import PatientData, TestData
from carecheck.http import FHIR_XML, FhirClient
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.testdata import DIRECTORY, PATIENT_SCOPED, Known, discover

pytestmark = pytest.mark.e2e

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"


@pytest.fixture(scope="module")
def client() -> Iterator[FhirClient]:
    with EmbeddedServer(create_app(population=5)) as server, FhirClient(server.base_url) as fhir:
        yield fhir


@pytest.fixture(scope="module")
def capabilities(client: FhirClient) -> Capabilities:
    return Capabilities(json.loads(client.capabilities().first.response.body))  # type: ignore[union-attr]


def test_the_patient_is_found_by_nhs_number_and_completed_from_the_record(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(patient=PatientData(nhs_number="9658218873")), capabilities)
    assert known.patient is not None and known.patient["id"] == MEAKIN
    data = known.patient_data()
    assert data is not None and (data.family, data.given, data.gender, str(data.birthdate)) == ("MEAKIN", "Mike", "male", "1927-06-19")


def test_every_clinical_type_and_the_directory_are_mined(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(patient=PatientData(id=MEAKIN)), capabilities)
    assert set(PATIENT_SCOPED) | set(DIRECTORY) <= set(known.records)
    for kind in PATIENT_SCOPED:
        assert MEAKIN in json.dumps(known.records[kind]), f"{kind} is not the patient's own"
    assert known.records["Organization"].get("address"), "the richest organisation is chosen"


def test_named_records_are_read_and_an_unreadable_one_is_mined_instead(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(patient=PatientData(id=MEAKIN), records={"Organization": "ods-rtg", "Condition": "nope"}), capabilities)
    assert known.records["Organization"]["id"] == "ods-rtg"
    assert "Condition/nope from the test data (testdata.records.Condition) could not be read: answered 404" in known.notes
    assert known.records["Condition"]["id"] != "nope"


def test_with_nothing_configured_the_first_listed_patient_is_used(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(), capabilities)
    assert known.patient is not None and any("first the server lists" in note for note in known.notes)


def test_without_discovery_only_what_is_named_is_known(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(discover=False), capabilities)
    assert known.patient is None and not known.records


def test_an_unknown_patient_leaves_nothing_to_mine(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(patient=PatientData(nhs_number="9990000999"), discover=True), capabilities)
    assert known.patient is None
    assert (
        "NHS number 9990000999: no patient found (testdata.patient.nhs_number; Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000999 answered 200)"
        in known.notes
    )


def test_the_other_records_seen_are_kept_richest_first_and_survive_the_hand_over_to_workers(client: FhirClient, capabilities: Capabilities) -> None:
    known = discover(client, TestData(patient=PatientData(id=MEAKIN)), capabilities)
    observations = known.candidates("Observation")
    assert len(observations) > 1 and observations[0] is known.records["Observation"]
    assert all(MEAKIN in json.dumps(record) for record in observations), "the others are the same patient's"
    assert len({record["id"] for record in observations}) == len(observations)
    assert any("more kept for forms it has no value for" in note for note in known.notes)
    assert Known.load(json.loads(json.dumps(known.dump()))).candidates("Observation") == observations
    assert known.to_data()["others"]["Observation"][0].startswith("Observation/")
    assert known.candidates("Organization")[0]["id"] == known.records["Organization"]["id"]


def test_a_target_spoken_to_in_xml_is_discovered_as_well(client: FhirClient, capabilities: Capabilities) -> None:
    with FhirClient(client.base_url, accept=FHIR_XML) as xml:
        known = discover(xml, TestData(patient=PatientData(id=MEAKIN), records={"Organization": "ods-c81010"}), capabilities)
    assert known.patient is not None and known.patient["id"] == MEAKIN
    assert known.records["Organization"]["id"] == "ods-c81010" and set(PATIENT_SCOPED) <= set(known.records)
