"""The NHS example data the reference server starts with, read from ``data/testdata`` (origins: its SOURCES.md).

``interopen-patients.json`` holds the five InterOpen Patients and ``interopen-records.json`` the
rest of their collection Bundles that the Care Connect API serves (Organizations, Practitioners,
Locations, Conditions, Encounters, Observations, a Procedure, Medications, MedicationRequests),
already in Care Connect form. ``ccri-demo-patients.csv`` holds 101 CCRI demo patients as flat
rows; each row is built into a CareConnect-Patient-1 here. The showcase patient MEAKIN Mike gains the
contact details his InterOpen record lacks (a phone written with spaces, an email, a postcode), so that
the contact-detail searches have values to work with.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from typing import Any

from carecheck.project import data_path
from carecheck.refserver.params import CARECONNECT_PROFILE
from carecheck.refserver.seed.population import NHS_NUMBER_SYSTEM, VERIFIED

__all__ = ["PAS_NUMBER_SYSTEM", "SHOWCASE_PATIENT", "demo_patient", "example_patients", "example_records"]

PAS_NUMBER_SYSTEM = "https://fhir.leedsth.nhs.uk/Id/pas-number"
_DEMO_LAST_UPDATED = "2019-10-30T00:00:00+00:00"
"""The date of the CCRI commit the demo patients come from (their rows carry no date of their own)."""
SHOWCASE_PATIENT = "2f88064f-8dc3-4763-af75-94faf6b08b18"
_SHOWCASE_TELECOM = [
    {"system": "phone", "value": "0113 496 0234", "use": "home"},  # Ofcom's drama range: nobody's real number
    {"system": "email", "value": "mike.meakin@example.com", "use": "home"},
]
_SHOWCASE_POSTCODE = "LS1 4HR"


def example_patients() -> Iterator[dict[str, Any]]:
    """The five InterOpen Patients, then the 101 CCRI demo patients."""
    with data_path("testdata", "interopen-patients.json").open(encoding="utf-8") as source:
        yield from (_with_contact(patient) if patient["id"] == SHOWCASE_PATIENT else patient for patient in json.load(source))
    with data_path("testdata", "ccri-demo-patients.csv").open(encoding="utf-8", newline="") as source:
        yield from (demo_patient(row) for row in csv.DictReader(source))


def example_records() -> list[dict[str, Any]]:
    """Every other resource of the InterOpen collections that the Care Connect API serves."""
    with data_path("testdata", "interopen-records.json").open(encoding="utf-8") as source:
        records: list[dict[str, Any]] = json.load(source)
    return records


def _with_contact(patient: dict[str, Any]) -> dict[str, Any]:
    """The showcase patient with a phone and email (after ``name``) and a postcode on his home address."""
    addresses = [{**patient["address"][0], "postalCode": _SHOWCASE_POSTCODE}, *patient["address"][1:]]
    contact: dict[str, Any] = {}
    for key, value in patient.items():
        contact[key] = addresses if key == "address" else value
        if key == "name":
            contact["telecom"] = _SHOWCASE_TELECOM
    return contact


def demo_patient(row: Mapping[str, str]) -> dict[str, Any]:
    """A CareConnect-Patient-1 built from one row of the CCRI demo patient list (keys in FHIR order)."""
    identifiers = []
    if row["nhs_number"]:
        identifiers.append({"extension": [VERIFIED], "system": NHS_NUMBER_SYSTEM, "value": row["nhs_number"]})
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
        "meta": {"lastUpdated": _DEMO_LAST_UPDATED, "profile": [CARECONNECT_PROFILE.format("Patient")]},
        "identifier": identifiers,
        "name": [name],
        "telecom": telecom,
        "gender": row["gender"],
        "birthDate": row["birthdate"],
        "address": [address] if address else [],
    }
    return {key: value for key, value in patient.items() if value}
