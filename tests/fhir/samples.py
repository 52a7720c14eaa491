"""Small valid Care Connect resources for the validation tests, and a helper to break them."""

from __future__ import annotations

import copy
from typing import Any

STU3 = "https://fhir.hl7.org.uk/STU3/StructureDefinition/"
SNOMED = "http://snomed.info/sct"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
VERIFICATION_URL = STU3 + "Extension-CareConnect-NHSNumberVerificationStatus-1"
VERIFICATION_SYSTEM = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1"


def verification(code: str = "01") -> dict[str, Any]:
    coding = {"system": VERIFICATION_SYSTEM, "code": code, "display": "Number present and verified"}
    return {"url": VERIFICATION_URL, "valueCodeableConcept": {"coding": [coding]}}


def patient() -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "p1",
        "meta": {"profile": [STU3 + "CareConnect-Patient-1"]},
        "extension": [
            {
                "url": STU3 + "Extension-CareConnect-EthnicCategory-1",
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-EthnicCategory-1",
                            "code": "A",
                            "display": "British, Mixed British",
                        }
                    ]
                },
            }
        ],
        "identifier": [
            {"extension": [verification()], "system": NHS_NUMBER, "value": "9658218873"},
            {"system": "https://fhir.example.nhs.uk/PAS/Patient", "value": "123345"},
        ],
        "active": True,
        "name": [{"use": "official", "family": "Kanfeld", "given": ["Bernie"], "prefix": ["Miss"]}],
        "telecom": [{"system": "email", "value": "bernie.kanfeld@example.com", "use": "home"}],
        "gender": "female",
        "birthDate": "1998-03-19",
        "address": [{"use": "home", "line": ["1 Main Street"], "city": "Long Eaton", "postalCode": "NG10 1ZZ"}],
        "maritalStatus": {"coding": [{"system": "http://hl7.org/fhir/v3/MaritalStatus", "code": "S", "display": "Never Married"}]},
        "generalPractitioner": [{"reference": "Practitioner/g1"}],
        "managingOrganization": {"reference": "Organization/o1"},
    }


def practitioner() -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": "g1",
        "meta": {"profile": [STU3 + "CareConnect-Practitioner-1"]},
        "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "G8133438"}],
        "name": [{"use": "usual", "family": "Bhatia", "given": ["Anjali"], "prefix": ["Dr"]}],
        "gender": "female",
    }


def organization() -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": "o1",
        "meta": {"profile": [STU3 + "CareConnect-Organization-1"]},
        "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "C81010"}],
        "name": "Moir Medical Centre",
    }


def condition() -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "c1",
        "meta": {"profile": [STU3 + "CareConnect-Condition-1"]},
        "clinicalStatus": "active",
        "category": [
            {
                "coding": [
                    {
                        "system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1",
                        "code": "problem-list-item",
                        "display": "Problem List Item",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": SNOMED, "code": "73430006", "display": "Sleep apnoea"}]},
        "subject": {"reference": "Patient/p1"},
        "assertedDate": "2017-06-27T00:00:00+01:00",
    }


def broken(resource: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``resource`` with the dotted ``path`` (list indexes as numbers) set to ``value``, or removed when None."""
    result = copy.deepcopy(resource)
    *parents, last = [int(step) if step.isdigit() else step for step in path.split(".")]
    target: Any = result
    for step in parents:
        target = target[step]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return result
