"""Patient context: a token bound to one patient reads that patient's records and the directory, nothing more.

A token with a ``patient`` claim (SMART launch context, see ``tokens``) is confined to that patient's
compartment; ``confine`` says how, from the request alone:

- a read of ``Patient/[id]`` is allowed for the context patient only, and a read of a directory
  record (Practitioner, PractitionerRole, Organization, Location, Medication) as usual. A read of any
  other type is allowed only when the record's ``patient`` is the context patient, which the guard
  asks the FHIR app itself (``in_compartment``: a strict search by ``_id`` and ``patient``). Another
  patient, another patient's record and a record that does not exist are all refused with 403, so the
  answer does not tell which.
- a search is filtered, never refused for whom it names: the guard adds ``_id=[patient]`` to a Patient
  search and ``patient=Patient/[patient]`` to a search of any other type that is not a directory type
  (every such type the reference server serves has that parameter), so only the context patient's
  records match. A search for another patient finds nothing, and the Bundle's links show the added
  criterion. An ``_include`` or ``_revinclude`` may bring in directory records only; one that could
  bring in anyone's records (a patient type, or types it does not name) is refused with 403, as what
  it brings in would escape the added criterion.
- any other path under the FHIR base (the base itself, ``[type]/[id]/[more]``) is refused with 403.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Scope

from carecheck.refserver.security.clients import PATIENT_ID

__all__ = ["DIRECTORY_TYPES", "Confinement", "confine", "in_compartment", "with_criteria"]

DIRECTORY_TYPES = frozenset({"Location", "Medication", "Organization", "Practitioner", "PractitionerRole"})
"""The types that belong to no patient: a patient-context token reads them as any token would."""

_INCLUDES = "an _include or _revinclude may bring in only Practitioner, PractitionerRole, Organization, Location and Medication records"


@dataclass(frozen=True)
class Confinement:
    """What becomes of a request made with a patient-context token.

    ``refusal`` says why it is refused with 403, unless ``record`` (``(type, id)``) is given and is in the
    patient's compartment; ``criteria`` are added to a search's query string.
    """

    refusal: str | None = None
    record: tuple[str, str] | None = None
    criteria: tuple[tuple[str, str], ...] = ()


def confine(route: str, included: Iterable[str], patient: str) -> Confinement:
    """How a request to ``route`` (the path after the FHIR base) whose includes bring ``included`` types is confined to ``patient``."""
    segments = route.strip("/").split("/")
    resource_type = segments[0]
    if len(segments) == 4 and segments[2] == "_history":
        return _read(resource_type, segments[1], patient)  # a vread reads what the read would
    if not resource_type or len(segments) > 2:
        return Confinement(f"the access token is bound to Patient/{patient}: it only reads and searches")
    if len(segments) == 1 or segments[1] == "_search":
        return _search(resource_type, frozenset(included), patient)
    return _read(resource_type, segments[1], patient)


def _search(resource_type: str, included: frozenset[str], patient: str) -> Confinement:
    if not included <= DIRECTORY_TYPES:
        return Confinement(f"the access token is bound to Patient/{patient}: {_INCLUDES}")
    if resource_type in DIRECTORY_TYPES:
        return Confinement()
    if resource_type == "Patient":
        return Confinement(criteria=(("_id", patient),))
    return Confinement(criteria=(("patient", f"Patient/{patient}"),))


def _read(resource_type: str, resource_id: str, patient: str) -> Confinement:
    if resource_type in DIRECTORY_TYPES or (resource_type, resource_id) == ("Patient", patient):
        return Confinement()
    refusal = f"the access token is bound to Patient/{patient}: it reads no other patient's records"
    if resource_type == "Patient" or PATIENT_ID.fullmatch(resource_id) is None:
        return Confinement(refusal)
    return Confinement(refusal, record=(resource_type, resource_id))


def with_criteria(scope: Scope, criteria: Iterable[tuple[str, str]]) -> Scope:
    """``scope`` with each of ``criteria`` added to its query string unless it is there already (as in a page link)."""
    query: bytes = scope.get("query_string", b"")
    present = parse_qsl(query.decode("utf-8", errors="replace"), keep_blank_values=True)
    added = [criterion for criterion in criteria if criterion not in present]
    if not added:
        return scope
    return {**scope, "query_string": b"&".join(part for part in (query, urlencode(added).encode()) if part)}


async def in_compartment(app: ASGIApp, scope: Scope, fhir_path: str, record: tuple[str, str], patient: str) -> bool:
    """Whether the FHIR ``app`` serving the request ``scope`` holds ``record`` with ``patient`` as its patient.

    It asks ``app`` by a search ``[type]?_id=[id]&patient=Patient/[patient]`` with ``Prefer:
    handling=strict``, so a type without a ``patient`` parameter answers 400, not every record.
    """
    resource_type, resource_id = record
    path = f"{fhir_path}/{resource_type}"
    query = urlencode([("_id", resource_id), ("patient", f"Patient/{patient}"), ("_count", "1")])
    host = [(name, value) for name, value in scope.get("headers", []) if name.lower() == b"host"]
    headers = [*host, (b"accept", b"application/fhir+json"), (b"prefer", b"handling=strict")]
    search = {**scope, "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(), "headers": headers}
    status, body = await _answer(app, search)
    try:
        total = json.loads(body).get("total") if status == 200 else None
    except (ValueError, AttributeError):
        return False
    return isinstance(total, int) and total > 0


async def _answer(app: ASGIApp, scope: Scope) -> tuple[int, bytes]:
    """The status and body ``app`` answers a bodiless request ``scope`` with."""
    status, body, asked = 0, bytearray(), False

    async def receive() -> Message:
        nonlocal asked
        if asked:
            return {"type": "http.disconnect"}
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)
