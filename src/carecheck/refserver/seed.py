"""Seed data of the reference server: Care Connect Patients from the InterOpen examples and the CCRI demo list.

``fixtures/testdata/interopen-patients.json`` holds the five InterOpen Patients, already in
Care Connect form. ``fixtures/testdata/ccri-demo-patients.csv`` holds 101 CCRI demo patients as
flat rows; each row is built into a CareConnect-Patient-1 here. Origins: ``testdata/SOURCES.md``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from typing import Any

from carecheck.project import fixture_path

__all__ = [
    "CARECONNECT_PATIENT",
    "NHS_NUMBER_SYSTEM",
    "PAS_NUMBER_SYSTEM",
    "demo_patient",
    "seed_resources",
]

CARECONNECT_PATIENT = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
PAS_NUMBER_SYSTEM = "https://fhir.leedsth.nhs.uk/Id/pas-number"
_VERIFIED = {
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
_DEMO_LAST_UPDATED = "2019-10-30T00:00:00+00:00"
"""The date of the CCRI commit the demo patients come from (their rows carry no date of their own)."""


def seed_resources() -> Iterator[dict[str, Any]]:
    """Every resource the reference server starts with."""
    with fixture_path("testdata", "interopen-patients.json").open(encoding="utf-8") as source:
        yield from json.load(source)
    with fixture_path("testdata", "ccri-demo-patients.csv").open(encoding="utf-8", newline="") as source:
        yield from (demo_patient(row) for row in csv.DictReader(source))


def demo_patient(row: Mapping[str, str]) -> dict[str, Any]:
    """A CareConnect-Patient-1 built from one row of the CCRI demo patient list (keys in FHIR order)."""
    identifiers = []
    if row["nhs_number"]:
        identifiers.append({"extension": [_VERIFIED], "system": NHS_NUMBER_SYSTEM, "value": row["nhs_number"]})
    if row["local_pas_number"]:
        identifiers.append({"system": PAS_NUMBER_SYSTEM, "value": row["local_pas_number"]})
    name: dict[str, Any] = {"use": "official", "family": row["family"], "given": [row["given"]]}
    if row["prefix"]:
        name["prefix"] = [row["prefix"]]
    telecom = [{"system": system, "value": row[system]} for system in ("phone", "email") if row[system]]
    address: dict[str, Any] = {}
    if row["address_line"]:
        address["line"] = [row["address_line"]]
    if row["city"]:
        address["city"] = row["city"]
    if row["postcode"]:
        address["postalCode"] = row["postcode"]
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": row["logical_id"],
        "meta": {"lastUpdated": _DEMO_LAST_UPDATED, "profile": [CARECONNECT_PATIENT]},
        "identifier": identifiers,
        "name": [name],
        "telecom": telecom,
        "gender": row["gender"],
        "birthDate": row["birthdate"],
        "address": [address] if address else [],
    }
    return {key: value for key, value in patient.items() if value}
