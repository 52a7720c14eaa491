"""Tokens in evidence: their decoded header and claims, never the token or its signature."""

from __future__ import annotations

import base64

from carecheck.auth.jws import compact
from carecheck.http import TOKEN_NOTE, token_note


def test_a_jwt_shows_as_its_header_and_claims_without_the_signature() -> None:
    token = compact({"alg": "RS256", "kid": "k"}, {"sub": "s", "scope": "system/*.read"}, b"signature-bytes")
    note = token_note(f"Bearer {token}")
    assert note == f'{TOKEN_NOTE} Bearer JWT (signature removed) header {{"alg": "RS256", "kid": "k"}} claims {{"scope": "system/*.read", "sub": "s"}}'
    assert token.split(".")[2] not in note and token.split(".")[1] not in note


def test_an_unsigned_jwt_says_so() -> None:
    assert "Bearer JWT (unsigned)" in (token_note(f"Bearer {compact({'alg': 'none'}, {'a': 1})}") or "")


def test_a_bearer_value_that_is_not_a_jwt_shows_only_its_length() -> None:
    assert token_note("Bearer opaque-token-value") == f"{TOKEN_NOTE} Bearer credentials that are not a JWT (18 characters)"
    assert token_note("Bearer") == f"{TOKEN_NOTE} Bearer credentials that are not a JWT (0 characters)"


def test_basic_credentials_are_never_decoded() -> None:
    assert token_note("Basic " + base64.b64encode(b"client:secret").decode()) is None


def test_a_token_with_hostile_claims_is_noted_without_crashing() -> None:
    def segment(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = segment(b'{"alg": "RS256"}')
    deep = ".".join((header, segment(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"), "sig"))
    assert token_note(f"Bearer {deep}") == f"{TOKEN_NOTE} Bearer credentials that are not a JWT ({len(deep)} characters)"
    odd = ".".join((header, segment(b'{"sub": "\\ud800"}'), "sig"))
    note = token_note(f"Bearer {odd}")
    assert note is not None and '"sub": "\\ud800"' in note
    note.encode("utf-8")
