"""Seed data of the reference server: the NHS examples plus a deterministic synthetic population.

``seed_resources(population)`` gives, in this order: the five InterOpen Patients and 101 CCRI demo
patients (``data/testdata``, ids unchanged), ``population`` synthetic patients ``pop-1`` …
``pop-N``, the synthetic directory (Organizations, Locations, Practitioners, PractitionerRoles),
the InterOpen collections' other resources, a formulary of Medications, and for every patient
(examples included) a synthetic clinical record. Everything is deterministic: the same population
gives the same resources with the same ids, and a larger one only adds patients.

What a harness target profile can rely on, whatever the population (``tests/refserver/seed/test_seed.py``
keeps each of these true):

- **Showcase patient** MEAKIN Mike MR: ``Patient/2f88064f-8dc3-4763-af75-94faf6b08b18``, NHS number
  9658218873 (verified), male, born 1927-06-19; GP ``Practitioner/14f93146-93b8-4bcd-94bf-5ed0a2493205``
  (SDS user id G13579135), practice ``Organization/0a9af0b8-a351-4243-8863-b8e3e6febda4`` (ODS A20047).
  He has records of every clinical type. From his InterOpen collection:
  ``Condition/780d64f8-c06a-4b9a-bd0a-f987f0f8e34b`` (SNOMED 217133004 "Fall into quarry", active,
  encounter-diagnosis, asserted 2018-11-29), three Encounters on 2018-11-29
  (``fb72c4ac-e0eb-450c-b3eb-5efbb631a93a`` in progress, its Period open;
  ``f93b0d23-1b7e-4db0-b7a8-ca583bb9f243`` finished and part of it;
  ``4842a34b-8757-47fd-93f0-c69ca1e64f78``) and eight Observations effective 2018-11-29T08:54:18+00:00
  (e.g. SNOMED 364075005 Heart rate, 86290005 Respiratory rate, category vital-signs). So
  ``Observation?patient=[id]&date=2018-11-29``, ``…&code=http://snomed.info/sct|364075005``,
  ``Condition?patient=[id]&category=encounter-diagnosis`` and ``Encounter?patient=[id]&date=ge2018-11-29``
  find them (``Encounter?…&date=2018-11-29`` finds only the finished one: an open Period is not
  contained in a day).
- **Every patient** (examples and synthetic) has synthetic records with ids ``[patient id]-[kind]-[n]``,
  n from 1: kind ``encounter``, ``condition``, ``procedure``, ``medicationstatement``,
  ``medicationrequest``, ``immunization`` (at least 2 each), ``observation`` (at least 3), ``allergy``
  (at least 1), dated between their birth (or 1975) and 2025-12-31, all referring to the patient as
  ``Patient/[id]``. Only open Periods (in-progress encounters and procedures, active medication
  statements) reach past 2025.
- **Medicines**: Jon Burrows (``Patient/2305a166-45ca-4716-8be6-e1a57eda55b0``, NHS 9658218881) keeps his
  three InterOpen MedicationRequests, each with ``medicationReference`` to an InterOpen Medication
  (SNOMED 30268411000001107, 103069003, 259659006), and his Procedure (386465007). Synthetic statements
  and requests refer to the formulary ``Medication/medication-1`` … ``medication-12``
  (``medication-1`` is SNOMED 319781007 Aspirin 75mg gastro-resistant tablets).
- **Directory**: ``Organization/ods-c81010`` (ODS C81010, The Moir Medical Centre, NG10 1QQ),
  ``Organization/ods-rtg`` (ODS RTG, Derby Teaching Hospitals NHS Trust), ``Location/site-rtg08``
  (ODS site RTG08, Long Eaton Clinic, NG10 1RY), ``Practitioner/sds-g8133438`` (SDS user id G8133438,
  Dr Amir Bhatia) and ``PractitionerRole/sds-g8133438-role`` (R0260 General Medical Practitioner at C81010).
- **Synthetic patients** ``pop-1`` … ``pop-N``: NHS numbers in the 999 test range (``pop-1`` 9990000018,
  ``pop-2`` 9990000026), a local identifier ``https://fhir.nhs.uk/Id/local-patient-identifier|PAS0000001``…,
  and a GP and practice from the directory (``generalPractitioner``, ``managingOrganization``).
- The CCRI demo patients (``Patient/1`` Bernie Kanfeld, ``Patient/1001`` … ``1100``) and the other four
  InterOpen patients are exactly as ``data/testdata`` has them.
- **Versions**: every resource is version ``1`` (``meta.versionId``), last updated at its example's own
  ``meta.lastUpdated`` or else at ``SEEDED_AT`` (2026-01-01T00:00:00Z). Nothing in the seed depends on
  today's date or on the run, so what a search returns is the same on any day, for the same population.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carecheck.refserver.seed.clinical import clinical_records
from carecheck.refserver.seed.directory import build_directory
from carecheck.refserver.seed.examples import example_patients, example_records
from carecheck.refserver.seed.medicines import formulary
from carecheck.refserver.seed.population import synthetic_patients

__all__ = ["DEFAULT_POPULATION", "FIRST_VERSION", "SEEDED_AT", "seed_resources"]

DEFAULT_POPULATION = 100
"""Synthetic patients the server holds unless told otherwise (``carecheck serve --seed N``)."""
FIRST_VERSION = "1"
"""The ``meta.versionId`` of every seeded resource."""
SEEDED_AT = "2026-01-01T00:00:00+00:00"
"""The ``meta.lastUpdated`` of a seeded resource whose example gives none: fixed, never the time of the run."""


def seed_resources(population: int = DEFAULT_POPULATION) -> Iterator[dict[str, Any]]:
    """Every resource the reference server starts with, for ``population`` synthetic patients, each at version 1."""
    return (_first_version(resource) for resource in _resources(population))


def _resources(population: int) -> Iterator[dict[str, Any]]:
    directory = build_directory()
    patients = [*example_patients(), *synthetic_patients(population, directory)]
    yield from patients
    yield from directory.resources
    yield from example_records()
    medications = formulary()
    yield from medications
    medication_ids = [medication["id"] for medication in medications]
    for patient in patients:
        yield from clinical_records(patient, directory, medication_ids)


def _first_version(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` with ``meta.versionId`` 1 and a ``meta.lastUpdated`` (its own if it has one), meta kept after ``id``."""
    meta = {"versionId": FIRST_VERSION, "lastUpdated": SEEDED_AT, **(resource.get("meta") or {})}
    versioned: dict[str, Any] = {}
    for key, value in resource.items():
        if key != "meta":
            versioned[key] = value
        if key == "id":
            versioned["meta"] = meta
    return versioned
