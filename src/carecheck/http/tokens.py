"""How a token shows in evidence: its decoded JOSE header and claims, never the token itself or its signature.

The recorded `Authorization` header keeps only its scheme (`Bearer [REDACTED]`); the exchange gets a
note saying what the token claimed, so an assessor can see which token a request carried (a real
one, or one the security scenarios forged) without the evidence holding anything replayable.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from carecheck.http.untrusted import parse_json, printable

__all__ = ["TOKEN_NOTE", "decode_segment", "token_note"]

TOKEN_NOTE = "authorization:"
"""Prefix of the note describing the token a request carried."""


def decode_segment(segment: str) -> Any:
    """The JSON value of one base64url segment of a compact JWS; ValueError if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError(str(error)) from None
    return parse_json(raw)


def token_note(authorization: str) -> str | None:
    """The evidence note for an `Authorization` header value; None for credentials that are not a token (Basic)."""
    scheme, _, credentials = authorization.strip().partition(" ")
    token = credentials.strip()
    parts = token.split(".")
    if len(parts) == 3:
        try:
            header, claims = decode_segment(parts[0]), decode_segment(parts[1])
        except ValueError:
            header = claims = None
        if isinstance(header, dict) and isinstance(claims, dict):
            signature = "signature removed" if parts[2] else "unsigned"
            shown = json.dumps(header, sort_keys=True, ensure_ascii=False), json.dumps(claims, sort_keys=True, ensure_ascii=False)
            return printable(f"{TOKEN_NOTE} {scheme} JWT ({signature}) header {shown[0]} claims {shown[1]}")
    if scheme.lower() != "bearer" and token:
        return None
    return f"{TOKEN_NOTE} {scheme or '(no scheme)'} credentials that are not a JWT ({len(token)} characters)"
