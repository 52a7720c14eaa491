"""Test data a target profile pins (a patient by id or NHS number, a record by id): whether the target holds it.

A run checks this before its scenarios (`carecheck.run.preflight`): pinned data the target says it does not hold
(a read answered 404 or 410, an NHS number search answered with an empty searchset) is a mistake in the profile, or
the wrong server, and is said in one line naming the profile's field, rather than becoming a run of not-applicable
scenarios. Any other answer (none, a server error, a body that is not FHIR) is the server's to explain: the
scenarios judge it. `testdata.if_missing: continue` runs on without what is missing.
"""

from __future__ import annotations

from typing import Any

from carecheck.config import TestData
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, FhirClient

__all__ = ["NHS_NUMBER", "NOT_FOUND", "RecordReads", "entries", "missing_pinned", "read_record"]

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
NOT_FOUND = frozenset({404, 410})
"""The answers to a read that say the record does not exist (STU3 http.html: 404 Not Found, 410 Gone)."""


def _answer(exchange: Exchange) -> dict[str, Any] | None:
    """The resource a 200 answer carries, in JSON or XML (a profile may speak either), or None."""
    if exchange.status != 200:
        return None
    try:
        return parse_resource(exchange)
    except BodyError:
        return None


def entries(exchange: Exchange, resource_type: str) -> list[dict[str, Any]]:
    """The resources of `resource_type` (with an id) in a searchset answered with 200."""
    bundle = _answer(exchange)
    if bundle is None or bundle.get("resourceType") != "Bundle":
        return []
    resources = [e.get("resource") for e in bundle.get("entry") or [] if isinstance(e, dict)]
    return [r for r in resources if isinstance(r, dict) and r.get("resourceType") == resource_type and r.get("id")]


class RecordReads:
    """Reads of `Type/id` through one client, each sent at most once: the pinned check and discovery read the same
    records at the start of a run."""

    def __init__(self, client: FhirClient) -> None:
        self.client = client
        self._answers: dict[str, Exchange] = {}

    def exchange(self, reference: str) -> Exchange:
        """The answer to reading `Type/id` (a URL's last two segments)."""
        kind, _, identity = reference.rpartition("/")
        key = f"{kind.rsplit('/', 1)[-1]}/{identity}"
        if key not in self._answers:
            self._answers[key] = self.client.read(*key.split("/")).first
        return self._answers[key]


def read_record(reads: RecordReads, reference: str) -> tuple[dict[str, Any] | None, str]:
    """The record `Type/id` names, or None and how the read was answered (`answered 404`)."""
    kind = reference.rpartition("/")[0].rsplit("/", 1)[-1]
    exchange = reads.exchange(reference)
    body = _answer(exchange)
    if body is not None and body.get("resourceType") == kind:
        return body, "read"
    answered = f"answered {exchange.status}" if exchange.status is not None else f"no answer: {exchange.error}"
    return None, f"{answered}{' with something other than a ' + kind if exchange.status == 200 else ''}"


def missing_pinned(client: FhirClient, testdata: TestData, *, reads: RecordReads | None = None) -> list[str]:
    """One line per pinned item the target does not hold, each naming the profile field (empty: all found). `reads`
    shares the reads with discovery."""
    reads = reads or RecordReads(client)
    missing: list[str] = []
    patient = testdata.patient
    if patient is not None and patient.id is not None and (how := _gone(reads, f"Patient/{patient.id}")):
        missing.append(f"testdata.patient.id: Patient/{patient.id} is not on the server ({how})")
    if patient is not None and patient.nhs_number is not None:
        search = client.search("Patient", [("identifier", f"{NHS_NUMBER}|{patient.nhs_number}")], all_pages=False).first
        if _says_none(search):
            missing.append(
                f"testdata.patient.nhs_number: no Patient has NHS number {patient.nhs_number} "
                f"(Patient?identifier={NHS_NUMBER}|{patient.nhs_number} answered 200 with none)"
            )
    for resource_type, identity in testdata.records.items():
        if how := _gone(reads, f"{resource_type}/{identity}"):
            missing.append(f"testdata.records.{resource_type}: {resource_type}/{identity} is not on the server ({how})")
    return missing


def _says_none(search: Exchange) -> bool:
    """Whether a search answer says plainly that nothing matched: a searchset with no Patient, no next page and a total
    of 0 or none (a first page that is empty but links on, or counts more, says something else)."""
    bundle = _answer(search)
    if bundle is None or bundle.get("resourceType") != "Bundle" or entries(search, "Patient"):
        return False
    link = bundle.get("link")
    links = link if isinstance(link, list) else []
    more = any(isinstance(link, dict) and link.get("relation") == "next" for link in links)
    return not more and bundle.get("total") in (None, 0)


def _gone(reads: RecordReads, reference: str) -> str:
    """`answered 404` when reading `reference` says it does not exist, else empty (read, or any other answer)."""
    status = reads.exchange(reference).status
    return f"answered {status}" if status in NOT_FOUND else ""
