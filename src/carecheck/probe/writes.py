"""Write probes that cannot harm: the only requests of a run that are not reads.

The read-only scenarios must see how a server answers a create, update, patch or delete, on a server that
holds real records. So no write ever names a record the server had:

- PUT, PATCH and DELETE go to `[type]/carecheck-probe-<random>`, an id of carecheck's own that a read has
  just shown does not exist (another id is drawn if it does; no write is sent if the read cannot tell);
- PUT and PATCH carry `If-Match` on an ETag no version can have, so a server that checks versions refuses
  them (412); the PATCH body is a JSON Patch `test`, which changes nothing even where it applies;
- POST (create) sends a body that is recognisably carecheck's: a meta.tag and an identifier of the system
  `PROBE_SYSTEM` whose value is the probe's id, an inactive Patient named CARECHECK-WRITE-PROBE or an
  Observation `entered-in-error`.

Whenever the server may have performed the write (any answer but a 4xx refusal, and always for a write to an
id), carecheck re-reads what it touched and deletes what it finds there: its own id, or a created record that
carries its mark (never one that does not), then reads it again to confirm it is gone. Every one of those
requests is recorded with a `clean-up:` note, and the scenario's checks report them (`carecheck.checks.writes`).

`WriteProbes` sends one scenario's probes and keeps each one's clean-up for the check that judges it. A write that
cannot be sent safely, or any write at all when the profile says `writes: never`, makes the scenario not applicable.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carecheck.checks import NotApplicable
from carecheck.checks.writes import CLEANUP_NOTE
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import FHIR_JSON, Exchange, FhirClient, Interaction
from carecheck.http.untrusted import parse_url

__all__ = [
    "NEVER",
    "NO_SUCH_VERSION",
    "PROBE_ID_PREFIX",
    "PROBE_SYSTEM",
    "ProbeUnavailable",
    "ProbedWrite",
    "WriteProbes",
    "carries_mark",
    "probe_id",
    "probe_write",
    "synthetic",
]

PROBE_SYSTEM = "urn:carecheck:write-probe"
"""The system of the meta.tag and identifier that mark a record as a carecheck write probe (the value is its id)."""
PROBE_ID_PREFIX = "carecheck-probe-"
NO_SUCH_VERSION = 'W/"carecheck-probe-no-such-version"'
"""The ETag of carecheck's `If-Match`: no version of any record has it."""
JSON_PATCH = "application/json-patch+json"
NEVER = "the target profile says no write may ever be sent to this server (writes: never), so carecheck sent none and this requirement is untested"

_ATTEMPTS = 3
_MOST_CLEANED = 5
"""Records a POST's clean-up deletes at most (each confirmed to carry the probe's mark)."""
_CONTENT: Mapping[str, Mapping[str, Any]] = {
    "Patient": {"active": False, "name": [{"use": "official", "family": "CARECHECK-WRITE-PROBE", "given": ["Not-A-Patient"]}]},
    "Observation": {"status": "entered-in-error", "code": {"text": "carecheck write probe: not a clinical record"}},
}
"""What a probe of these types holds besides its mark: inert, and plainly not a real record."""


class ProbeUnavailable(NotApplicable):
    """No write can be sent without risk: why, in one sentence (the scenario is not applicable)."""


@dataclass(frozen=True)
class ProbedWrite:
    """The write the scenario judges, and the requests carecheck sent after it to confirm or undo it (None: none needed)."""

    write: Interaction
    cleanup: Interaction | None


class WriteProbes:
    """Sends one scenario's write probes through its client and remembers each one's clean-up."""

    def __init__(self, client: FhirClient, *, allowed: bool = True) -> None:
        self._client = client
        self._allowed = allowed
        self._cleanups: dict[str, Interaction | None] = {}

    def send(self, method: str, resource_type: str) -> Interaction:
        """A harmless `method` of `resource_type` (the write alone: what the scenario judges)."""
        if not self._allowed:
            raise NotApplicable(NEVER)
        probed = probe_write(self._client, method, resource_type)
        self._cleanups[probed.write.first.id] = probed.cleanup
        return probed.write

    def cleanup_of(self, write: Interaction) -> Interaction | None:
        """The re-reads and deletes carecheck sent after `write` (None when none were needed)."""
        return self._cleanups.get(write.first.id)


