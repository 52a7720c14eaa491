"""Synthetic Care Connect Patients: ``pop-1`` … ``pop-N``, each the same whatever N is.

Patient ``n`` is drawn from a generator seeded by ``n`` alone: a name from the vocabulary (some
with accents or apostrophes), a gender, a birth date between 1925 and 2024, a home address, a
mobile number, mostly an email address, a verified NHS number in the 999 test range, a local
patient identifier, and a GP and practice from the directory.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from carecheck.refserver.params import CARECONNECT_PROFILE
from carecheck.refserver.seed.directory import Directory
from carecheck.refserver.seed.nhs_number import synthetic_nhs_number
from carecheck.refserver.seed.vocabulary import CITIES, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, STREETS

__all__ = [
    "LOCAL_PATIENT_IDENTIFIER",
    "NHS_NUMBER_SYSTEM",
    "VERIFIED",
    "synthetic_patient",
    "synthetic_patient_id",
    "synthetic_patients",
]

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
LOCAL_PATIENT_IDENTIFIER = "https://fhir.nhs.uk/Id/local-patient-identifier"
"""The Care Connect default system for a local patient identifier (a PAS or hospital number)."""
VERIFIED = {
    "url": "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1",
    "valueCodeableConcept": {
        "coding": [
            {
                "system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1",
                "code": "01",
                "display": "Number present and verified",
            }
        ]
    },
}
"""The NHS number verification status extension saying "Number present and verified"."""

_BORN_FROM, _BORN_DAYS = date(1925, 1, 1), (date(2024, 12, 31) - date(1925, 1, 1)).days
_MARITAL = "http://hl7.org/fhir/v3/MaritalStatus"
_MARITAL_STATUSES = {"S": "Never Married", "M": "Married", "D": "Divorced", "W": "Widowed"}
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_GIVEN_NAMES = {"male": MALE_NAMES, "female": FEMALE_NAMES}
_PREFIXES = {"male": ("Mr",), "female": ("Mrs", "Ms", "Miss")}


def synthetic_patient_id(index: int) -> str:
    """The logical id of synthetic patient ``index`` (0-based): ``pop-1`` for the first."""
    return f"pop-{index + 1}"


def synthetic_patients(population: int, directory: Directory) -> Iterator[dict[str, Any]]:
    """The first ``population`` synthetic patients."""
    return (synthetic_patient(index, directory) for index in range(population))


def synthetic_patient(index: int, directory: Directory) -> dict[str, Any]:
    """Synthetic patient ``index`` (0-based), a CareConnect-Patient-1."""
    rng = random.Random(f"carecheck-patient-{index}")
    gender = rng.choices(("male", "female", "other", "unknown"), weights=(48, 48, 2, 2))[0]
    given = rng.choice(_GIVEN_NAMES.get(gender, MALE_NAMES + FEMALE_NAMES))
    family = rng.choice(FAMILY_NAMES)
    birth = _BORN_FROM + timedelta(days=rng.randrange(_BORN_DAYS))
    adult = birth.year < 2007
    prefix = rng.choice(_PREFIXES.get(gender, ("Mx",))) if adult else None
    practice = rng.choice(directory.practices)
    telecom = [{"system": "phone", "value": f"07700 900{rng.randrange(1000):03d}", "use": "mobile"}]
    if rng.random() < 0.8:
        email = f"{_ascii(given)}.{_ascii(family)}{index + 1}@example.com"
        telecom.append({"system": "email", "value": email, "use": "home"})
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": synthetic_patient_id(index),
        "meta": {"profile": [CARECONNECT_PROFILE.format("Patient")]},
        "identifier": [
            {"extension": [VERIFIED], "system": NHS_NUMBER_SYSTEM, "value": synthetic_nhs_number(index)},
            {"system": LOCAL_PATIENT_IDENTIFIER, "value": f"PAS{index + 1:07d}"},
        ],
        "active": True,
        "name": [{"use": "official", "family": family, "given": [given], **({"prefix": [prefix]} if prefix else {})}],
        "telecom": telecom,
        "gender": gender,
        "birthDate": birth.isoformat(),
        "address": [{"use": "home", "line": [f"{rng.randint(1, 200)} {rng.choice(STREETS)}"], **_town(rng)}],
    }
    if adult:
        code = rng.choice(list(_MARITAL_STATUSES))
        patient["maritalStatus"] = {"coding": [{"system": _MARITAL, "code": code, "display": _MARITAL_STATUSES[code]}]}
    patient["generalPractitioner"] = [{"reference": f"Practitioner/{rng.choice(practice.practitioners)}"}]
    patient["managingOrganization"] = {"reference": f"Organization/{practice.organization}"}
    return patient


def _town(rng: random.Random) -> dict[str, str]:
    city, area = rng.choice(CITIES)
    district = area if area[-1].isdigit() else f"{area}{rng.randint(1, 29)}"
    inward = f"{rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
    return {"city": city, "postalCode": f"{district} {inward}"}


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if char.isascii() and char.isalpha()).lower() or "patient"
