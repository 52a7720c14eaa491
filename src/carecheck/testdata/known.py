"""Known data: the target's own records the scenarios search for, configured or mined at the start of a run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from carecheck.config import PatientData, TestData

__all__ = ["Known"]


@dataclass(frozen=True)
class Known:
    """The known patient and one known record per resource type, as the target returned them.

    `others` holds, per type, further records discovery saw (richest first), for a scenario whose form
    the known record cannot give a value for. `notes` say how each was found (or why not), for the run's
    evidence and for not-applicable reasons.
    """

    configured: TestData
    patient: Mapping[str, Any] | None = None
    records: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    notes: tuple[str, ...] = ()
    others: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=lambda: MappingProxyType({}))

    def record(self, resource_type: str) -> Mapping[str, Any] | None:
        if resource_type == "Patient":
            return self.patient
        return self.records.get(resource_type)

    def candidates(self, resource_type: str) -> tuple[Mapping[str, Any], ...]:
        """The known record of a type first, then the others discovery saw (none when there is no known record)."""
        known = self.record(resource_type)
        return (known, *self.others.get(resource_type, ())) if known is not None else ()

    def notes_on(self, resource_type: str) -> list[str]:
        """What discovery noted about a type (for Patient also the NHS number and listing notes)."""
        words = (resource_type, "NHS number", "lists no Patient") if resource_type == "Patient" else (resource_type,)
        return [note for note in self.notes if any(word in note for word in words)]

    def patient_data(self) -> PatientData | None:
        """The configured demographics, completed from the patient record the target returned."""
        configured = self.configured.patient
        if self.patient is None:
            return configured
        mined = _demographics(self.patient)
        given = {k: v for k, v in (configured.model_dump() if configured else {}).items() if v is not None}
        return PatientData.model_validate({**mined, **given})

    def testdata(self) -> TestData:
        """The test data placeholders (`{patient.family}`) are filled from."""
        return self.configured.model_copy(update={"patient": self.patient_data()})

    def dump(self) -> dict[str, Any]:
        """Everything known, as JSON data (to hand to parallel workers)."""
        return {
            "configured": self.configured.model_dump(mode="json"),
            "patient": self.patient,
            "records": dict(self.records),
            "notes": list(self.notes),
            "others": {kind: list(found) for kind, found in self.others.items()},
        }

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Known:
        return cls(
            configured=TestData.model_validate(data["configured"]),
            patient=data.get("patient"),
            records=MappingProxyType(dict(data.get("records") or {})),
            notes=tuple(data.get("notes") or ()),
            others=MappingProxyType({kind: tuple(found) for kind, found in (data.get("others") or {}).items()}),
        )

    def to_data(self) -> dict[str, Any]:
        """What the run knew, for the evidence pack."""
        return {
            "patient": f"Patient/{self.patient.get('id')}" if self.patient else None,
            "records": {kind: f"{kind}/{record.get('id')}" for kind, record in self.records.items()},
            "others": {kind: [f"{kind}/{record.get('id')}" for record in found] for kind, found in self.others.items() if found},
            "notes": list(self.notes),
        }


def _demographics(patient: Mapping[str, Any]) -> dict[str, Any]:
    names = [n for n in patient.get("name") or [] if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    givens = official.get("given") or []
    nhs = next(
        (i.get("value") for i in patient.get("identifier") or [] if isinstance(i, dict) and i.get("system") == "https://fhir.nhs.uk/Id/nhs-number"),
        None,
    )
    birth = patient.get("birthDate")
    return {
        "id": patient.get("id"),
        "nhs_number": nhs if isinstance(nhs, str) and len(nhs) == 10 and nhs.isdigit() else None,
        "family": official.get("family") if isinstance(official.get("family"), str) else None,
        "given": givens[0] if givens and isinstance(givens[0], str) else None,
        "gender": patient.get("gender") if patient.get("gender") in ("male", "female", "other", "unknown") else None,
        "birthdate": dt.date.fromisoformat(birth) if isinstance(birth, str) and len(birth) == 10 else None,
    }
