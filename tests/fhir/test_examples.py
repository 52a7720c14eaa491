"""Every STU3 Care Connect example (data/testdata/examples, see its SOURCES.md) validated, with what remains.

Each remaining error is a real defect of the example that a reader of the profile would also call wrong;
they are listed here with the reason, so a change in the validator that adds or loses one fails this test.
``profile-claim`` errors are checked by their own rule below: the guide requires every resource of the 14
types to claim its Care Connect profile in ``meta.profile``, and most CCRI and InterOpen examples claim none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carecheck.fhir import RuleKind, errors, parse_document, validate
from carecheck.project import data_path

EXAMPLES = data_path("testdata", "examples")
FILES = sorted(path for path in EXAMPLES.rglob("*") if path.suffix in (".json", ".xml"))
CARECONNECT_TYPES = frozenset(
    "AllergyIntolerance Condition Encounter Immunization Location Medication MedicationRequest MedicationStatement "
    "Observation Organization Patient Practitioner PractitionerRole Procedure".split()
)

# Why each finding is right (the profile or the STU3 specification says so):
CONDITION_VERIFICATION = ("Condition.verificationStatus", "cardinality")  # CareConnect-Condition-1 sets it 0..0
PERIOD_REVERSED = ("Encounter.period", "invariant")  # per-1: start 16:47 is after end 00:00 the same day
ROUTE_DISPLAY = ("MedicationRequest.dosageInstruction[0].route.coding[0].display", "cardinality")  # snomedCT slice: display 1..1
PATIENT_CCRI = [
    ("Patient.extension[0].valueCodeableConcept", "binding"),  # EthnicCategory system is https://fhir.nhs.uk/..., not fhir.hl7.org.uk
    ("Patient.name", "slice"),  # name:official 1..1, the only name has use "usual"
    ("Patient.maritalStatus.coding[0].display", "cardinality"),  # maritalStatus.coding.display 1..1
]
DSTU2_ELEMENT = ("Practitioner.practitionerRole", "structure")  # a DSTU2 element, gone from STU3 Practitioner
ROLE_TO_PATIENT = ("PractitionerRole.practitioner.reference", "type")  # "Patient/1"; the profile allows Practitioner
OBSERVATION_NOT_ARRAYS = [("Observation.category", "structure"), ("Observation.performer", "structure")]  # objects, not arrays
UNVERIFIED = [  # the verification-status extension uses the non-STU3 URL, so the nhsNumber slice's 1..1 extension is missing
    ("Bundle.entry[0].resource.identifier[0].extension", "slice"),
    ("Bundle.entry[0].resource.identifier[0].extension", "nhs-number"),
]
BAD_NHS_NUMBER = [("Bundle.entry[0].resource.identifier[0].value", "nhs-number")]  # fails Modulus 11 (or has spaces)

EXPECTED: dict[str, list[tuple[str, str]]] = {
    "by-type/ccri-ccri-dao-stu3-ConditionExample.json": [CONDITION_VERIFICATION],
    "by-type/ccri-ccri-dao-stu3-ConditionExampleTwo.json": [CONDITION_VERIFICATION],
    "by-type/ccri-ccri-dao-stu3-EncounterExample.json": [PERIOD_REVERSED],
    "by-type/ccri-ccri-dao-stu3-EncounterExampleTwo.json": [PERIOD_REVERSED],
    "by-type/ccri-ccri-dao-stu3-MedicationRequestExample.json": [ROUTE_DISPLAY],
    "by-type/ccri-ccri-dao-stu3-MedicationRequestExampleTwo.json": [ROUTE_DISPLAY],
    "by-type/ccri-ccri-dao-stu3-Patient.json": PATIENT_CCRI,
    "by-type/ccri-ccri-dao-stu3-PatientUpdate.json": PATIENT_CCRI,
    "by-type/ccri-ccri-dao-stu3-Practitioner.xml": [DSTU2_ELEMENT],
    "by-type/ccri-ccri-database-Practitioner.xml": [DSTU2_ELEMENT],
    "by-type/ccri-ccri-dao-stu3-PractitionerRole.xml": [ROLE_TO_PATIENT],
    "by-type/ccri-ccri-fhirserver-PractitionerRole.xml": [ROLE_TO_PATIENT],
    "by-type/ccri-ccri-dao-stu3-Social-History-SmokingStatus.json": OBSERVATION_NOT_ARRAYS,
    "by-type/ccri-ccri-dao-stu3-Vital-Body-Mass-Example.json": OBSERVATION_NOT_ARRAYS,
    # participant[1].individual.identifier is a JSON array; Identifier is 0..1 there
    "by-type/yhcr-encounter-1.json": [("Encounter.participant[1].individual.identifier", "structure")],
    "related-bundle-entries/Ambulance-To-Hospital-Handover-Example-9658218881.json": UNVERIFIED,
    "related-bundle-entries/Hospital-To-MentalHealth-Referral-Example-9658218881.json": UNVERIFIED,
    "related-bundle-entries/OOH-To-Ambulance-Referral-Example-9658218881.json": UNVERIFIED,
    "related-bundle-entries/ITK-EC-Document-Bundle-1-Example-1.json": BAD_NHS_NUMBER,  # 1352465790
    "related-bundle-entries/ITK-EDIS-Example-1.json": BAD_NHS_NUMBER,  # 1352465790
    "related-bundle-entries/ITK-OPL-Document-Bundle-1-Example-4.json": BAD_NHS_NUMBER,  # 1243567890
    "related-bundle-entries/edischarge_full_payload_example-01-mod.json": BAD_NHS_NUMBER,  # "135 246 5790"
    "related-bundle-entries/ITK-EDIS-TEST-038.json": [("Bundle.entry[0].resource.name", "slice")],  # no official name
    "related-bundle-entries/ITK-OPL-Document-Bundle-1-Example-6.json": [
        *BAD_NHS_NUMBER,  # 1269523190
        ("Bundle.entry[10].resource.practitioner.reference", "type"),  # points at an Organization
    ],
    "related-bundle-entries/edischarge_full_payload_example-01.json": [
        ("Bundle.entry[1].resource.assertedDate", "cardinality"),  # CareConnect-AllergyIntolerance-1: assertedDate 1..1
        # Care Connect CodeSystem URLs written without "/CodeSystem/" (https://fhir.hl7.org.uk/STU3/CareConnect-...):
        ("Bundle.entry[2].resource.extension[0].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[3].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[4].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[5].extension[0].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[5].extension[2].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[5].extension[3].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.extension[5].extension[4].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.identifier[0].extension[0].valueCodeableConcept", "binding"),
        ("Bundle.entry[2].resource.identifier[0].value", "nhs-number"),  # "135 246 5790"
    ],
}


def _name(path: Path) -> str:
    return path.relative_to(EXAMPLES).as_posix()


def _careconnect_resources(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if document["resourceType"] != "Bundle":
        return [(document["resourceType"], document)]
    return [
        (f"Bundle.entry[{index}].resource", entry["resource"])
        for index, entry in enumerate(document.get("entry", []))
        if entry["resource"]["resourceType"] in CARECONNECT_TYPES
    ]


def _claims_its_profile(resource: dict[str, Any]) -> bool:
    name = f"StructureDefinition/CareConnect-{resource['resourceType']}-1"
    claims = resource.get("meta", {}).get("profile", [])
    return any(claim in (f"https://fhir.hl7.org.uk/STU3/{name}", f"https://fhir.hl7.org.uk/{name}") for claim in claims)


def test_every_example_file_is_covered() -> None:
    assert len(FILES) == 58  # 38 by-type, 5 InterOpen and 3 CCRI bundles, 12 extracts of related bundles
    assert set(EXPECTED) <= {_name(path) for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_example_has_only_the_errors_a_reader_of_the_profile_would_also_find(path: Path) -> None:
    document = parse_document(path.read_bytes())
    found = [i for i in errors(validate(document)) if i.resource_type in CARECONNECT_TYPES]
    other = sorted((i.location, i.kind.value) for i in found if i.kind is not RuleKind.PROFILE_CLAIM)
    assert other == sorted(EXPECTED.get(_name(path), []))
    claims = sorted(i.location for i in found if i.kind is RuleKind.PROFILE_CLAIM)
    unclaimed = [f"{where}.meta.profile" for where, r in _careconnect_resources(document) if not _claims_its_profile(r)]
    assert claims == sorted(unclaimed)
