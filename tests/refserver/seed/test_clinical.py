"""Tests for carecheck.refserver.seed.clinical (with chart and medicines): every patient's synthetic record."""

from __future__ import annotations

from collections import Counter
from typing import Any

from carecheck.refserver.seed.chart import RECORD_IDENTIFIER, Chart
from carecheck.refserver.seed.clinical import clinical_records
from carecheck.refserver.seed.directory import build_directory
from carecheck.refserver.seed.medicines import formulary
from carecheck.refserver.seed.population import synthetic_patients
from carecheck.refserver.seed.timeline import LATEST_RECORD
from tests.refserver.conftest import assert_stu3

DIRECTORY = build_directory()
FORMULARY = formulary()
MEDICATION_IDS = [medication["id"] for medication in FORMULARY]
PATIENTS = list(synthetic_patients(40, DIRECTORY))
RECORDS = {patient["id"]: list(clinical_records(patient, DIRECTORY, MEDICATION_IDS)) for patient in PATIENTS}
FEWEST = {
    "Encounter": 2, "Condition": 2, "Procedure": 2, "Observation": 3, "AllergyIntolerance": 1,
    "MedicationStatement": 2, "MedicationRequest": 2, "Immunization": 2,
}  # fmt: skip


def test_every_patient_has_several_records_of_every_clinical_type() -> None:
    for records in RECORDS.values():
        counts = Counter(record["resourceType"] for record in records)
        assert set(counts) == set(FEWEST)
        assert all(counts[kind] >= fewest for kind, fewest in FEWEST.items())


def test_records_are_valid_careconnect_resources_about_their_patient() -> None:
    for patient_id, records in list(RECORDS.items())[:10]:
        for record in records:
            assert_stu3(record)
            kind = record["resourceType"]
            assert record["meta"]["profile"] == [f"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{kind}-1"]
            assert record["id"].startswith(f"{patient_id}-")
            (identifier,) = record["identifier"]
            assert identifier["value"] == record["id"] and identifier["system"].startswith(RECORD_IDENTIFIER[:30])
            assert (record.get("subject") or record.get("patient")) == {"reference": f"Patient/{patient_id}"}


def test_references_stay_within_the_patient_the_directory_and_the_formulary() -> None:
    known = {(r["resourceType"], r["id"]) for r in DIRECTORY.resources} | {("Medication", m) for m in MEDICATION_IDS}
    for patient_id, records in RECORDS.items():
        own = known | {("Patient", patient_id)} | {(r["resourceType"], r["id"]) for r in records}
        for record in records:
            for reference in _references(record):
                assert tuple(reference.split("/")) in own, (record["id"], reference)


def test_values_vary_so_that_searches_both_match_and_miss() -> None:
    everything = [record for records in RECORDS.values() for record in records]
    assert {r["status"] for r in everything if r["resourceType"] == "Encounter"} >= {"finished", "in-progress"}
    assert any("end" not in r["period"] for r in everything if r["resourceType"] == "Encounter")
    assert any("category" not in r for r in everything if r["resourceType"] == "Observation")
    assert any("effectivePeriod" in r for r in everything if r["resourceType"] == "Observation")
    assert any("performedPeriod" in r and "end" not in r["performedPeriod"] for r in everything)
    assert any(r.get("notGiven") for r in everything if r["resourceType"] == "Immunization")
    assert any("extension" not in r for r in everything if r["resourceType"] == "Immunization")
    allergies = [r for r in everything if r["resourceType"] == "AllergyIntolerance"]
    assert {r["verificationStatus"] for r in allergies} == {"confirmed", "unconfirmed"}  # the Care Connect value set
    assert {r["clinicalStatus"] for r in allergies} >= {"active", "resolved"}
    statements = [r for r in everything if r["resourceType"] == "MedicationStatement" and r["status"] == "active"]
    assert statements and all("end" not in r["effectivePeriod"] for r in statements)
    assert max(_dates(everything)) <= LATEST_RECORD.isoformat()
    assert any(len(date) == 10 for date in _dates(everything)) and any("T" in date for date in _dates(everything))


def test_records_are_drawn_from_the_patients_own_generator() -> None:
    patient = PATIENTS[7]
    assert list(clinical_records(patient, build_directory(), MEDICATION_IDS)) == RECORDS[patient["id"]]
    assert Chart(patient, DIRECTORY).rng.random() == Chart(dict(patient), DIRECTORY).rng.random()


def test_the_formulary_is_a_careconnect_medication_per_medicine() -> None:
    assert [medication["id"] for medication in FORMULARY[:2]] == ["medication-1", "medication-2"]
    for medication in FORMULARY:
        assert_stu3(medication)
        (coding,) = medication["code"]["coding"]
        assert coding["system"] == "http://snomed.info/sct" and coding["display"]


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if "reference" in node else []
        return found + [reference for value in node.values() for reference in _references(value)]
    if isinstance(node, list):
        return [reference for value in node for reference in _references(value)]
    return []


def _dates(records: list[dict[str, Any]]) -> list[str]:
    keys = ("assertedDate", "effectiveDateTime", "performedDateTime", "authoredOn", "date", "onsetDateTime")
    return [record[key] for record in records for key in keys if key in record]
