"""Reading a FHIR resource out of a recorded response body, with a readable reason when that is impossible."""

from __future__ import annotations

import json
from typing import Any

from carecheck.http import Exchange

__all__ = ["BodyError", "JSON_MEDIA_TYPES", "XML_MEDIA_TYPES", "parse_resource"]

JSON_MEDIA_TYPES = frozenset({"application/fhir+json", "application/json+fhir", "application/json", "text/json"})
XML_MEDIA_TYPES = frozenset({"application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml"})


class BodyError(ValueError):
    """The response has no body that can be read as a FHIR resource; the message says why."""


def parse_resource(exchange: Exchange) -> dict[str, Any]:
    """The response body as a FHIR resource in its JSON form."""
    response = exchange.response
    if response is None:
        raise BodyError(f"no response: {exchange.error}")
    if response.truncated:
        raise BodyError(f"the body was cut off: {exchange.error}")
    if not response.body.strip():
        raise BodyError("the response has an empty body")
    media = response.content_type
    if media in XML_MEDIA_TYPES or response.body.lstrip().startswith(b"<"):
        raise BodyError(f"the body is XML ({media or 'no Content-Type'}); carecheck asked for JSON")
    try:
        document = json.loads(response.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BodyError(f"the body is not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise BodyError(f"the body is JSON but not an object (a {type(document).__name__})")
    resource_type = document.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        raise BodyError("the body is a JSON object without a resourceType")
    return document
