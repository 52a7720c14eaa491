"""The reference server's HTTP face: a Starlette app answering metadata, read and search under ``/STU3``.

A read carries the resource's version in ``ETag`` and ``Last-Modified``; ``GET [type]/[id]/_history/[vid]``
(vread) answers for the current version and 404 for any other (see ``carecheck.refserver.versions``).
``HEAD`` is answered as ``GET`` is, without the body. Search is ``GET [type]?…`` or ``POST [type]/_search`` with a form-encoded body (its parameters
join those of the query string; the answer is the same). Every answer, errors included, is a
FHIR resource in the negotiated format: a request the server refuses gets an OperationOutcome
with a 4xx status (405 with ``Allow`` for any write, unless the app is made writable), a failure of
the server itself a 500.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, overload
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from carecheck.refserver.bundle import page_links, searchset, searchset_json
from carecheck.refserver.capability import capability_statement
from carecheck.refserver.formats import Format, fhir_json_response, fhir_response, negotiate, negotiate_leniently
from carecheck.refserver.outcome import FhirError, IssueCode, operation_outcome
from carecheck.refserver.params import RESOURCES, ResourceDefinition
from carecheck.refserver.query import parse_search
from carecheck.refserver.security import SecuritySettings, capability_security, secure
from carecheck.refserver.seed import DEFAULT_POPULATION, seed_resources
from carecheck.refserver.sql import search_condition
from carecheck.refserver.store import Store
from carecheck.refserver.versions import is_version, version_headers
from carecheck.refserver.writes import Writes

__all__ = ["FHIR_BASE_PATH", "create_app"]

FHIR_BASE_PATH = "/STU3"
"""Where the FHIR API is mounted: the base URL is ``http://HOST:PORT/STU3``."""

_FORM = "application/x-www-form-urlencoded"


Endpoint = Callable[[Request], Awaitable[Response]]


