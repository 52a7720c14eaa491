"""The reference server's writes, when it is made writable (``create_app(writes=True)``, ``carecheck serve --allow-writes``).

Care Connect is read-only, and so is the reference server by default: every write is answered 405 with an
``Allow`` header. Made writable it performs STU3 create, update and delete as a general FHIR server does, so
that a client's writes can be seen to take effect (and carecheck's write probes shown to leave it as they
found it):

- create, ``POST [type]``: 201 with the server's own id, ``meta.versionId`` 1 and
  ``Location: [base]/[type]/[id]/_history/1`` (an id in the body is ignored, as STU3 says);
- update, ``PUT [type]/[id]``: the body's id must be the URL's; 200 with a new version, or 201 when it
  creates the record with the client's id. With ``If-Match`` the ETag must be the current version's
  (``W/"n"``), else 412 Precondition Failed, also when there is no current version (RFC 7232 §3.1);
- delete, ``DELETE [type]/[id]``: 204 whether or not the record existed (STU3: "Upon successful deletion, or
  if the resource does not exist at all, the server should return ... a 204 No Content"); a later read of a
  deleted record answers 410 Gone;
- patch is not supported: ``PATCH`` is answered 405 with ``Allow`` (STU3 makes patch optional).

Writes take FHIR JSON (415 otherwise). A record with no ``meta.versionId`` (the seed) is version 1; every
update adds one. The CapabilityStatement still declares read and search only.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from carecheck.refserver.formats import fhir_response, negotiate_leniently
from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import ResourceDefinition
from carecheck.refserver.store import Store

__all__ = ["Writes"]

_JSON = frozenset({"application/fhir+json", "application/json+fhir", "application/json"})
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_ETAG = re.compile(r'(?:W/)?"([^"]*)"')


class Writes:
    """The create, update and delete endpoints, over the reference server's store."""

    def __init__(self, store: Store, resources: Mapping[str, ResourceDefinition], base_url_of: Callable[[Request], str]) -> None:
        self._store = store
        self._resources = resources
        self._base_url_of = base_url_of

    async def create(self, request: Request) -> Response:
        resource_type = self._type(request)
        resource = await _body(request, resource_type)
        resource["id"] = str(uuid.uuid4())
        return self._stored(request, resource, version=1)

    async def update(self, request: Request) -> Response:
        resource_type = self._type(request)
        resource_id = request.path_params["id"]
        if not _ID.fullmatch(resource_id):
            raise FhirError(400, "invalid", f"{resource_id!r} is not a valid FHIR id")
        resource = await _body(request, resource_type)
        if resource.get("id") != resource_id:
            raise FhirError(400, "invalid", f"the body's id {resource.get('id')!r} is not the id in the URL, {resource_id!r}")
        current = self._store.read(resource_type, resource_id)
        version = _version(current) if current is not None else 0
        _precondition(request, current, version)
        return self._stored(request, resource, version=version + 1)

    async def delete(self, request: Request) -> Response:
        resource_type = self._type(request)
        self._store.remove(resource_type, request.path_params["id"])
        return Response(status_code=204)

    def _stored(self, request: Request, resource: dict[str, Any], *, version: int) -> Response:
        held = resource.get("meta")
        meta = held if isinstance(held, dict) else {}
        resource["meta"] = {**meta, "versionId": str(version), "lastUpdated": datetime.now(UTC).isoformat(timespec="milliseconds")}
        created = self._store.put(resource)
        response = fhir_response(resource, negotiate_leniently(request), 201 if created else 200)
        location = f"{self._base_url_of(request)}/{resource['resourceType']}/{resource['id']}/_history/{version}"
        response.headers["ETag"] = f'W/"{version}"'
        response.headers["Content-Location" if not created else "Location"] = location
        return response

    def _type(self, request: Request) -> str:
        resource_type: str = request.path_params["resource_type"]
        if resource_type not in self._resources:
            raise FhirError(404, "not-supported", f"resource type {resource_type!r} is not served here")
        return resource_type


async def _body(request: Request, resource_type: str) -> dict[str, Any]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in _JSON:
        raise FhirError(415, "not-supported", f"this server takes writes in FHIR JSON (application/fhir+json), not {media_type or 'untyped'}")
    try:
        resource = json.loads(await request.body())
    except ValueError as error:
        raise FhirError(400, "invalid", f"the body is not JSON: {error}") from None
    if not isinstance(resource, dict) or resource.get("resourceType") != resource_type:
        found = resource.get("resourceType") if isinstance(resource, dict) else type(resource).__name__
        raise FhirError(400, "invalid", f"the body must be a {resource_type} resource, not {found!r}")
    return resource


def _version(resource: Mapping[str, Any]) -> int:
    meta = resource.get("meta")
    version = meta.get("versionId") if isinstance(meta, dict) else None
    return int(version) if isinstance(version, str) and version.isdigit() else 1


def _precondition(request: Request, current: Mapping[str, Any] | None, version: int) -> None:
    """412 unless ``If-Match`` (when sent) names the current version: a record that does not exist matches no ETag."""
    wanted = request.headers.get("if-match")
    if wanted is None:
        return
    tags = {match.group(1) for match in _ETAG.finditer(wanted)}
    if current is None or not (str(version) in tags or wanted.strip() == "*"):
        held = f'the current version is W/"{version}"' if current is not None else "there is no current version"
        raise FhirError(412, "processing", f"If-Match {wanted} does not match: {held}")
