"""Spine Security Proxy mode: the audit JWT a consumer sends with every request (GP Connect style), checked claim by claim.

The JWT is unsigned (``alg: none`` and an empty signature, as GP Connect sends it through the SSP)
or signed RS384/ES384 by a key of a registered client (named by ``kid``). It must carry every claim
below; each one missing or wrong is refused with its own description:

- ``iss`` the requesting system, ``aud`` this server's audit audience, ``iat`` not in the future and
  ``exp`` exactly five minutes after it, not passed;
- ``reason_for_request`` ``directcare``;
- ``requested_scope`` ``patient/*.read|write`` or ``organization/*.read|write``;
- ``requested_record`` the Patient (NHS number, valid Modulus 11) or Organization (ODS code) asked about;
- ``requesting_device`` a Device with a model and version, ``requesting_organization`` an
  Organization with an ODS code, ``requesting_practitioner`` a Practitioner with an id and an
  identifier; ``sub`` is that practitioner (its id or one of its identifier values).

The scopes it grants are SMART scopes for the guard: ``patient/*.read`` as is, ``organization/*.read``
as ``user/*.read``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

import jwt

from carecheck.refserver.security.clients import Client
from carecheck.refserver.security.tokens import LEEWAY, InvalidToken

__all__ = ["AUDIT_AUDIENCE", "AUDIT_CLAIMS", "AUDIT_LIFETIME", "verify_audit_jwt"]

AUDIT_AUDIENCE = "https://authorize.fhir.nhs.uk/token"
"""The ``aud`` of the audit JWT (the Care Connect and GP Connect specifications' fixed value)."""

AUDIT_LIFETIME = 300
"""``exp`` minus ``iat``, in seconds: exactly five minutes."""

AUDIT_CLAIMS = (
    "iss", "sub", "aud", "exp", "iat", "reason_for_request", "requested_record", "requested_scope",
    "requesting_device", "requesting_organization", "requesting_practitioner",
)  # fmt: skip
"""Every claim the audit JWT must carry."""

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS_CODE = "https://fhir.nhs.uk/Id/ods-organization-code"
_SCOPES = {
    "patient/*.read": "patient/*.read",
    "patient/*.write": "patient/*.write",
    "organization/*.read": "user/*.read",
    "organization/*.write": "user/*.write",
}
_SIGNED = ("RS384", "ES384")


def verify_audit_jwt(token: str, clients: Mapping[str, Client], *, audience: str, now: float) -> tuple[str, ...]:
    """The SMART scopes the audit JWT ``token`` grants; InvalidToken saying which claim is missing or wrong."""
    claims = _claims(token, clients)
    missing = [name for name in AUDIT_CLAIMS if name not in claims]
    if missing:
        raise InvalidToken(f"the audit JWT has no {missing[0]} claim")
    _check_times(claims, now)
    if not isinstance(claims["iss"], str) or not claims["iss"]:
        raise InvalidToken("the audit JWT iss must name the requesting system")
    if claims["aud"] != audience:
        raise InvalidToken(f"the audit JWT aud must be {audience}")
    if claims["reason_for_request"] != "directcare":
        raise InvalidToken("the audit JWT reason_for_request must be directcare")
    scope = _SCOPES.get(claims["requested_scope"]) if isinstance(claims["requested_scope"], str) else None
    if scope is None:
        raise InvalidToken("the audit JWT requested_scope must be patient/*.read or write, or organization/*.read or write")
    _check_record(claims["requested_record"], organisation=claims["requested_scope"].startswith("organization/"))
    _check_device(claims["requesting_device"])
    if not _identifier(_resource(claims["requesting_organization"], "Organization", "requesting_organization"), ODS_CODE):
        raise InvalidToken("the audit JWT requesting_organization has no ODS code")
    _check_practitioner(claims["requesting_practitioner"], claims["sub"])
    return (scope,)


def _claims(token: str, clients: Mapping[str, Client]) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("the audit JWT is not a well-formed JWT")
    header = _segment(parts[0])
    alg = header.get("alg") if isinstance(header, dict) else None
    if alg == "none":
        if parts[2]:
            raise InvalidToken("an unsigned audit JWT (alg none) must have an empty signature")
        claims = _segment(parts[1])
    elif alg in _SIGNED:
        claims = _signed_claims(token, alg, header.get("kid"), clients)
    else:
        raise InvalidToken("the audit JWT must be unsigned (alg none) or signed with RS384 or ES384")
    if not isinstance(claims, dict):
        raise InvalidToken("the audit JWT claims are not a JSON object")
    return claims


def _segment(segment: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidToken("the audit JWT is not a well-formed JWT") from None


def _signed_claims(token: str, alg: str, kid: object, clients: Mapping[str, Client]) -> Any:
    keys = [key for client in clients.values() for key in client.keys if key.kid == kid and key.fits(alg)]
    if not keys:
        raise InvalidToken("the audit JWT is signed by a key no registered client holds (unknown kid)")
    try:
        return jwt.decode(token, keys[0].key, algorithms=[alg], options={"verify_aud": False, "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError:
        raise InvalidToken("the audit JWT signature does not verify") from None


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    iat, exp = claims["iat"], claims["exp"]
    if isinstance(iat, bool) or isinstance(exp, bool) or not isinstance(iat, int) or not isinstance(exp, int):
        raise InvalidToken("the audit JWT iat and exp must be whole numbers of seconds")
    if exp - iat != AUDIT_LIFETIME:
        raise InvalidToken("the audit JWT exp must be exactly five minutes after iat")
    if iat > now + LEEWAY:
        raise InvalidToken("the audit JWT was issued in the future (iat)")
    if exp <= now - LEEWAY:
        raise InvalidToken("the audit JWT has expired (exp)")


def _resource(value: Any, resource_type: str, claim: str) -> Mapping[str, Any]:
    if not isinstance(value, dict) or value.get("resourceType") != resource_type:
        raise InvalidToken(f"the audit JWT {claim} must be a {resource_type} resource")
    return value


def _identifier(resource: Mapping[str, Any], system: str | None) -> str | None:
    """The value of the resource's first identifier of ``system`` (of any system when None)."""
    for identifier in resource.get("identifier") or []:
        if isinstance(identifier, dict) and (system is None or identifier.get("system") == system):
            value = identifier.get("value")
            if isinstance(value, str) and value:
                return value
    return None


def _check_record(value: Any, *, organisation: bool) -> None:
    if organisation:
        if not _identifier(_resource(value, "Organization", "requested_record"), ODS_CODE):
            raise InvalidToken("the audit JWT requested_record has no ODS code")
        return
    nhs_number = _identifier(_resource(value, "Patient", "requested_record"), NHS_NUMBER)
    if nhs_number is None or not _valid_nhs_number(nhs_number):
        raise InvalidToken("the audit JWT requested_record has no valid NHS number")


def _check_device(value: Any) -> None:
    device = _resource(value, "Device", "requesting_device")
    if not all(isinstance(device.get(name), str) and device.get(name) for name in ("model", "version")):
        raise InvalidToken("the audit JWT requesting_device must have a model and a version")


def _check_practitioner(value: Any, sub: Any) -> None:
    practitioner = _resource(value, "Practitioner", "requesting_practitioner")
    if not isinstance(practitioner.get("id"), str) or _identifier(practitioner, None) is None:
        raise InvalidToken("the audit JWT requesting_practitioner must have an id and an identifier")
    own = {practitioner["id"], *(i.get("value") for i in practitioner.get("identifier") or [] if isinstance(i, dict))}
    if sub not in own:
        raise InvalidToken("the audit JWT sub is not the requesting_practitioner")


def _valid_nhs_number(value: str) -> bool:
    """Ten digits whose Modulus 11 check digit is right (written here: the server shares no code with the harness)."""
    if len(value) != 10 or not value.isdigit():
        return False
    remainder = sum(int(digit) * (10 - index) for index, digit in enumerate(value[:9])) % 11
    check = 11 - remainder
    return check != 10 and (0 if check == 11 else check) == int(value[9])
