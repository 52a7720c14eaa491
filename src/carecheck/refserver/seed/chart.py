"""A patient's chart while their synthetic records are written: their random generator, timeline and carers.

Each patient's chart draws from a generator seeded by the patient's id alone, so the records of a
patient are the same whichever population they are part of.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from carecheck.refserver.params import CARECONNECT_PROFILE
from carecheck.refserver.seed.directory import Directory, Practice
from carecheck.refserver.seed.timeline import Timeline

__all__ = ["RECORD_IDENTIFIER", "Chart"]

RECORD_IDENTIFIER = "https://fhir.carecheck.example.org/Id/{}"
"""The identifier system of the synthetic records of a kind: ``RECORD_IDENTIFIER.format("encounter")``."""


class Chart:
    """What the records of one patient share: the patient, their random generator, timeline and care providers."""

    def __init__(self, patient: Mapping[str, Any], directory: Directory) -> None:
        self.patient_id: str = patient["id"]
        self.rng = random.Random(f"carecheck-records-{self.patient_id}")
        self.timeline = Timeline(self.rng, patient.get("birthDate"))
        self.practice: Practice = self.rng.choice(directory.practices)
        self.trust: Practice = self.rng.choice(directory.trusts)
        self.encounters: list[str] = []

    def count(self, fewest: int = 2, most: int = 4) -> int:
        """How many records of a type this patient has."""
        return self.rng.randint(fewest, most)

    def start(self, resource_type: str, kind: str, number: int) -> dict[str, Any]:
        """The common head of a record: type, id, profile and business identifier."""
        record_id = f"{self.patient_id}-{kind}-{number}"
        return {
            "resourceType": resource_type,
            "id": record_id,
            "meta": {"profile": [CARECONNECT_PROFILE.format(resource_type)]},
            "identifier": [{"system": RECORD_IDENTIFIER.format(kind), "value": record_id}],
        }

    def patient(self) -> dict[str, str]:
        """A reference to the patient."""
        return {"reference": f"Patient/{self.patient_id}"}

    def clinician(self, hospital: bool | None = None) -> dict[str, str]:
        """A reference to one of the GPs or consultants caring for the patient."""
        where = self.trust if (self.rng.random() < 0.5 if hospital is None else hospital) else self.practice
        return {"reference": f"Practitioner/{self.rng.choice(where.practitioners)}"}

    def encounter(self) -> dict[str, str] | None:
        """Now and then, a reference to one of the patient's encounters (None otherwise)."""
        if not self.encounters or self.rng.random() < 0.4:
            return None
        return {"reference": f"Encounter/{self.rng.choice(self.encounters)}"}

    @staticmethod
    def without_none(elements: dict[str, Any]) -> dict[str, Any]:
        """``elements`` without the ones left out (None)."""
        return {key: value for key, value in elements.items() if value is not None}

    def pick(self, weighted: Mapping[str, int]) -> str:
        """One of the keys of ``weighted``, with the given weights."""
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]
