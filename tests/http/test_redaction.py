"""Redaction: credentials headers keep their scheme only; configured secrets vanish everywhere."""

from __future__ import annotations

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
