"""Tests for carecheck.refserver.security.keys: the server's signing key and its public JWK."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from carecheck.errors import ConfigError
from carecheck.project import data_path
from carecheck.refserver.security.keys import SigningKey, _thumbprint


def test_a_generated_key_is_rsa_2048_and_quick_to_make() -> None:
    started = time.perf_counter()
    key = SigningKey.generate()
    assert time.perf_counter() - started < 1.0
    assert key.public_key.key_size == 2048


def test_the_public_jwk_is_public_and_named_by_its_thumbprint() -> None:
    key = SigningKey.generate()
    assert set(key.public_jwk) == {"kty", "n", "e", "kid", "use", "alg"}
    assert (key.public_jwk["kty"], key.public_jwk["use"], key.public_jwk["alg"]) == ("RSA", "sig", "RS256")
    assert key.public_jwk["kid"] == key.kid
    published = RSAAlgorithm.from_jwk(dict(key.public_jwk))
    assert isinstance(published, rsa.RSAPublicKey)
    assert published.public_numbers() == key.public_key.public_numbers()


def test_the_kid_is_the_rfc7638_thumbprint() -> None:
    # RFC 7638 §3.1's example key and thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr"
        "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    assert _thumbprint({"kty": "RSA", "n": n, "e": "AQAB", "alg": "RS256"}) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_signed_claims_verify_with_the_public_key_and_name_the_kid() -> None:
    key = SigningKey.generate()
    token = key.sign({"sub": "x"}, typ="at+jwt")
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}
    assert jwt.decode(token, key.public_key, algorithms=["RS256"]) == {"sub": "x"}


def test_the_repr_shows_only_the_kid() -> None:
    key = SigningKey.generate()
    assert repr(key) == f"SigningKey(kid={key.kid!r})"


def test_a_key_from_a_pem_file_must_be_an_unencrypted_rsa_key(tmp_path: Path) -> None:
    assert SigningKey.from_pem(data_path("keys", "carecheck-refserver-rs256.private.pem")).public_key.key_size == 2048
    with pytest.raises(ConfigError, match="must be an RSA key"):
        SigningKey.from_pem(data_path("keys", "carecheck-backend-es384.private.pem"))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("nope")
    with pytest.raises(ConfigError, match="not a readable, unencrypted PEM private key"):
        SigningKey.from_pem(garbage)
