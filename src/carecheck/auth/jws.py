"""Compact JWS by hand: reading a token's header and claims without verifying it, and building any token at all.

PyJWT refuses to make some of the tokens the security scenarios need (HS256 keyed with an RSA public
key, a signature that does not match); these few functions make them from base64url and hmac.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from carecheck.http import decode_segment

__all__ = ["b64url", "compact", "hs256", "unverified"]


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(dict(value), separators=(",", ":")).encode("utf-8")


def compact(header: Mapping[str, Any], claims: Mapping[str, Any], signature: bytes = b"") -> str:
    """`header.claims.signature`, each part base64url; an empty signature leaves the trailing dot (`alg: none`)."""
    return f"{b64url(_json(header))}.{b64url(_json(claims))}.{b64url(signature)}"


def hs256(header: Mapping[str, Any], claims: Mapping[str, Any], secret: bytes) -> str:
    """A token signed HMAC-SHA256 with `secret`, whatever `secret` is (an RSA public key's PEM, for key confusion)."""
    signing_input = f"{b64url(_json(header))}.{b64url(_json(claims))}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and claims of a compact JWS, unverified; None if `token` is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = decode_segment(parts[0]), decode_segment(parts[1])
    except ValueError:
        return None
    return (header, claims) if isinstance(header, dict) and isinstance(claims, dict) else None
