"""Tests for carecheck.refserver.formats: content negotiation and FHIR responses."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from carecheck.refserver.formats import Format, fhir_response, negotiate, negotiate_leniently
from carecheck.refserver.outcome import FhirError


def _request(accept: str | None = None, **query: str) -> Request:
    headers = [(b"accept", accept.encode())] if accept is not None else []
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": urlencode(query).encode(), "headers": headers})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, Format.JSON),
        ("", Format.JSON),
        ("application/fhir+json", Format.JSON),
        ("application/json+fhir", Format.JSON),
        ("application/json", Format.JSON),
        ("application/fhir+xml", Format.XML),
        ("application/xml+fhir", Format.XML),
        ("application/xml", Format.XML),
        ("text/xml", Format.XML),
        ("*/*", Format.JSON),
        ("application/fhir+xml; charset=utf-8", Format.XML),
        ("text/html, application/xml;q=0.9, */*;q=0.8", Format.XML),
        ("application/fhir+json;q=0.5, application/fhir+xml", Format.XML),
        ("application/fhir+xml;q=0, application/fhir+json", Format.JSON),
    ],
)
def test_accept_header_chooses_the_format(accept: str | None, expected: Format) -> None:
    assert negotiate(_request(accept)) is expected


@pytest.mark.parametrize(
    ("accept", "format_", "expected"),
    [
        ("application/fhir+json", "xml", Format.XML),
        ("application/fhir+xml", "json", Format.JSON),
        (None, "application/fhir+xml", Format.XML),
        (None, "application/xml+fhir", Format.XML),
        (None, "application/fhir xml", Format.XML),  # an unencoded '+' arrives as a space
        ("application/fhir+xml", "application/fhir+json", Format.JSON),
        (None, "XML", Format.XML),
    ],
)
def test_format_parameter_overrides_accept(accept: str | None, format_: str, expected: Format) -> None:
    assert negotiate(_request(accept, _format=format_)) is expected


def test_the_last_format_parameter_wins() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "query_string": b"_format=json&_format=xml", "headers": []})
    assert negotiate(request) is Format.XML


@pytest.mark.parametrize(
    ("accept", "query", "status"),
    [
        (None, {"_format": "html"}, 400),
        ("application/fhir+json", {"_format": "text/turtle"}, 400),
        ("text/html", {}, 406),
        ("application/fhir+xml;q=0", {}, 406),
    ],
)
def test_unanswerable_formats_are_refused(accept: str | None, query: dict[str, str], status: int) -> None:
    request = _request(accept, **query)
    with pytest.raises(FhirError) as refused:
        negotiate(request)
    assert refused.value.status == status
    assert negotiate_leniently(request) is Format.JSON


def test_fhir_response_carries_the_stu3_media_type_and_utf8() -> None:
    resource = {"resourceType": "Patient", "id": "1", "name": [{"family": "Antić"}]}
    response = fhir_response(resource, Format.JSON, 201)
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    body = bytes(response.body)
    assert "Antić".encode() in body and json.loads(body) == resource
    xml = fhir_response(resource, Format.XML)
    assert xml.headers["content-type"] == "application/fhir+xml; charset=utf-8"
    assert bytes(xml.body).startswith(b'<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir">')
