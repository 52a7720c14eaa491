"""Mining the target for known data: the patient, their records of each type, and what those refer to.

Every request is an ordinary recorded exchange (the run keeps them as evidence). Nothing here judges
the server: a search that fails simply leaves that type without a known record, and its scenarios
become not applicable with the reason noted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carecheck.capability import Capabilities
from carecheck.config import TestData
from carecheck.http import FhirClient
from carecheck.search import SearchRegistry, default_registry
from carecheck.search.oracle import extract
from carecheck.testdata.known import Known
from carecheck.testdata.pinned import NHS_NUMBER, RecordReads, entries, read_record

__all__ = ["DIRECTORY", "PATIENT_SCOPED", "discover"]

DIRECTORY = ("Practitioner", "PractitionerRole", "Organization", "Location", "Medication")
"""The types found by following references from the patient's records, else from the server's own list."""
PATIENT_SCOPED = (
    "AllergyIntolerance", "Condition", "Procedure", "Observation", "Encounter",
    "MedicationStatement", "MedicationRequest", "Immunization",
)  # fmt: skip
"""The clinical types, searched by `patient`."""
_SAMPLE = "50"
_OTHERS = 4
"""Records kept per type besides the known one, for forms the known record has no value for."""

# Where directory records are found from the records already known: (type, holder type, element path).
_REFERRED = (
    ("Practitioner", "Patient", ("generalPractitioner",)),
    ("Organization", "Patient", ("managingOrganization",)),
    ("Organization", "Patient", ("generalPractitioner",)),
    ("Medication", "MedicationRequest", ("medicationReference",)),
    ("Medication", "MedicationStatement", ("medicationReference",)),
    ("Location", "Encounter", ("location", "location")),
    ("Practitioner", "Encounter", ("participant", "individual")),
    ("Organization", "Encounter", ("serviceProvider",)),
)


def _read(reads: RecordReads, reference: str) -> dict[str, Any] | None:
    return read_record(reads, reference)[0]


def _ranked(candidates: list[dict[str, Any]], resource_type: str, registry: SearchRegistry) -> list[dict[str, Any]]:
    """The records by the number of Care Connect search parameters they have values for, richest (the best test data) first."""
    wanted = [p for p in registry.parameters(resource_type) if (c := registry.conformance(resource_type, p.name)).ig or c.core]
    unique = list({str(r.get("id")): r for r in candidates}.values())
    return sorted(unique, key=lambda r: -sum(1 for p in wanted if extract(r, p)))


def discover(
    client: FhirClient, testdata: TestData, capabilities: Capabilities, registry: SearchRegistry | None = None, *, reads: RecordReads | None = None
) -> Known:
    """Find the known patient and records on the target, following the profile's `testdata`; `reads` shares the reads
    of pinned records with the pinned check."""
    registry = registry or default_registry()
    reads = reads or RecordReads(client)
    notes: list[str] = []
    others: dict[str, tuple[dict[str, Any], ...]] = {}
    patient = _patient(reads, testdata, notes, others, registry)
    records: dict[str, dict[str, Any]] = {}
    for resource_type, identity in testdata.records.items():
        found, how = read_record(reads, f"{resource_type}/{identity}")
        records[resource_type] = found or records.get(resource_type, {})
        notes.append(f"{resource_type}/{identity} from the test data {'read' if found else f'(testdata.records.{resource_type}) could not be read: {how}'}")
    records = {k: v for k, v in records.items() if v}
    if testdata.discover and patient is not None:
        for resource_type in PATIENT_SCOPED:
            if resource_type in records or not capabilities.declares_search(resource_type, "patient"):
                continue
            search = client.search(resource_type, [("patient", str(patient["id"])), ("_count", _SAMPLE)], all_pages=False)
            ranked = _ranked(entries(search.first, resource_type), resource_type, registry)
            if ranked:
                records[resource_type], others[resource_type] = ranked[0], tuple(ranked[1 : 1 + _OTHERS])
                notes.append(f"{resource_type}/{ranked[0]['id']} mined from {resource_type}?patient={patient['id']}{_more(ranked)}")
            else:
                notes.append(f"no {resource_type} found for Patient/{patient['id']} ({resource_type}?patient={patient['id']} answered {search.first.status})")
        _follow_references(reads, patient, records, notes)
    if testdata.discover:
        _list_the_rest(client, capabilities, records, set(testdata.records), registry, notes, others)
    return Known(configured=testdata, patient=patient, records=records, notes=tuple(notes), others=others)


def _more(ranked: list[dict[str, Any]]) -> str:
    kept = len(ranked[1 : 1 + _OTHERS])
    return f" (and {kept} more kept for forms it has no value for)" if kept else ""


def _patient(
    reads: RecordReads, testdata: TestData, notes: list[str], others: dict[str, tuple[dict[str, Any], ...]], registry: SearchRegistry
) -> dict[str, Any] | None:
    client = reads.client
    configured = testdata.patient
    if configured and configured.id:
        found, how = read_record(reads, f"Patient/{configured.id}")
        notes.append(f"Patient/{configured.id} from the test data {'read' if found else f'(testdata.patient.id) could not be read: {how}'}")
        return found
    if configured and configured.nhs_number:
        search = client.search("Patient", [("identifier", f"{NHS_NUMBER}|{configured.nhs_number}")], all_pages=False)
        matches = entries(search.first, "Patient")
        found_or_not = (
            f"Patient/{matches[0]['id']}"
            if matches
            else (f"no patient found (testdata.patient.nhs_number; Patient?identifier={NHS_NUMBER}|{configured.nhs_number} answered {search.first.status})")
        )
        notes.append(f"NHS number {configured.nhs_number}: {found_or_not}")
        return matches[0] if matches else None
    if not testdata.discover:
        return None
    search = client.search("Patient", [("_count", "10")], all_pages=False)
    listed = entries(search.first, "Patient")
    notes.append(
        f"Patient/{listed[0]['id']} is the first the server lists"
        if listed
        else f"the server lists no Patient (Patient?_count=10 answered {search.first.status})"
    )
    others["Patient"] = tuple(_ranked(listed[1:], "Patient", registry)[:_OTHERS])
    return listed[0] if listed else None


def _follow_references(reads: RecordReads, patient: Mapping[str, Any], records: dict[str, dict[str, Any]], notes: list[str]) -> None:
    holders: dict[str, Mapping[str, Any]] = {"Patient": patient, **records}
    for resource_type, holder_type, path in _REFERRED:
        holder = holders.get(holder_type)
        if resource_type in records or holder is None:
            continue
        for reference in _references(holder, path):
            if reference.split("/")[-2:-1] != [resource_type]:
                continue
            found = _read(reads, reference)
            if found:
                records[resource_type] = found
                notes.append(f"{resource_type}/{found['id']} referred to by {holder_type}/{holder.get('id')}")
                break


def _references(value: Any, path: tuple[str, ...]) -> list[str]:
    """The `reference` strings at `path` below `value`, through lists."""
    items = value if isinstance(value, list) else [value]
    if not path:
        return [i["reference"] for i in items if isinstance(i, dict) and isinstance(i.get("reference"), str)]
    return [ref for item in items if isinstance(item, dict) for ref in _references(item.get(path[0]), path[1:])]


def _list_the_rest(
    client: FhirClient,
    capabilities: Capabilities,
    records: dict[str, dict[str, Any]],
    configured: set[str],
    registry: SearchRegistry,
    notes: list[str],
    others: dict[str, tuple[dict[str, Any], ...]],
) -> None:
    """Directory types not named in the test data: the richest of the record the patient's records refer
    to (if any) and the server's first page (for PractitionerRole, the known practitioner's roles first);
    the rest of them are kept as others."""
    for resource_type in DIRECTORY:
        if resource_type in configured or "search-type" not in capabilities.interactions(resource_type):
            continue
        query = [("_count", "10")]
        if resource_type == "PractitionerRole" and "Practitioner" in records:
            query.insert(0, ("practitioner", str(records["Practitioner"]["id"])))
        referred = [records[resource_type]] if resource_type in records else []
        listed = entries(client.search(resource_type, query, all_pages=False).first, resource_type)
        ranked = _ranked(referred + listed, resource_type, registry)
        if not ranked:
            notes.append(f"the server lists no {resource_type}")
            continue
        best, others[resource_type] = ranked[0], tuple(ranked[1 : 1 + _OTHERS])
        if best not in referred:
            records[resource_type] = best
            notes.append(f"{resource_type}/{best['id']} listed by {resource_type}?{'&'.join(f'{k}={v}' for k, v in query)}")
