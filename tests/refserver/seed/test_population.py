"""Tests for carecheck.refserver.seed.population: synthetic Care Connect patients, the same for any population size."""

from __future__ import annotations

from collections import Counter

from carecheck.refserver.seed.directory import build_directory
from carecheck.refserver.seed.nhs_number import is_valid_nhs_number
from carecheck.refserver.seed.population import (
    LOCAL_PATIENT_IDENTIFIER,
    NHS_NUMBER_SYSTEM,
    VERIFIED,
    synthetic_patient,
    synthetic_patient_id,
    synthetic_patients,
)
from tests.refserver.conftest import assert_stu3

DIRECTORY = build_directory()
PATIENTS = list(synthetic_patients(300, DIRECTORY))


def test_patients_are_numbered_from_one() -> None:
    assert [patient["id"] for patient in PATIENTS[:3]] == ["pop-1", "pop-2", "pop-3"]
    assert synthetic_patient_id(9_999) == "pop-10000"


def test_a_patient_is_the_same_whatever_the_population() -> None:
    assert list(synthetic_patients(5, build_directory())) == PATIENTS[:5]
    assert synthetic_patient(299, DIRECTORY) == PATIENTS[299]


def test_every_patient_is_careconnect_shaped() -> None:
    practitioners = {resource["id"] for resource in DIRECTORY.resources if resource["resourceType"] == "Practitioner"}
    practices = {practice.organization for practice in DIRECTORY.practices}
    for patient in PATIENTS:
        assert_stu3(patient)
        assert patient["meta"]["profile"] == ["https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"]
        nhs, local = patient["identifier"]
        assert (nhs["system"], nhs["extension"]) == (NHS_NUMBER_SYSTEM, [VERIFIED]) and is_valid_nhs_number(nhs["value"])
        assert local["system"] == LOCAL_PATIENT_IDENTIFIER
        ((official),) = patient["name"]
        assert official["use"] == "official" and official["family"] and official["given"]
        assert patient["generalPractitioner"][0]["reference"].removeprefix("Practitioner/") in practitioners
        assert patient["managingOrganization"]["reference"].removeprefix("Organization/") in practices


def test_the_population_varies_enough_to_search() -> None:
    genders = Counter(patient["gender"] for patient in PATIENTS)
    assert set(genders) == {"male", "female", "other", "unknown"}
    years = {int(patient["birthDate"][:4]) for patient in PATIENTS}
    assert min(years) < 1935 and max(years) > 2015
    assert len({patient["name"][0]["family"] for patient in PATIENTS}) > 60
    assert any(not name.isascii() for name in (patient["name"][0]["family"] for patient in PATIENTS))
    emails = [t for patient in PATIENTS for t in patient["telecom"] if t["system"] == "email"]
    assert 0.6 * len(PATIENTS) < len(emails) < len(PATIENTS)
    assert all(email["value"].isascii() for email in emails)
    assert sum("maritalStatus" in patient for patient in PATIENTS) < len(PATIENTS)
