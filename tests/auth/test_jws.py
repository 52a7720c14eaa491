"""Compact JWS by hand: any header, any signature, and reading a token without verifying it."""

from __future__ import annotations

import hashlib
import hmac

import jwt

from carecheck.auth.jws import b64url, compact, hs256, unverified


def test_an_unsigned_token_keeps_its_trailing_dot_and_reads_back() -> None:
    token = compact({"alg": "none"}, {"sub": "x"})
    assert token.endswith(".") and token.count(".") == 2
    assert unverified(token) == ({"alg": "none"}, {"sub": "x"})


def test_hs256_signs_with_any_bytes_as_the_secret() -> None:
    token = hs256({"alg": "HS256"}, {"sub": "x"}, b"-----BEGIN PUBLIC KEY----- a longer secret")
    assert jwt.decode(token, b"-----BEGIN PUBLIC KEY----- a longer secret", algorithms=["HS256"]) == {"sub": "x"}
    signing_input, _, signature = token.rpartition(".")
    assert signature == b64url(hmac.new(b"-----BEGIN PUBLIC KEY----- a longer secret", signing_input.encode(), hashlib.sha256).digest())


def test_what_is_not_a_jws_reads_as_none() -> None:
    assert unverified("not-a-token") is None
    assert unverified("a.b.c") is None
    assert unverified(f"{b64url(b'[1]')}.{b64url(b'{}')}.") is None
