"""Reading a FHIR resource out of a response body, JSON or XML, with a readable reason when that is impossible.

``read_document``/``read_response`` also return what the XML reader could not read as STU3 (kept as written,
see ``fhir.xml``), so validation reports it; ``parse_document``/``parse_resource`` return the resource alone.
"""

from __future__ import annotations

import json
from typing import Any

from carecheck.fhir.model_errors import describe_value
from carecheck.fhir.xml import Reading, XmlError, read_xml
from carecheck.http import Exchange

__all__ = [
    "JSON_MEDIA_TYPES",
    "XML_MEDIA_TYPES",
    "BodyError",
    "Reading",
    "parse_document",
    "parse_resource",
    "read_document",
    "read_response",
]

JSON_MEDIA_TYPES = frozenset({"application/fhir+json", "application/json+fhir", "application/json", "text/json"})
XML_MEDIA_TYPES = frozenset({"application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml"})


class BodyError(ValueError):
    """The response has no body that can be read as a FHIR resource; the message says why."""


def parse_resource(exchange: Exchange) -> dict[str, Any]:
    """The response body as a FHIR resource in its JSON form, whether the server sent JSON or XML."""
    return read_response(exchange).resource


def read_response(exchange: Exchange) -> Reading:
    """The response body read as a FHIR resource, with the reader's issues."""
    response = exchange.response
    if response is None:
        raise BodyError(f"no response: {exchange.error}")
    if response.truncated:
        raise BodyError(f"the body was cut off: {exchange.error}")
    return read_document(response.body, response.content_type)


def parse_document(body: bytes, media_type: str = "") -> dict[str, Any]:
    """A FHIR JSON or XML document as a resource in its JSON form; XML when the media type or first byte says so."""
    return read_document(body, media_type).resource


def read_document(body: bytes, media_type: str = "") -> Reading:
    """A FHIR JSON or XML document read, with the reader's issues (XML content that is not STU3)."""
    if not body.strip():
        raise BodyError("the response has an empty body")
    if media_type in XML_MEDIA_TYPES or body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        try:
            return read_xml(body)
        except XmlError as error:
            raise BodyError(f"the body is not FHIR XML: {error}") from None
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BodyError(f"the body is not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise BodyError(f"the body is JSON but not an object ({describe_value(document)})")
    resource_type = document.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        raise BodyError("the body is a JSON object without a resourceType")
    return Reading(document)
