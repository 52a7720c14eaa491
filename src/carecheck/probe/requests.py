"""The requests the error, format and property scenarios make beyond a plain read or search: chosen `Accept`
and `_format`, searches with extra headers or by POST `_search`, each followed through its `next` links and
recorded by the scenario's client like any other exchange. (Writes are `carecheck.probe.writes`.)"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, FhirClient, Interaction

__all__ = ["FORM", "FORMATS", "NONE", "negotiated", "negotiated_each", "search_by_post", "search_with", "sent_as"]

FORM = "application/x-www-form-urlencoded"
FORMATS = (
    "json", "xml", "application/fhir+json", "application/fhir+xml",
    "application/json+fhir", "application/xml+fhir", "application/json", "application/xml",
)  # fmt: skip
"""The `_format` values the format matrix sends: the short forms, the STU3 and DSTU2 FHIR types, the generic ones."""
NONE = "none"
"""As `accept`: send no Accept header at all (the client's pool leaves out an empty one); as `format`: no `_format`."""


def _accept_header(accept: str | None) -> list[tuple[str, str]]:
    if accept is None:
        return []
    return [("Accept", "" if accept == NONE else accept)]


def negotiated(client: FhirClient, path: str, *, params: Sequence[tuple[str, str]] = (), accept: str | None, format: str | None = None) -> Interaction:
    """`GET path?params` with the given Accept (`none`: no Accept header) and `_format` (None or `none`: no parameter)."""
    params = [*params, ("_format", format)] if format and format != NONE else list(params)
    exchange = client.send("GET", path, params=params, headers=_accept_header(accept))
    resource_type = path.split("/")[0]
    return Interaction("request", "CapabilityStatement" if resource_type == "metadata" else resource_type, (exchange,))


def negotiated_each(client: FhirClient, path: str, *, params: Sequence[tuple[str, str]] = (), accept: str, formats: Sequence[str] = FORMATS) -> Interaction:
    """`GET path?params` once per `_format` value, all with the same Accept (`none`: no Accept header)."""
    exchanges = tuple(negotiated(client, path, params=params, accept=accept, format=value).first for value in formats)
    resource_type = path.split("/")[0]
    return Interaction("request", "CapabilityStatement" if resource_type == "metadata" else resource_type, exchanges)


def sent_as(client: FhirClient, method: str, path: str, media_type: str, body: bytes) -> Interaction:
    """`method path` with a body of the given media type (e.g. a POST `_search` that is not form-encoded)."""
    exchange = client.send(method, path, headers=[("Content-Type", media_type)], content=body)
    return Interaction("request", path.split("/")[0], (exchange,))


def _next_page(exchange: Exchange) -> str | None:
    if exchange.response is None or exchange.response.status != 200:
        return None
    try:
        bundle = parse_resource(exchange)
    except BodyError:
        return None
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def _follow(client: FhirClient, first: Exchange, headers: Sequence[tuple[str, str]], max_pages: int) -> list[Exchange]:
    pages = [first]
    seen = {first.request.url}
    while len(pages) < max_pages:
        link = _next_page(pages[-1])
        if link is None or link in seen or not client.same_origin(link):
            break
        seen.add(link)
        pages.append(client.send("GET", link, headers=headers))
    return pages


def search_with(
    client: FhirClient,
    resource_type: str,
    query: Sequence[tuple[str, str]],
    *,
    headers: Sequence[tuple[str, str]] = (),
    all_pages: bool = True,
    max_pages: int = 50,
) -> Interaction:
    """`GET [type]?query` with extra headers (Accept, Prefer...), following every `next` link with the same headers."""
    first = client.send("GET", resource_type, params=list(query), headers=headers)
    pages = _follow(client, first, headers, max_pages) if all_pages else [first]
    return Interaction("search", resource_type, tuple(pages))


def search_by_post(client: FhirClient, resource_type: str, query: Sequence[tuple[str, str]], *, max_pages: int = 50) -> Interaction:
    """`POST [type]/_search` with the query as a form-encoded body, following every `next` link (by GET)."""
    body = urlencode(list(query)).encode()
    first = client.send("POST", f"{resource_type}/_search", headers=[("Content-Type", FORM)], content=body)
    return Interaction("search", resource_type, tuple(_follow(client, first, (), max_pages)))