def probe_id() -> str:
    """A fresh id of carecheck's own: `carecheck-probe-` and 16 random hex digits (a valid FHIR id)."""
    return PROBE_ID_PREFIX + secrets.token_hex(8)


def synthetic(resource_type: str, probe: str, *, with_id: bool) -> dict[str, Any]:
    """The body of a probe write: marked with `PROBE_SYSTEM|probe`, inert, with `id` for an update."""
    display = "carecheck write probe: not a real record; delete it on sight"
    body: dict[str, Any] = {"resourceType": resource_type}
    if with_id:
        body["id"] = probe
    body["meta"] = {"tag": [{"system": PROBE_SYSTEM, "code": probe, "display": display}]}
    if resource_type in _CONTENT:
        body["identifier"] = [{"system": PROBE_SYSTEM, "value": probe}]
        body.update(_CONTENT[resource_type])
    return body


def carries_mark(resource: Mapping[str, Any], probe: str) -> bool:
    """Whether the record carries this probe's mark (its meta.tag or identifier), so carecheck may delete it."""
    meta = resource.get("meta")
    tags = meta.get("tag") if isinstance(meta, dict) else None
    identifiers = resource.get("identifier")
    pairs = [(t.get("system"), t.get("code")) for t in tags if isinstance(t, dict)] if isinstance(tags, list) else []
    if isinstance(identifiers, list):
        pairs += [(i.get("system"), i.get("value")) for i in identifiers if isinstance(i, dict)]
    return (PROBE_SYSTEM, probe) in pairs


def probe_write(client: FhirClient, method: str, resource_type: str) -> ProbedWrite:
    """Send one harmless `method` of `resource_type` and clean up after it; ProbeUnavailable if it cannot be sent safely."""
    if method == "POST":
        probe = probe_id()
        body = json.dumps(synthetic(resource_type, probe, with_id=False)).encode()
        note = f"write probe: a new {resource_type} marked {PROBE_SYSTEM}|{probe}, carecheck's own"
        write = client.send("POST", resource_type, headers=[("Content-Type", FHIR_JSON)], content=body, notes=(note,))
        refused = write.status is not None and 400 <= write.status < 500
        cleanup = () if refused else _undo_create(client, resource_type, probe, write)
    else:
        probe = _unused_id(client, method, resource_type)
        write = client.send(method, f"{resource_type}/{probe}", **_request(method, resource_type, probe))
        cleanup = _settle(client, f"{resource_type}/{probe}", method, mine=True)
    return ProbedWrite(Interaction("request", resource_type, (write,)), Interaction("request", resource_type, cleanup) if cleanup else None)


def _unused_id(client: FhirClient, method: str, resource_type: str) -> str:
    """A probe id the server has no record of (a read answers 404)."""
    for _ in range(_ATTEMPTS):
        probe = probe_id()
        note = f"write probe: checking that {resource_type}/{probe}, carecheck's own id, does not exist before the {method}"
        read = client.send("GET", f"{resource_type}/{probe}", notes=(note,))
        if read.status == 404:
            return probe
        if read.status is None or not (200 <= read.status < 300 or read.status == 410):
            answer = read.status if read.status is not None else f"no answer ({read.error})"
            raise ProbeUnavailable(
                f"the server answered {answer} to a read of {resource_type}/{probe}, not 404, so carecheck cannot confirm "
                f"that its own id is unused and sends no {method}"
            )
    raise ProbeUnavailable(f"{_ATTEMPTS} random ids of carecheck's own all answered as existing records, so carecheck sends no {method}")


