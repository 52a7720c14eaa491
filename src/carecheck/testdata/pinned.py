"""Test data a target profile pins (a patient by id or NHS number, a record by id): whether the target holds it.

A run checks this before its scenarios (`carecheck.run.preflight`): pinned data the target does not hold is a
mistake in the profile, or the wrong server, and is said in one line naming the profile's field, rather than
becoming a run of not-applicable scenarios. `testdata.if_missing: continue` runs on without it.
"""

from __future__ import annotations

from typing import Any

from carecheck.config import TestData
from carecheck.http import Exchange, FhirClient

__all__ = ["NHS_NUMBER", "entries", "missing_pinned", "read_record"]

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"


def entries(exchange: Exchange, resource_type: str) -> list[dict[str, Any]]:
    """The resources of `resource_type` (with an id) in a searchset answered with 200."""
    bundle = exchange.ok_json()
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return []
    resources = [e.get("resource") for e in bundle.get("entry") or [] if isinstance(e, dict)]
    return [r for r in resources if isinstance(r, dict) and r.get("resourceType") == resource_type and r.get("id")]


def read_record(client: FhirClient, reference: str) -> tuple[dict[str, Any] | None, str]:
    """The record `Type/id` names, or None and how the read was answered (`answered 404`)."""
    kind, _, identity = reference.rpartition("/")
    kind = kind.rsplit("/", 1)[-1]
    exchange = client.read(kind, identity).first
    body = exchange.ok_json()
    if isinstance(body, dict) and body.get("resourceType") == kind:
        return body, "read"
    answered = f"answered {exchange.status}" if exchange.status is not None else f"no answer: {exchange.error}"
    return None, f"{answered}{' with something other than a ' + kind if exchange.status == 200 else ''}"


def missing_pinned(client: FhirClient, testdata: TestData) -> list[str]:
    """One line per pinned item the target does not hold, each naming the profile field (empty: all found)."""
    missing: list[str] = []
    patient = testdata.patient
    if patient is not None and patient.id is not None:
        found, how = read_record(client, f"Patient/{patient.id}")
        if found is None:
            missing.append(f"testdata.patient.id: Patient/{patient.id} could not be read ({how})")
    if patient is not None and patient.nhs_number is not None:
        search = client.search("Patient", [("identifier", f"{NHS_NUMBER}|{patient.nhs_number}")], all_pages=False).first
        if not entries(search, "Patient"):
            missing.append(
                f"testdata.patient.nhs_number: no Patient has NHS number {patient.nhs_number} "
                f"(Patient?identifier={NHS_NUMBER}|{patient.nhs_number} answered {search.status if search.status is not None else 'nothing'} with none)"
            )
    for resource_type, identity in testdata.records.items():
        found, how = read_record(client, f"{resource_type}/{identity}")
        if found is None:
            missing.append(f"testdata.records.{resource_type}: {resource_type}/{identity} could not be read ({how})")
    return missing
