"""Access tokens: issuing an RS256 JWT for a client's grant, and verifying one presented to the FHIR API.

Verification accepts only RS256 signatures by this server's key (named by ``kid``), so ``alg: none``,
HS256 signed with the public key and tokens of any other key are refused before their claims are
read. PyJWT checks the signature, ``iss``, ``aud`` and the required claims; the times are checked
here, with ``LEEWAY`` seconds of clock skew, so that each failure gets its own description.
Descriptions never repeat the token, and use only characters allowed in a ``WWW-Authenticate``
``error_description`` (RFC 6750 §3). A token issued to a client with a patient context carries a
``patient`` claim (SMART launch context), the id of the only patient whose records it reads.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import jwt

from carecheck.refserver.security.clients import PATIENT_ID
from carecheck.refserver.security.keys import SIGNING_ALGORITHM, SigningKey

__all__ = ["ACCESS_TOKEN_TYPE", "LEEWAY", "Grant", "InvalidToken", "issue_access_token", "verify_access_token"]

ACCESS_TOKEN_TYPE = "at+jwt"
"""The ``typ`` header of the access tokens (RFC 9068)."""

LEEWAY = 30
"""Seconds of clock skew allowed on ``exp``, ``nbf`` and ``iat``."""

_REQUIRED = ("iss", "aud", "exp", "iat", "nbf", "jti", "sub", "client_id", "scope")
_VERIFIED_KEPT = 256
"""Tokens whose signature and claims have verified, kept so that a run's token is verified once."""
_MALFORMED = "the access token is not a well-formed JWT"

_PYJWT_DESCRIPTIONS: Mapping[type[jwt.PyJWTError], str] = {
    jwt.InvalidSignatureError: "the access token signature does not verify with this server's key",
    jwt.InvalidIssuerError: "the access token was not issued by this server (wrong iss)",
    jwt.InvalidAudienceError: "the access token is not meant for this server (wrong aud)",
    jwt.DecodeError: _MALFORMED,  # after InvalidSignatureError, its subclass
}


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: its scopes, and the patient it is bound to (None: no patient context)."""

    scopes: tuple[str, ...]
    patient: str | None = None


class InvalidToken(Exception):
    """An access token the FHIR API refuses; ``description`` says why, without the token."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def issue_access_token(
    key: SigningKey,
    *,
    client_id: str,
    scopes: Sequence[str],
    issuer: str,
    audience: str,
    lifetime: int,
    patient: str | None = None,
    now: float | None = None,
) -> str:
    """A signed access token granting ``scopes`` to ``client_id`` for ``lifetime`` seconds from ``now``, bound to ``patient`` if given."""
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": issuer,
        "sub": client_id,
        "aud": audience,
        "exp": issued + lifetime,
        "nbf": issued,
        "iat": issued,
        "jti": uuid.uuid4().hex,
        "client_id": client_id,
        "scope": " ".join(scopes),
        **({} if patient is None else {"patient": patient}),
    }
    return key.sign(claims, typ=ACCESS_TOKEN_TYPE)


def verify_access_token(token: str, key: SigningKey, *, issuer: str, audience: str, now: float | None = None) -> Grant:
    """The grant of ``token`` if it is a valid access token of this server for ``audience``; InvalidToken if not."""
    header = _header(token)
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise InvalidToken(_MALFORMED)
    if alg != SIGNING_ALGORITHM:
        raise InvalidToken(f"the access token must be signed with {SIGNING_ALGORITHM}, not alg {_shown(alg)}")
    if header.get("kid") != key.kid:
        raise InvalidToken("the access token was not signed by this server's key (unknown kid)")
    claims = _signed_claims(token, key, issuer, audience)
    _check_times(claims, time.time() if now is None else now)
    scope, patient = claims["scope"], claims.get("patient")
    if not isinstance(scope, str):
        raise InvalidToken("the access token scope claim is not a string")
    if patient is not None and not (isinstance(patient, str) and PATIENT_ID.fullmatch(patient)):
        raise InvalidToken("the access token patient claim is not a Patient id")
    return Grant(tuple(scope.split()), patient)


@lru_cache(maxsize=_VERIFIED_KEPT)
def _signed_claims(token: str, key: SigningKey, issuer: str, audience: str) -> Mapping[str, Any]:
    """The claims of ``token`` once its signature, ``iss``, ``aud`` and required claims verify; InvalidToken if not.

    The same token is presented on every request of a run, and this part of its verification depends on
    nothing else, so a success is kept (a refusal is not: a bad token is verified again each time). The
    times, which change, are checked on every request.
    """
    try:
        claims = jwt.decode(
            token,
            key.public_key,
            algorithms=[SIGNING_ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": list(_REQUIRED), "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.MissingRequiredClaimError as error:
        raise InvalidToken(f"the access token has no {error.claim} claim") from None
    except jwt.PyJWTError as error:
        raise InvalidToken(_description(error)) from None
    return MappingProxyType(claims)


def _header(token: str) -> dict[str, Any]:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken(_MALFORMED) from None


def _description(error: jwt.PyJWTError) -> str:
    for kind, description in _PYJWT_DESCRIPTIONS.items():
        if isinstance(error, kind):
            return description
    return "the access token is invalid"


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    exp, nbf, iat = (_seconds(claims, name) for name in ("exp", "nbf", "iat"))
    if exp <= now - LEEWAY:
        raise InvalidToken("the access token has expired (exp is in the past)")
    if nbf > now + LEEWAY:
        raise InvalidToken("the access token is not valid yet (nbf is in the future)")
    if iat > now + LEEWAY:
        raise InvalidToken("the access token was issued in the future (iat is in the future)")


def _seconds(claims: Mapping[str, Any], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"the access token {name} claim is not a number of seconds")
    return float(value)


def _shown(alg: str) -> str:
    """``alg`` fit to quote in a description: a short printable name, else a placeholder."""
    if alg.isascii() and alg.isalnum() and len(alg) <= 16:
        return alg
    return "(not a valid algorithm name)"
