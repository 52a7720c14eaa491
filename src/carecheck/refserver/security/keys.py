"""The server's token-signing key: RSA, made at start-up unless given, named by its RFC 7638 thumbprint.

Only the public half ever leaves this object, as the JWK the server publishes at its JWKS URL.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from carecheck.errors import ConfigError

__all__ = ["SIGNING_ALGORITHM", "SigningKey"]

SIGNING_ALGORITHM = "RS256"
"""The only algorithm access tokens are signed, and accepted, with."""

_KEY_SIZE = 2048


class SigningKey:
    """An RSA private key that signs access tokens, with the ``kid`` and public JWK that identify it."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._private_key = private_key
        public: dict[str, Any] = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        self.kid = _thumbprint(public)
        self.public_jwk: Mapping[str, str] = MappingProxyType(
            {"kty": "RSA", "n": public["n"], "e": public["e"], "kid": self.kid, "use": "sig", "alg": SIGNING_ALGORITHM}
        )

    @classmethod
    def generate(cls) -> SigningKey:
        """A new 2048-bit key (tens of milliseconds, so start-up stays quick)."""
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE))

    @classmethod
    def from_pem(cls, path: Path) -> SigningKey:
        """The RSA private key in the PEM file at ``path`` (unencrypted); ConfigError if there is none."""
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as error:
            raise ConfigError(f"{path}: not a readable, unencrypted PEM private key ({type(error).__name__})") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ConfigError(f"{path}: the token signing key must be an RSA key ({SIGNING_ALGORITHM})")
        return cls(key)

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        """The key tokens are verified with."""
        return self._private_key.public_key()

    def sign(self, claims: Mapping[str, Any], *, typ: str) -> str:
        """``claims`` as a compact JWS signed with this key, its header naming ``typ`` and this key's ``kid``."""
        headers = {"kid": self.kid, "typ": typ}
        return jwt.encode(dict(claims), self._private_key, algorithm=SIGNING_ALGORITHM, headers=headers)

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r})"


def _thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of an RSA JWK: its required members, sorted, without whitespace."""
    canonical = json.dumps({name: jwk[name] for name in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