def _by_method(endpoints: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint answering each method with its own (HEAD as GET: Starlette's routing lets HEAD in with GET)."""

    async def endpoint(request: Request) -> Response:
        return await endpoints["GET" if request.method == "HEAD" else request.method](request)

    return endpoint


@overload
def create_app(*, seed: bool = ..., population: int = ..., auth: None = ..., writes: bool = ...) -> Starlette: ...
@overload
def create_app(*, seed: bool = ..., population: int = ..., auth: SecuritySettings, writes: bool = ...) -> ASGIApp: ...
def create_app(*, seed: bool = True, population: int = DEFAULT_POPULATION, auth: SecuritySettings | None = None, writes: bool = False) -> ASGIApp:
    """The reference server as an ASGI app, with its SQLite store built now (``app.state.store`` without ``auth``).

    Unless ``seed`` is False the store holds the Care Connect examples plus ``population``
    synthetic patients with their records (see ``carecheck.refserver.seed`` for what a target
    profile can rely on). With ``auth`` the FHIR API needs access tokens from the server's own
    token endpoint (see ``carecheck.refserver.security``), and the CapabilityStatement says so.
    With ``writes`` it performs create, update and delete (see ``carecheck.refserver.writes``);
    behind ``auth`` they need a token with a write scope.
    """
    store = Store(RESOURCES)
    if seed:
        store.add(seed_resources(population))
    api = _Api(store, RESOURCES, auth)
    # One route per path, its endpoint chosen by method, so a 405 names in `Allow` every method the path takes.
    type_level: dict[str, Endpoint] = {"GET": api.search}
    instance: dict[str, Endpoint] = {"GET": api.read}
    if writes:
        writer = Writes(store, RESOURCES, _base_url)
        type_level["POST"] = writer.create
        instance |= {"PUT": writer.update, "DELETE": writer.delete}
    fhir_routes = [
        Route("/metadata", api.metadata, methods=["GET"], name="metadata"),
        Route("/{resource_type}/_search", api.search, methods=["GET", "POST"], name="search-post"),
        Route("/{resource_type}", _by_method(type_level), methods=list(type_level), name="search"),
        Route("/{resource_type}/{id}", _by_method(instance), methods=list(instance), name="read"),
        Route("/{resource_type}/{id}/_history/{version}", api.vread, methods=["GET"], name="vread"),
    ]
    app = Starlette(
        routes=[Mount(FHIR_BASE_PATH, routes=fhir_routes)],
        exception_handlers={FhirError: _refused, HTTPException: _no_such_endpoint, Exception: _failed},
    )
    app.state.store = store
    return app if auth is None else secure(app, auth)


class _Api:
    """The endpoints, over one store."""

    def __init__(self, store: Store, resources: Mapping[str, ResourceDefinition], auth: SecuritySettings | None) -> None:
        self._store = store
        self._resources = resources
        self._auth = auth
        self._started = datetime.now(UTC).isoformat(timespec="seconds")

    async def metadata(self, request: Request) -> Response:
        fmt = negotiate(request)
        base_url = _base_url(request)
        security = None if self._auth is None else capability_security(self._auth, base_url)
        statement = capability_statement(base_url, self._resources, date=self._started, security=security)
        return fhir_response(statement, fmt)

    async def read(self, request: Request) -> Response:
        fmt = negotiate(request)
        resource = self._stored(request)
        return fhir_response(resource, fmt, headers=version_headers(resource))

    async def vread(self, request: Request) -> Response:
        fmt = negotiate(request)
        resource = self._stored(request)
        version = request.path_params["version"]
        if not is_version(resource, version):
            label = f"{resource['resourceType']}/{resource['id']}"
            raise FhirError(404, "not-found", f"{label} has no version {version!r} here (only its current version is kept)")
        return fhir_response(resource, fmt, headers=version_headers(resource))

    def _stored(self, request: Request) -> dict[str, Any]:
        definition = self._definition(request)
        resource_id = request.path_params["id"]
        resource = self._store.read(definition.type, resource_id)
        if resource is None and self._store.was_deleted(definition.type, resource_id):
            raise FhirError(410, "not-found", f"{definition.type}/{resource_id} has been deleted")
        if resource is None:
            raise FhirError(404, "not-found", f"{definition.type}/{resource_id} is not known to this server")
        return resource

    async def search(self, request: Request) -> Response:
        fmt = negotiate(request)
        definition = self._definition(request)
        items = request.query_params.multi_items()
        if request.method == "POST":
            items += await _form(request)
        base_url = _base_url(request)
        query = parse_search(definition, items, base_url=base_url, resources=self._resources)
        outcome = None
        if query.ignored:
            names = ", ".join(repr(name) for name in query.ignored)
            if _strict(request):
                raise FhirError(400, "not-supported", f"unknown search parameter(s) for {definition.type}: {names}")
            outcome = operation_outcome("warning", "not-supported", f"unknown search parameter(s) for {definition.type} ignored: {names}")
        condition = search_condition(query, now=datetime.now(UTC))
        page = self._store.search(definition.type, condition, offset=query.offset, count=query.count, includes=query.includes)
        kept_format = [("_format", value) for value in request.query_params.getlist("_format")[-1:]]
        links = page_links(
            f"{base_url}/{definition.type}",
            query.link_params() + kept_format,
            count=query.count,
            offset=query.offset,
            total=page.total,
        )
        if fmt is Format.JSON:  # the stored JSON text goes out as it is, never parsed and written again
            text = searchset_json(base_url=base_url, total=page.total, links=links, matches=page.matches, included=page.includes, outcome=outcome)
            return fhir_json_response(text)
        bundle = searchset(
            base_url=base_url,
            total=page.total,
            links=links,
            matches=page.resources,
            included=page.included,
            outcome=outcome,
        )
        return fhir_response(bundle, fmt)

    def _definition(self, request: Request) -> ResourceDefinition:
        resource_type = request.path_params["resource_type"]
        definition = self._resources.get(resource_type)
        if definition is None:
            served = ", ".join(self._resources)
            raise FhirError(404, "not-supported", f"resource type {resource_type!r} is not served here (only {served})")
        return definition


async def _form(request: Request) -> list[tuple[str, str]]:
    """The parameters of a ``POST _search`` body; FhirError 415 unless it is form-encoded."""
    body = await request.body()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and media_type != _FORM:
        raise FhirError(415, "not-supported", f"POST _search takes a {_FORM} body, not {media_type or 'untyped'}")
    try:
        return parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError) as error:
        raise FhirError(400, "invalid", f"the POST _search body is not form-encoded: {error}") from None


def _base_url(request: Request) -> str:
    """The FHIR base URL as the client addressed the server (from what Starlette's ``url_for`` reads, cached)."""
    scope = request.scope
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    server = scope.get("server")
    key = (scope.get("scheme"), server and tuple(server), scope.get("app_root_path", scope.get("root_path", "")), host)
    found = _BASE_URLS.get(key)
    if found is None:
        if len(_BASE_URLS) >= _BASE_URLS_KEPT:  # Host is the client's to choose: keep few
            _BASE_URLS.clear()
        found = _BASE_URLS[key] = str(request.url_for("metadata")).removesuffix("/metadata")
    return found


_BASE_URLS: dict[tuple[Any, ...], str] = {}
_BASE_URLS_KEPT = 64


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
