"""Content negotiation and rendering: which of FHIR JSON or XML a request gets, and the response carrying it.

``_format`` wins over ``Accept`` (as the Care Connect Core API requires). Both accept the STU3
media types, the DSTU2 ones the Care Connect IG still names (``application/json+fhir``,
``application/xml+fhir``), plain ``application/json``/``application/xml`` and the short forms
``json``/``xml``. Responses always carry the STU3 media type with ``charset=utf-8``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from carecheck.refserver.outcome import FhirError
from carecheck.refserver.xmlwriter import to_xml

__all__ = ["Format", "fhir_json_response", "fhir_response", "negotiate", "negotiate_leniently"]


class Format(Enum):
    """A FHIR wire format, valued by its STU3 media type."""

    JSON = "application/fhir+json"
    XML = "application/fhir+xml"

    def render(self, resource: Mapping[str, Any]) -> bytes:
        """``resource`` in this format, UTF-8 encoded."""
        if self is Format.JSON:
            return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()
        return to_xml(resource).encode()


_MEDIA_TYPES: Mapping[str, Format] = {
    "application/fhir+json": Format.JSON,
    "application/json+fhir": Format.JSON,
    "application/json": Format.JSON,
    "text/json": Format.JSON,
    "json": Format.JSON,
    "application/fhir+xml": Format.XML,
    "application/xml+fhir": Format.XML,
    "application/xml": Format.XML,
    "text/xml": Format.XML,
    "xml": Format.XML,
}
_ANY = frozenset({"*/*", "application/*"})


def negotiate(request: Request) -> Format:
    """The format ``request`` asks for; FhirError 400 for an unknown ``_format``, 406 if Accept allows neither."""
    requested = request.query_params.getlist("_format")
    if requested:
        return _from_format_parameter(requested[-1])
    accept = request.headers.get("accept", "").strip()
    return _from_accept(accept) if accept else Format.JSON


def negotiate_leniently(request: Request) -> Format:
    """The format ``request`` asks for, or JSON when it cannot be told: for error responses."""
    try:
        return negotiate(request)
    except FhirError:
        return Format.JSON


def fhir_response(resource: Mapping[str, Any], fmt: Format, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A response carrying ``resource`` in ``fmt``, with any extra ``headers``."""
    return Response(fmt.render(resource), status_code=status, headers=dict(headers or {}), media_type=f"{fmt.value}; charset=utf-8")


def fhir_json_response(text: str, status: int = 200) -> Response:
    """A response carrying FHIR JSON already written in ``Format.JSON.render``'s form."""
    return Response(text.encode(), status_code=status, media_type=f"{Format.JSON.value}; charset=utf-8")


def _from_format_parameter(value: str) -> Format:
    # An unencoded '+' in a query string arrives as a space: "application/fhir xml".
    media_type = value.split(";")[0].strip().replace(" ", "+").lower()
    found = _MEDIA_TYPES.get(media_type)
    if found is None:
        raise FhirError(400, "invalid", f"_format {value!r} is not supported; use json, xml or a FHIR media type")
    return found


def _from_accept(accept: str) -> Format:
    best: tuple[float, Format] | None = None
    for media_range in accept.split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        quality = _quality(params)
        found = Format.JSON if media_type.lower() in _ANY else _MEDIA_TYPES.get(media_type.lower())
        if found is not None and quality > 0 and (best is None or quality > best[0]):
            best = (quality, found)
    if best is None:
        raise FhirError(406, "not-supported", f"cannot answer Accept: {accept}; use application/fhir+json or +xml")
    return best[1]


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
