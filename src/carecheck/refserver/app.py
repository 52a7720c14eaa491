"""The reference server's HTTP face: a Starlette app answering metadata, read and search under ``/STU3``.

Every answer, errors included, is a FHIR resource in the negotiated format: a request the server
refuses gets an OperationOutcome with a 4xx status, a failure of the server itself a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from carecheck.refserver.bundle import page_links, searchset
from carecheck.refserver.capability import capability_statement
from carecheck.refserver.formats import fhir_response, negotiate, negotiate_leniently
from carecheck.refserver.outcome import FhirError, IssueCode, operation_outcome
from carecheck.refserver.params import RESOURCES, ResourceDefinition
from carecheck.refserver.query import parse_search
from carecheck.refserver.seed import seed_resources
from carecheck.refserver.store import Store

__all__ = ["FHIR_BASE_PATH", "create_app"]

FHIR_BASE_PATH = "/STU3"
"""Where the FHIR API is mounted: the base URL is ``http://HOST:PORT/STU3``."""


def create_app(*, seed: bool = True) -> Starlette:
    """The reference server as an ASGI app, with its SQLite store built now (and seeded unless ``seed`` is False)."""
    store = Store(RESOURCES)
    if seed:
        store.add(seed_resources())
    api = _Api(store, RESOURCES)
    fhir_routes = [
        Route("/metadata", api.metadata, methods=["GET"], name="metadata"),
        Route("/{resource_type}", api.search, methods=["GET"], name="search"),
        Route("/{resource_type}/{id}", api.read, methods=["GET"], name="read"),
    ]
    return Starlette(
        routes=[Mount(FHIR_BASE_PATH, routes=fhir_routes)],
        exception_handlers={FhirError: _refused, HTTPException: _no_such_endpoint, Exception: _failed},
    )


class _Api:
    """The endpoints, over one store."""

    def __init__(self, store: Store, resources: Mapping[str, ResourceDefinition]) -> None:
        self._store = store
        self._resources = resources
        self._started = datetime.now(UTC).isoformat(timespec="seconds")

    async def metadata(self, request: Request) -> Response:
        fmt = negotiate(request)
        statement = capability_statement(_base_url(request), self._resources, date=self._started)
        return fhir_response(statement, fmt)

    async def read(self, request: Request) -> Response:
        fmt = negotiate(request)
        definition = self._definition(request)
        resource_id = request.path_params["id"]
        resource = self._store.read(definition.type, resource_id)
        if resource is None:
            raise FhirError(404, "not-found", f"{definition.type}/{resource_id} is not known to this server")
        return fhir_response(resource, fmt)

    async def search(self, request: Request) -> Response:
        fmt = negotiate(request)
        definition = self._definition(request)
        query = parse_search(definition, request.query_params.multi_items())
        outcome = None
        if query.ignored:
            names = ", ".join(repr(name) for name in query.ignored)
            if _strict(request):
                raise FhirError(400, "not-supported", f"unknown search parameter(s) for {definition.type}: {names}")
            outcome = operation_outcome(
                "warning", "not-supported", f"unknown search parameter(s) for {definition.type} ignored: {names}"
            )
        condition = query.condition(now=datetime.now(UTC))
        page = self._store.search(definition.type, condition, offset=query.offset, count=query.count)
        base_url = _base_url(request)
        kept_format = [("_format", value) for value in request.query_params.getlist("_format")[-1:]]
        links = page_links(
            f"{base_url}/{definition.type}",
            query.link_params() + kept_format,
            count=query.count,
            offset=query.offset,
            total=page.total,
        )
        bundle = searchset(base_url=base_url, total=page.total, links=links, matches=page.resources, outcome=outcome)
        return fhir_response(bundle, fmt)

    def _definition(self, request: Request) -> ResourceDefinition:
        resource_type = request.path_params["resource_type"]
        definition = self._resources.get(resource_type)
        if definition is None:
            served = ", ".join(self._resources)
            raise FhirError(404, "not-supported", f"resource type {resource_type!r} is not served here (only {served})")
        return definition


def _base_url(request: Request) -> str:
    return str(request.url_for("metadata")).removesuffix("/metadata")


def _strict(request: Request) -> bool:
    preferences = re.split(r"[,;]", request.headers.get("prefer", ""))
    return any(preference.replace(" ", "").lower() == "handling=strict" for preference in preferences)


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, FhirError)
    return fhir_response(error.outcome(), negotiate_leniently(request), error.status)


async def _no_such_endpoint(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code: IssueCode = "not-found" if error.status_code == 404 else "not-supported"
    outcome = operation_outcome("error", code, f"{request.method} {request.url.path}: {error.detail}")
    response = fhir_response(outcome, negotiate_leniently(request), error.status_code)
    response.headers.update(error.headers or {})
    return response


async def _failed(request: Request, error: Exception) -> Response:
    outcome = operation_outcome("error", "exception", f"internal server error: {type(error).__name__}: {error}")
    return fhir_response(outcome, negotiate_leniently(request), 500)
