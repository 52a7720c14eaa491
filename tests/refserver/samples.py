"""Hand-made resources of every served type, small enough to reason about, for the search-semantics tables.

Two patients (``p1``, ``p2``) with a record each of every clinical type, the medicines they take,
and the people and places that care for them. Dates are chosen to sit on the edges the STU3
prefixes care about: whole dates, dateTimes with zones, closed and open Periods.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SAMPLES"]

NHS = "https://fhir.nhs.uk/Id/nhs-number"
SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CATEGORY = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1"
OBSERVATION_CATEGORY = "http://hl7.org/fhir/observation-category"
PROCEDURE_EXTENSION = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1"


def _code(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _ref(reference: str) -> dict[str, str]:
    return {"reference": reference}


SAMPLES: list[dict[str, Any]] = [
    {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": NHS, "value": "9990000018"}, {"system": "https://example.org/pas", "value": "PAS1"}],
        "name": [{"use": "official", "family": "Brontë", "given": ["Emily"]}],
        "gender": "female",
        "birthDate": "1948-07-30",
        "generalPractitioner": [_ref("Practitioner/pr1")],
        "managingOrganization": _ref("Organization/o2"),
    },
    {
        "resourceType": "Patient",
        "id": "p2",
        "identifier": [{"system": NHS, "value": "9990000026"}],
        "name": [{"use": "official", "family": "Dvořák", "given": ["Antonín"]}],
        "gender": "male",
        "birthDate": "1941-09-08",
        "generalPractitioner": [_ref("Organization/o2"), _ref("https://other.example.org/fhir/Practitioner/x9")],
        "managingOrganization": _ref("https://other.example.org/fhir/Organization/o2"),
    },
    {
        "resourceType": "Organization",
        "id": "o1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RTG"}],
        "name": "Derby Teaching Hospitals NHS Trust",
        "alias": ["DTHFT"],
        "address": [{"line": ["Uttoxeter Road"], "city": "Derby", "postalCode": "DE22 3NE"}],
    },
    {
        "resourceType": "Organization",
        "id": "o2",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "C81010"}],
        "name": "The Moir Medical Centre",
        "address": [{"line": ["Regent Street"], "city": "Long Eaton", "postalCode": "NG10 1QQ"}],
    },
    {
        "resourceType": "Location",
        "id": "l1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-site-code", "value": "RTG08"}],
        "name": "Long Eaton Clinic",
        "address": {"line": ["Midland Street"], "city": "Long Eaton", "postalCode": "NG10 1RY"},
    },
    {
        "resourceType": "Practitioner",
        "id": "pr1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "G8133438"}],
        "name": [{"family": "Bhatia", "given": ["Amir"], "prefix": ["Dr"]}],
        "address": [{"city": "Long Eaton", "postalCode": "NG10 1QQ"}],
    },
    {
        "resourceType": "PractitionerRole",
        "id": "r1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "555"}],
        "practitioner": _ref("Practitioner/pr1"),
        "organization": _ref("Organization/o2"),
    },
    {
        "resourceType": "Encounter",
        "id": "e1",
        "identifier": [{"system": "https://example.org/encounter", "value": "656"}],
        "status": "finished",
        "type": [_code(SCT, "4525004", "Emergency department patient visit")],
        "subject": _ref("Patient/p1"),
        "period": {"start": "2018-11-29T07:39:18+00:00", "end": "2018-11-29T07:44:18+00:00"},
    },
    {
        "resourceType": "Encounter",
        "id": "e2",
        "status": "in-progress",
        "type": [_code(SCT, "11424001", "Ambulance-based care")],
        "subject": _ref("Patient/p1"),
        "period": {"start": "2019-03-01"},
        "partOf": _ref("Encounter/e1"),
    },
    {
        "resourceType": "Encounter",
        "id": "e3",
        "status": "finished",
        "subject": _ref("Patient/p2"),
        "period": {"start": "2010-05-01", "end": "2010-05-03"},
    },
    {
        "resourceType": "Condition",
        "id": "c1",
        "identifier": [{"system": "https://example.org/records", "value": "c1"}],
        "clinicalStatus": "active",
        "category": [_code(CATEGORY, "problem-list-item", "Problem List Item")],
        "code": _code(SCT, "38341003", "Hypertension"),
        "subject": _ref("Patient/p1"),
        "context": _ref("Encounter/e1"),
        "assertedDate": "2018-11-29",
    },
    {
        "resourceType": "Condition",
        "id": "c2",
        "clinicalStatus": "resolved",
        "category": [_code(CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")],
        "code": _code(SCT, "46635009", "Type 1 diabetes mellitus"),
        "subject": _ref("Patient/p2"),
        "assertedDate": "2012-02-03T10:00:00+00:00",
    },
    {
        "resourceType": "Procedure",
        "id": "pc1",
        "identifier": [{"system": "https://example.org/records", "value": "pc1"}],
        "status": "completed",
        "code": _code(SCT, "284350006", "Diabetes mellitus diet education"),
        "subject": _ref("Patient/p1"),
        "context": _ref("Encounter/e1"),
        "performedDateTime": "2017-03-19T00:00:00+00:00",
    },
    {
        "resourceType": "Procedure",
        "id": "pc2",
        "status": "completed",
        "code": _code(SCT, "235153008", "Rigid sigmoidoscopy"),
        "subject": _ref("Patient/p2"),
        "performedPeriod": {"start": "2010-05-01T09:00:00+00:00", "end": "2010-05-01T11:00:00+00:00"},
    },
    {
        "resourceType": "Procedure",
        "id": "pc3",
        "status": "in-progress",
        "code": _code(SCT, "46825001", "Electrocardiographic monitoring"),
        "subject": _ref("Group/g1"),
        "performedPeriod": {"start": "2020-01-01"},
    },
    {
        "resourceType": "Observation",
        "id": "ob1",
        "identifier": [{"system": "https://example.org/records", "value": "ob1"}],
        "status": "final",
        "category": [_code(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")],
        "code": {
            "coding": [
                {"system": SCT, "code": "364075005", "display": "Heart rate"},
                {"system": LOINC, "code": "8867-4", "display": "Heart rate"},
            ]
        },
        "subject": _ref("Patient/p1"),
        "context": _ref("Encounter/e1"),
        "effectiveDateTime": "2018-11-29T08:54:18+00:00",
    },
    {
        "resourceType": "Observation",
        "id": "ob2",
        "status": "final",
        "category": [_code(OBSERVATION_CATEGORY, "laboratory", "Laboratory")],
        "code": _code(LOINC, "59261-8", "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol"),
        "subject": _ref("Patient/p2"),
        "effectivePeriod": {"start": "2011-01-01T09:00:00+00:00", "end": "2011-01-01T10:00:00+00:00"},
    },
    {
        "resourceType": "Observation",
        "id": "ob3",
        "status": "final",
        "code": _code(SCT, "1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"),
        "subject": _ref("Patient/p1"),
        "effectiveDateTime": "2012",
    },
    {
        "resourceType": "AllergyIntolerance",
        "id": "a1",
        "identifier": [{"system": "https://example.org/records", "value": "a1"}],
        "clinicalStatus": "active",
        "verificationStatus": "confirmed",
        "code": _code(SCT, "91936005", "Allergy to penicillin"),
        "patient": _ref("Patient/p1"),
        "assertedDate": "2017-04-13T00:00:00+01:00",
    },
    {
        "resourceType": "AllergyIntolerance",
        "id": "a2",
        "verificationStatus": "entered-in-error",
        "code": _code(SCT, "91935009", "Allergy to peanuts"),
        "patient": _ref("Patient/p2"),
        "assertedDate": "2001-01-01",
        "reaction": [{"substance": _code(SCT, "256349002", "Peanut - dietary"), "manifestation": []}],
    },
    {"resourceType": "Medication", "id": "m1", "code": _code(SCT, "322236009", "Paracetamol 500mg tablets")},
    {"resourceType": "Medication", "id": "m2", "code": _code(SCT, "319781007", "Aspirin 75mg gastro-resistant tablets")},
    {
        "resourceType": "MedicationStatement",
        "id": "ms1",
        "identifier": [{"system": "https://example.org/records", "value": "ms1"}],
        "context": _ref("Encounter/e2"),
        "status": "active",
        "medicationReference": _ref("Medication/m1"),
        "effectivePeriod": {"start": "2015-06-01"},
        "subject": _ref("Patient/p1"),
        "taken": "y",
    },
    {
        "resourceType": "MedicationStatement",
        "id": "ms2",
        "status": "completed",
        "medicationReference": _ref("Medication/m2"),
        "effectiveDateTime": "2009-09-09",
        "subject": _ref("Patient/p2"),
        "taken": "y",
    },
    {
        "resourceType": "MedicationRequest",
        "id": "mr1",
        "identifier": [{"system": "https://example.org/records", "value": "mr1"}],
        "status": "active",
        "intent": "order",
        "medicationReference": _ref("Medication/m1"),
        "subject": _ref("Patient/p1"),
        "context": _ref("Encounter/e1"),
        "authoredOn": "2018-11-16T11:01:00+00:00",
    },
    {
        "resourceType": "MedicationRequest",
        "id": "mr2",
        "status": "stopped",
        "intent": "order",
        "medicationCodeableConcept": _code(SCT, "320141001", "Salbutamol 100micrograms/dose inhaler"),
        "subject": _ref("Patient/p2"),
        "authoredOn": "2005-05-05",
    },
    {
        "resourceType": "Immunization",
        "id": "i1",
        "identifier": [{"system": "https://example.org/records", "value": "i1"}],
        "extension": [{"url": PROCEDURE_EXTENSION, "valueCodeableConcept": _code(SCT, "86198006", "Influenza vaccination")}],
        "status": "completed",
        "notGiven": False,
        "vaccineCode": _code(SCT, "396425006", "Influenza virus vaccine"),
        "patient": _ref("Patient/p1"),
        "date": "2016-10-01",
        "primarySource": True,
    },
    {
        "resourceType": "Immunization",
        "id": "i2",
        "status": "entered-in-error",
        "notGiven": True,
        "vaccineCode": _code(SCT, "396429000", "Measles + mumps + rubella vaccine"),
        "patient": _ref("Patient/p2"),
        "date": "1998-01-06T00:00:00+00:00",
        "primarySource": True,
    },
]
