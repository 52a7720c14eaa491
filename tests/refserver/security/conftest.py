"""Fixtures for the security tests: a secured reference app per session, the demo clients' tokens, and a token forge.

Forged tokens start from a real token's claims and change one thing, so each test shows the
server refusing exactly that defect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from carecheck.project import data_path
from carecheck.refserver import create_app
from carecheck.refserver.security import SecuritySettings
from tests.refserver.conftest import TestClient

__all__ = [
    "BACKEND_KIDS",
    "TOKEN_PATH",
    "TOKEN_URL",
    "assertion",
    "bearer",
    "claims_of",
    "compact",
    "hs256_with_public_key",
    "request_token",
    "secret_of",
]

TOKEN_PATH = "/auth/token"
TOKEN_URL = f"http://testserver{TOKEN_PATH}"
_JWKS = json.loads(data_path("keys", "carecheck-backend.jwks.json").read_text(encoding="utf-8"))
BACKEND_KIDS: Mapping[str, str] = {key["alg"]: key["kid"] for key in _JWKS["keys"]}
_BACKEND_KEY_FILES = {"RS384": "carecheck-backend-rs384.private.pem", "ES384": "carecheck-backend-es384.private.pem"}


@pytest.fixture(scope="session")
def settings() -> SecuritySettings:
    return SecuritySettings.load()


@pytest.fixture(scope="session")
def secured(settings: SecuritySettings) -> Iterator[TestClient]:
    """The reference app with security on (unseeded: the tests are about who gets in, not what they find)."""
    with TestClient(create_app(seed=False, auth=settings)) as client:
        yield client


@pytest.fixture(scope="session")
def token_of(secured: TestClient, settings: SecuritySettings) -> Callable[[str], str]:
    """A fresh access token of a demo client with a secret, for all its scopes."""

    def token(client_id: str) -> str:
        response = request_token(secured, settings, client_id)
        assert response.status_code == 200, response.text
        access_token: str = response.json()["access_token"]
        return access_token

    return token


def secret_of(settings: SecuritySettings, client_id: str) -> str:
    secret = settings.clients[client_id].secret
    assert secret is not None
    return secret


def request_token(client: TestClient, settings: SecuritySettings, who: str, **form: str) -> httpx.Response:
    """A client_secret_basic token request of client ``who`` (the form may add or override parameters)."""
    data = {"grant_type": "client_credentials", **form}
    response: httpx.Response = client.post(TOKEN_PATH, auth=(who, secret_of(settings, who)), data=data)
    return response


def bearer(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(header: Mapping[str, Any], claims: Mapping[str, Any], signature: bytes = b"") -> str:
    """A JWS in compact form built by hand, so it can carry any header and any signature."""
    return ".".join(_b64url(json.dumps(part).encode()) for part in (header, claims)) + "." + _b64url(signature)


def hs256_with_public_key(token: str, settings: SecuritySettings) -> str:
    """``token``'s claims signed HS256 with the server's public key as the HMAC secret (key confusion)."""
    header = {**jwt.get_unverified_header(token), "alg": "HS256"}
    unsigned = compact(header, claims_of(token)).rstrip(".")
    secret = settings.signing_key.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{_b64url(signature)}"


def assertion(alg: str = "RS384", *, kid: str | None = None, omit_kid: bool = False, **claims: Any) -> str:
    """A client assertion of ``carecheck-backend`` signed with its committed test key for ``alg``.

    Claims default to a valid assertion for the in-process server; keyword arguments override
    them, and a claim given as None is left out. The header names the key's ``kid`` unless another
    ``kid`` is given or ``omit_kid`` is set.
    """
    now = int(time.time())
    defaults = {
        "iss": "carecheck-backend",
        "sub": "carecheck-backend",
        "aud": TOKEN_URL,
        "exp": now + 240,
        "iat": now,
        "jti": uuid.uuid4().hex,
    }
    merged = {name: value for name, value in {**defaults, **claims}.items() if value is not None}
    key = serialization.load_pem_private_key(data_path("keys", _BACKEND_KEY_FILES[alg]).read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    header = {} if omit_kid else {"kid": BACKEND_KIDS[alg] if kid is None else kid}
    return jwt.encode(merged, key, algorithm=alg, headers=header)
