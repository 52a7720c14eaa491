"""Reading a FHIR resource out of a response body, JSON or XML, with a readable reason when that is impossible.

``read_document``/``read_response`` also return what the XML reader could not read as STU3 (kept as written,
see ``fhir.xml``), so validation reports it; ``parse_document``/``parse_resource`` return the resource alone.
Whatever the bytes are (cut off, 200,000 levels deep, not UTF-8), the answer is a resource or a BodyError:
the failure of the scenario that met it, never an exception the run does not expect.
"""

from __future__ import annotations

from typing import Any

from carecheck.fhir.model_errors import describe_value
from carecheck.fhir.xml import Reading, XmlError, read_xml
from carecheck.http import Exchange
from carecheck.http.untrusted import DEPTH_CEILING, UnreadableBody, nests_deeper_than, parse_json

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
    if exchange.error:
        raise BodyError(f"the body was not read: {exchange.error}")
    return read_document(response.body, response.content_type)


def parse_document(body: bytes, media_type: str = "") -> dict[str, Any]:
    """A FHIR JSON or XML document as a resource in its JSON form; XML when the media type or first byte says so."""
    return read_document(body, media_type).resource


def read_document(body: bytes, media_type: str = "") -> Reading:
    """A FHIR JSON or XML document read, with the reader's issues (XML content that is not STU3)."""
    if not body.strip():
        raise BodyError("the response has an empty body")
    if media_type in XML_MEDIA_TYPES or body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        if nests_deeper_than(body, DEPTH_CEILING):
            raise BodyError(f"the body is not FHIR XML that carecheck reads: it nests deeper than {DEPTH_CEILING} levels")
        try:
            return read_xml(body)
        except XmlError as error:
            raise BodyError(f"the body is not FHIR XML: {error}") from None
        except RecursionError:
            raise BodyError("the body is not FHIR XML that carecheck reads: it nests too deeply") from None
    try:
        document = parse_json(body)
    except UnreadableBody as error:
        raise BodyError(f"the body is {error}") from None
    if not isinstance(document, dict):
        raise BodyError(f"the body is JSON but not an object ({describe_value(document)})")
    resource_type = document.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        raise BodyError("the body is a JSON object without a resourceType")
    return Reading(document)
