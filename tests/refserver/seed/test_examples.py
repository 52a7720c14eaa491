"""Tests for carecheck.refserver.seed.examples: the NHS example data, as data/testdata has it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from carecheck.refserver.seed.examples import PAS_NUMBER_SYSTEM, demo_patient, example_patients, example_records
from carecheck.refserver.seed.nhs_number import is_valid_nhs_number
from carecheck.refserver.seed.population import NHS_NUMBER_SYSTEM
from tests.refserver.conftest import assert_stu3

PATIENTS = list(example_patients())
RECORDS = example_records()
CARECONNECT_PATIENT = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"
VERIFICATION = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1"


def test_there_are_the_five_interopen_and_101_demo_patients_with_unique_ids() -> None:
    assert len(PATIENTS) == 106
    assert len({patient["id"] for patient in PATIENTS}) == 106
    assert all(patient["resourceType"] == "Patient" for patient in PATIENTS)


@pytest.mark.parametrize("patient", PATIENTS, ids=[patient["id"] for patient in PATIENTS])
def test_every_patient_is_careconnect_shaped(patient: dict[str, Any]) -> None:
    assert_stu3(patient)
    assert patient["meta"]["profile"] == [CARECONNECT_PATIENT]
    official = [name for name in patient["name"] if name.get("use") == "official"]
    assert len(official) == 1 and official[0]["family"]
    for identifier in patient.get("identifier", []):
        if identifier["system"] == NHS_NUMBER_SYSTEM:
            assert is_valid_nhs_number(identifier["value"])
            (extension,) = identifier["extension"]
            assert extension["url"] == VERIFICATION
            (coding,) = extension["valueCodeableConcept"]["coding"]
            assert (coding["code"], coding["display"]) == ("01", "Number present and verified")
    for reference in [*patient.get("generalPractitioner", []), patient.get("managingOrganization")]:
        if reference:
            assert reference["reference"].split("/")[0] in {"Practitioner", "Organization"}


def test_meakin_keeps_his_interopen_id_and_relative_references() -> None:
    meakin = next(patient for patient in PATIENTS if patient["id"] == "2f88064f-8dc3-4763-af75-94faf6b08b18")
    assert meakin["identifier"][0]["value"] == "9658218873"
    assert meakin["name"][0]["family"] == "MEAKIN" and meakin["name"][0]["given"] == ["Mike"]
    assert (meakin["gender"], meakin["birthDate"]) == ("male", "1927-06-19")
    assert meakin["generalPractitioner"][0]["reference"] == "Practitioner/14f93146-93b8-4bcd-94bf-5ed0a2493205"
    assert meakin["managingOrganization"]["reference"] == "Organization/0a9af0b8-a351-4243-8863-b8e3e6febda4"


def test_the_interopen_records_are_those_the_api_serves_each_once() -> None:
    counts = Counter(record["resourceType"] for record in RECORDS)
    assert counts == {
        "Observation": 32, "Organization": 17, "Location": 17, "Encounter": 16, "Condition": 9, "Practitioner": 8,
        "Medication": 3, "MedicationRequest": 3, "Procedure": 1,
    }  # fmt: skip
    assert len({(record["resourceType"], record["id"]) for record in RECORDS}) == len(RECORDS)


@pytest.mark.parametrize("record", RECORDS, ids=[f"{r['resourceType']}/{r['id'][:8]}" for r in RECORDS])
def test_every_interopen_record_is_careconnect_shaped_with_local_references(record: dict[str, Any]) -> None:
    assert_stu3(record)
    kind = record["resourceType"]
    assert record["meta"]["profile"] == [f"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{kind}-1"]
    ids = {(r["resourceType"], r["id"]) for r in RECORDS} | {("Patient", p["id"]) for p in PATIENTS}
    for reference in _references(record):
        target, _, target_id = reference.partition("/")
        assert (target, target_id) in ids, reference
    for coding in _codings(record):
        assert coding["system"] != "SNOMED" and coding.get("display"), coding


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [reference for value in node.values() for reference in _references(value)]
    if isinstance(node, list):
        return [reference for value in node for reference in _references(value)]
    return []


def _codings(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if "system" in node and "code" in node and "value" not in node else []
        return found + [coding for value in node.values() for coding in _codings(value)]
    if isinstance(node, list):
        return [coding for value in node for coding in _codings(value)]
    return []


ROW = {
    "logical_id": "1002",
    "nhs_number": "9564963656",
    "local_pas_number": "LOCAL1002",
    "prefix": "Miss",
    "given": "Kendra",
    "family": "Fitzgerald",
    "gender": "female",
    "birthdate": "1942-05-28",
    "address_line": "16 New Station Street",
    "city": "Leeds",
    "postcode": "LS1",
    "phone": "(0113) 574 3265",
    "email": "Kendra.Fitzgerald@campalazzola.co.uk",
}


def test_a_demo_row_becomes_a_full_patient() -> None:
    patient = demo_patient(ROW)
    assert patient["id"] == "1002"
    assert [(i["system"], i["value"]) for i in patient["identifier"]] == [
        (NHS_NUMBER_SYSTEM, "9564963656"),
        (PAS_NUMBER_SYSTEM, "LOCAL1002"),
    ]
    assert patient["name"] == [{"use": "official", "family": "Fitzgerald", "given": ["Kendra"], "prefix": ["Miss"]}]
    assert patient["telecom"] == [
        {"system": "phone", "value": "(0113) 574 3265"},
        {"system": "email", "value": "Kendra.Fitzgerald@campalazzola.co.uk"},
    ]
    assert (patient["gender"], patient["birthDate"]) == ("female", "1942-05-28")
    assert patient["address"] == [{"line": ["16 New Station Street"], "city": "Leeds", "postalCode": "LS1"}]


def test_empty_columns_leave_elements_out() -> None:
    sparse = {
        **ROW,
        "nhs_number": "",
        "prefix": "",
        "address_line": "",
        "city": "",
        "postcode": "",
        "phone": "",
        "email": "",
    }
    patient = demo_patient(sparse)
    assert [i["system"] for i in patient["identifier"]] == [PAS_NUMBER_SYSTEM]
    assert "prefix" not in patient["name"][0]
    assert "telecom" not in patient and "address" not in patient
    assert_stu3(patient)
