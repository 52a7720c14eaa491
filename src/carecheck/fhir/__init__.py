"""FHIR content: reading resources out of response bodies."""

from carecheck.fhir.body import JSON_MEDIA_TYPES, XML_MEDIA_TYPES, BodyError, parse_resource

__all__ = ["JSON_MEDIA_TYPES", "XML_MEDIA_TYPES", "BodyError", "parse_resource"]
