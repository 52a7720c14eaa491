"""Redaction: credentials headers keep their scheme only; configured secrets vanish everywhere."""

from __future__ import annotations

import base64
import html
import json
import re
from urllib.parse import quote, quote_plus

import pytest

from carecheck.http import REDACTED, Redactor


def test_credentials_headers_keep_only_their_scheme() -> None:
    redactor = Redactor.of([])
    assert redactor.header("Authorization", "Bearer eyJhbGciOi.payload.sig") == f"Bearer {REDACTED}"
    assert redactor.header("authorization", "opaque") == REDACTED
    assert redactor.header("Cookie", "session=abc") == REDACTED
    assert redactor.header("Accept", "application/fhir+json") == "application/fhir+json"


def test_secrets_are_removed_from_text_and_bytes_longest_first() -> None:
    redactor = Redactor.of(["abc", "abcdef", ""])
    assert redactor.text("x=abcdef&y=abc") == f"x={REDACTED}&y={REDACTED}"
    assert redactor.body(b'{"token": "abcdef"}') == b'{"token": "' + REDACTED.encode() + b'"}'


def test_secrets_in_other_headers_are_removed() -> None:
    redactor = Redactor.of(["s3cret"])
    assert redactor.headers([("X-Echo", "you sent s3cret")]) == (("X-Echo", f"you sent {REDACTED}"),)


SECRET = 'p@ss/w+rd &="q"<x>~*'


@pytest.mark.parametrize(
    "spelling",
    [
        SECRET,
        quote(SECRET, safe=""),
        re.sub("%[0-9A-F]{2}", lambda match: match.group().lower(), quote(SECRET, safe="")),
        quote_plus(SECRET),
        quote(SECRET, safe="").replace("~", "%7E").replace("*", "%2A"),
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET)[1:-1].replace("/", "\\/"),
        html.escape(SECRET),
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
    ],
    ids=["plain", "url", "url-lower", "form", "url-all", "json", "json-slash", "html", "base64", "base64url"],
)
def test_a_secret_is_redacted_in_every_spelling_an_echo_could_use(spelling: str) -> None:
    redactor = Redactor.of([SECRET])
    assert spelling not in redactor.text(f"you sent {spelling}!")
    assert spelling.encode() not in redactor.body(f'{{"echo": "{spelling}"}}'.encode())
    assert redactor.headers([("X-Echo", spelling)]) == (("X-Echo", REDACTED),)


def test_the_credentials_a_request_carries_are_learnt_before_it_is_sent() -> None:
    redactor = Redactor()
    basic = base64.b64encode(b"client-id:" + quote_plus(SECRET).encode()).decode()
    redactor.learn_credentials("Authorization", f"Basic {basic}")
    redactor.learn_credentials("Accept", "application/fhir+json-but-long-enough")
    redactor.learn_credentials("Authorization", "Bearer short")
    assert redactor.text(f"Basic {basic}") == f"Basic {REDACTED}"
    assert redactor.text("application/fhir+json-but-long-enough short") == "application/fhir+json-but-long-enough short"


def test_cookies_are_redacted_whole() -> None:
    redactor = Redactor()
    assert redactor.header("Set-Cookie", "sessionid=abc123; Path=/; HttpOnly") == REDACTED
    assert redactor.header("Cookie", "a=b c=d") == REDACTED


def test_credential_fields_are_blanked_in_json_forms_and_json_quoting_a_form() -> None:
    redactor = Redactor()
    assert redactor.body(b'{"access_token" : "ab\\"c", "n": 1}') == b'{"access_token" : "[REDACTED]", "n": 1}'
    assert redactor.body(b"grant_type=x&client_secret=s%2B1&scope=y") == b"grant_type=x&client_secret=%5BREDACTED%5D&scope=y"
    assert redactor.body(b'{"echo": "a=1&client_secret=s%2B1"}') == b'{"echo": "a=1&client_secret=%5BREDACTED%5D"}'
    deep = b'{"x": ' + b"[" * 5000 + b'{"refresh_token": "r"}' + b"]" * 5000 + b"}"
    assert b'"refresh_token": "[REDACTED]"' in redactor.body(deep), "no parser, so no depth to overflow"
