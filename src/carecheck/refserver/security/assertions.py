"""SMART Backend Services client assertions (RFC 7523 ``private_key_jwt``): who signed one, and that it is fresh.

An assertion is a JWT signed RS384 or ES384 by one of the client's registered keys, with ``iss`` =
``sub`` = the client id, ``aud`` = the token endpoint URL, ``exp`` no more than five minutes ahead
and a ``jti`` not seen before from that client. Used ``jti`` values are remembered until their
assertion expires.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt

from carecheck.refserver.security.clients import ASSERTION_ALGORITHMS, Client
from carecheck.refserver.security.tokens import LEEWAY

__all__ = ["ASSERTION_TYPE", "MAX_ASSERTION_LIFETIME", "AssertionVerifier", "InvalidAssertion"]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
"""The ``client_assertion_type`` of a JWT client assertion."""

MAX_ASSERTION_LIFETIME = 300
"""How far ahead an assertion's ``exp`` may be, in seconds (SMART: no more than five minutes)."""

_PYJWT_DESCRIPTIONS: Mapping[type[jwt.PyJWTError], str] = {
    jwt.InvalidSignatureError: "the client assertion signature does not verify with the client's registered key",
    jwt.ExpiredSignatureError: "the client assertion has expired",
    jwt.ImmatureSignatureError: "the client assertion is not valid yet (nbf or iat in the future)",
    jwt.InvalidAudienceError: "the client assertion aud must be this server's token endpoint URL",
    jwt.InvalidIssuerError: "the client assertion iss must be the client id",
}
_MALFORMED = "the client assertion is not a well-formed JWT"


class InvalidAssertion(Exception):
    """A client assertion that does not authenticate its client; ``description`` says why."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class AssertionVerifier:
    """Verifies client assertions against the registered clients, refusing a ``jti`` used twice."""

    def __init__(self, clients: Mapping[str, Client]) -> None:
        self._clients = clients
        self._used: dict[tuple[str, str], float] = {}

    def verify(self, assertion: str, *, token_url: str) -> Client:
        """The client ``assertion`` authenticates at the token endpoint ``token_url``; InvalidAssertion if none."""
        header, client = self._signer(assertion)
        claims = _verified_claims(assertion, header, client, token_url)
        now = time.time()
        if claims["sub"] != client.client_id:
            raise InvalidAssertion("the client assertion sub must equal its iss (the client id)")
        if claims["exp"] > now + MAX_ASSERTION_LIFETIME + LEEWAY:
            raise InvalidAssertion("the client assertion exp is more than five minutes ahead")
        self._remember(client.client_id, claims["jti"], claims["exp"], now)
        return client

    def _signer(self, assertion: str) -> tuple[dict[str, Any], Client]:
        try:
            header = jwt.get_unverified_header(assertion)
            issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError:
            raise InvalidAssertion(_MALFORMED) from None
        if header.get("alg") not in ASSERTION_ALGORITHMS:
            raise InvalidAssertion(f"the client assertion must be signed with {' or '.join(ASSERTION_ALGORITHMS)}")
        client = self._clients.get(issuer) if isinstance(issuer, str) else None
        if client is None:
            raise InvalidAssertion("the client assertion iss is not a registered client")
        if not client.keys:
            raise InvalidAssertion("the client has no registered public key")
        return header, client

    def _remember(self, client_id: str, jti: str, exp: float, now: float) -> None:
        self._used = {used: until for used, until in self._used.items() if until > now - LEEWAY}
        if (client_id, jti) in self._used:
            raise InvalidAssertion("the client assertion jti has already been used")
        self._used[(client_id, jti)] = exp


def _verified_claims(assertion: str, header: Mapping[str, Any], client: Client, token_url: str) -> dict[str, Any]:
    alg, kid = header["alg"], header.get("kid")
    candidates = [key for key in client.keys if key.fits(alg) and (kid is None or key.kid == kid)]
    if not candidates:
        raise InvalidAssertion(f"no registered key of the client fits the assertion's kid and {alg}")
    for candidate in candidates:
        try:
            claims: dict[str, Any] = jwt.decode(
                assertion,
                candidate.key,
                algorithms=[alg],
                audience=token_url,
                issuer=client.client_id,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "jti"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.MissingRequiredClaimError as error:
            raise InvalidAssertion(f"the client assertion has no {error.claim} claim") from None
        except jwt.PyJWTError as error:
            raise InvalidAssertion(_description(error)) from None
        return claims
    raise InvalidAssertion(_description(jwt.InvalidSignatureError()))


def _description(error: jwt.PyJWTError) -> str:
    for kind, description in _PYJWT_DESCRIPTIONS.items():
        if isinstance(error, kind):
            return description
    return "the client assertion is invalid"
