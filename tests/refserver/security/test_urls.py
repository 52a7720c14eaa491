"""Tests for carecheck.refserver.security.urls: absolute URLs from the origin a client used."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.requests import Request

from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.urls import ServerUrls


@pytest.fixture(scope="module")
def settings() -> SecuritySettings:
    return SecuritySettings(clients={})


def test_the_urls_of_a_base_url(settings: SecuritySettings) -> None:
    urls = ServerUrls.of_base_url("http://127.0.0.1:54321/STU3", settings)
    assert (urls.issuer, urls.token, urls.jwks, urls.fhir_base) == (
        "http://127.0.0.1:54321/auth",
        "http://127.0.0.1:54321/auth/token",
        "http://127.0.0.1:54321/auth/jwks",
        "http://127.0.0.1:54321/STU3",
    )


def test_the_urls_of_a_request_follow_its_scheme_and_host(settings: SecuritySettings) -> None:
    scope = {
        "type": "http",
        "scheme": "https",
        "method": "GET",
        "path": "/STU3/Patient",
        "query_string": b"",
        "headers": [(b"host", b"fhir.example.org:8443")],
        "server": ("10.0.0.1", 8443),
    }
    urls = ServerUrls.of_request(Request(scope), settings)
    assert (urls.issuer, urls.fhir_base) == ("https://fhir.example.org:8443/auth", "https://fhir.example.org:8443/STU3")


def test_the_paths_come_from_the_settings(settings: SecuritySettings) -> None:
    other = dataclasses.replace(settings, issuer_path="/oauth2", fhir_path="/fhir/stu3")
    urls = ServerUrls.of_base_url("http://h/fhir/stu3", other)
    assert (urls.token, urls.fhir_base) == ("http://h/oauth2/token", "http://h/fhir/stu3")


def test_a_base_url_must_end_in_the_fhir_path(settings: SecuritySettings) -> None:
    with pytest.raises(ValueError, match="not a FHIR base URL"):
        ServerUrls.of_base_url("http://h/R4", settings)
