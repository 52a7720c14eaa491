"""Tests for carecheck.fhir.body: JSON and XML response bodies read as resources, or refused with a reason."""

from __future__ import annotations

import pytest

from carecheck.fhir import BodyError, parse_document, parse_resource
from tests.exchanges import exchange

PATIENT_XML = b'<?xml version="1.0"?><Patient xmlns="http://hl7.org/fhir"><id value="1"/><active value="true"/></Patient>'


@pytest.mark.parametrize(
    "content_type", ["application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml", "application/octet-stream"]
)
def test_xml_bodies_are_read(content_type: str) -> None:
    assert parse_resource(exchange(PATIENT_XML, content_type=content_type)) == {"resourceType": "Patient", "id": "1", "active": True}


def test_json_bodies_are_read_as_before() -> None:
    assert parse_document(b'{"resourceType": "Patient", "id": "1"}', "application/fhir+json")["id"] == "1"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"<Patient><id value='1'/></Patient>", "application/fhir+xml", "not FHIR XML: the root element <Patient> has no namespace"),
        (b'<!DOCTYPE x SYSTEM "http://evil/x.dtd"><Patient xmlns="http://hl7.org/fhir"/>', "text/xml", "document type declaration"),
        (b"not xml at all", "application/fhir+xml", "not well-formed XML"),
        (b"   ", "application/fhir+xml", "empty body"),
    ],
)
def test_bodies_that_are_not_fhir_are_a_body_error(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(BodyError, match=reason):
        parse_resource(exchange(body, content_type=content_type))


def test_an_xml_body_with_a_byte_order_mark_and_no_content_type_is_xml() -> None:
    assert parse_document(b"\xef\xbb\xbf" + PATIENT_XML)["id"] == "1"
