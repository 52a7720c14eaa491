"""Building recorded exchanges for tests of checks, without a network."""

from __future__ import annotations

import json
from typing import Any

from carecheck.http import Exchange, Interaction, InteractionKind, RecordedRequest, RecordedResponse

BASE = "http://fhir.test/STU3"


def exchange(
    body: dict[str, Any] | bytes | None = None,
    *,
    status: int = 200,
    url: str = f"{BASE}/Patient",
    content_type: str = "application/fhir+json; charset=utf-8",
    exchange_id: str = "001",
    error: str | None = None,
) -> Exchange:
    """A GET exchange with the given response; `error` without a body stands for a transport failure."""
    request = RecordedRequest("GET", url, (("Accept", "application/fhir+json"),))
    if error is not None and body is None:
        return Exchange(exchange_id, request, None, "2026-01-01T00:00:00Z", 1.0, error=error)
    raw = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    response = RecordedResponse(status, (("Content-Type", content_type),), raw)
    return Exchange(exchange_id, request, response, "2026-01-01T00:00:00Z", 1.0, error=error)


def interaction(*exchanges: Exchange, kind: InteractionKind = "search", resource_type: str | None = "Patient") -> Interaction:
    return Interaction(kind, resource_type, tuple(exchanges))


def searchset(*resources: dict[str, Any], total: int | None = None, next_url: str | None = None) -> dict[str, Any]:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources) if total is None else total,
        "link": [{"relation": "self", "url": f"{BASE}/Patient"}],
        "entry": [{"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}} for r in resources],
    }
    if next_url:
        bundle["link"].append({"relation": "next", "url": next_url})
    return bundle


def patient(patient_id: str = "p1", **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": patient_id, **fields}
