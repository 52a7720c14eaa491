"""Tests for carecheck.fhir.body: JSON and XML response bodies read as resources, or refused with a reason."""

from __future__ import annotations

import pytest

from carecheck.fhir import BodyError, parse_document, parse_resource
from tests.exchanges import exchange

PATIENT_XML = b'<?xml version="1.0"?><Patient xmlns="http://hl7.org/fhir"><id value="1"/><active value="true"/></Patient>'


@pytest.mark.parametrize("content_type", ["application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml", "application/octet-stream"])
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


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"resourceType": "Bundle", "entry": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "application/fhir+json"),
        (b'<Patient xmlns="http://hl7.org/fhir">' + b'<extension url="u">' * 50_000 + b"</extension>" * 50_000 + b"</Patient>", "application/fhir+xml"),
    ],
    ids=["json", "xml"],
)
def test_a_document_nesting_past_every_limit_is_a_body_error_not_a_recursion_error(body: bytes, content_type: str) -> None:
    with pytest.raises(BodyError, match="nest"):
        parse_document(body, content_type)


def test_a_body_the_client_marked_unreadable_is_not_read() -> None:
    marked = exchange({"resourceType": "Patient", "id": "p"}, error="the body nests deeper than 100 levels (limits.max_depth); carecheck does not read it")
    with pytest.raises(BodyError, match="the body was not read: the body nests deeper than 100 levels"):
        parse_resource(marked)


def test_text_that_is_not_text_is_read_as_it_is_or_refused_with_a_reason() -> None:
    assert parse_document(b'{"resourceType": "Patient", "id": "\\u0000\\ud800"}')["id"] == "\x00\ud800"
    assert parse_document(b'{"resourceType": "Patient", "id": "\xed\xa0\x80"}')["id"] == "\ud800", "as json reads bytes: surrogatepass"
    with pytest.raises(BodyError, match="not valid JSON"):
        parse_document(b'{"resourceType": "Patient", "id": "\xff\x00"}')