def _request(method: str, resource_type: str, probe: str) -> dict[str, Any]:
    """The headers, body and note of a PUT, PATCH or DELETE of the probe id."""
    own = f"{resource_type}/{probe}, carecheck's own id, which does not exist"
    if method == "PUT":
        body = json.dumps(synthetic(resource_type, probe, with_id=True)).encode()
        headers = [("Content-Type", FHIR_JSON), ("If-Match", NO_SUCH_VERSION)]
        return {"headers": headers, "content": body, "notes": (f"write probe: {own}; If-Match on a version no record has",)}
    if method == "PATCH":
        body = json.dumps([{"op": "test", "path": "/id", "value": probe}]).encode()
        headers = [("Content-Type", JSON_PATCH), ("If-Match", NO_SUCH_VERSION)]
        return {
            "headers": headers,
            "content": body,
            "notes": (f"write probe: {own}; a JSON Patch test, which changes nothing; If-Match on a version no record has",),
        }
    return {"notes": (f"write probe: {own}",)}


def _settle(client: FhirClient, path: str, method: str, *, mine: bool, probe: str | None = None) -> tuple[Exchange, ...]:
    """Re-read `path`; if a record is there that is carecheck's (its own id, or it carries `probe`'s mark), delete it and read again."""
    read = client.send("GET", path, notes=(f"{CLEANUP_NOTE} re-reading {path}, which carecheck's {method} may have written",))
    if read.status is None or not 200 <= read.status < 300:
        return (read,)
    if not mine and not (probe is not None and carries_mark(_resource(read), probe)):
        return (read,)  # not carecheck's: never deleted (the check reports it, to be looked at by hand)
    why = "carecheck's own id" if mine else f"it carries carecheck's mark {PROBE_SYSTEM}|{probe}"
    delete = client.send("DELETE", path, notes=(f"{CLEANUP_NOTE} deleting {path}, which carecheck's {method} wrote ({why})",))
    again = client.send("GET", path, notes=(f"{CLEANUP_NOTE} re-reading {path} after deleting it",))
    return (read, delete, again)


def _undo_create(client: FhirClient, resource_type: str, probe: str, write: Exchange) -> tuple[Exchange, ...]:
    """Find what a POST may have created (its Location, the id it answered with, else a search for the mark) and settle each."""
    exchanges: list[Exchange] = []
    created = _created(resource_type, write)
    if not created:
        note = f"{CLEANUP_NOTE} looking for a {resource_type} carecheck's POST may have created (marked {PROBE_SYSTEM}|{probe})"
        search = client.send("GET", resource_type, params=[("_tag", f"{PROBE_SYSTEM}|{probe}"), ("_count", "10")], notes=(note,))
        exchanges.append(search)
        created = [f"{resource_type}/{r['id']}" for r in _listed(search) if isinstance(r.get("id"), str) and carries_mark(r, probe)]
    for path in list(dict.fromkeys(created))[:_MOST_CLEANED]:
        exchanges += _settle(client, path, "POST", mine=False, probe=probe)
    return tuple(exchanges)


def _created(resource_type: str, write: Exchange) -> list[str]:
    """`Type/id` of the record a POST's answer names: its Location or Content-Location, else the id in its body."""
    found = []
    for header in ("location", "content-location"):
        value = write.response.header(header) if write.response is not None else None
        url = parse_url(value) if value else None  # the server's Location: perhaps no URL at all
        segments = [s for s in (url.path if url is not None else value or "").split("/") if s]
        if "_history" in segments:
            segments = segments[: segments.index("_history")]
        if len(segments) >= 2 and segments[-2] == resource_type:
            found.append(f"{resource_type}/{segments[-1]}")
    body = _resource(write)
    if body.get("resourceType") == resource_type and isinstance(body.get("id"), str):
        found.append(f"{resource_type}/{body['id']}")
    return found


def _resource(exchange: Exchange) -> dict[str, Any]:
    if exchange.response is None or not exchange.response.body:
        return {}
    try:
        return parse_resource(exchange)
    except BodyError:
        return {}


def _listed(search: Exchange) -> list[dict[str, Any]]:
    bundle = _resource(search) if search.status == 200 else {}
    entry_list = bundle.get("entry")
    entries = entry_list if isinstance(entry_list, list) else []
    return [e["resource"] for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
