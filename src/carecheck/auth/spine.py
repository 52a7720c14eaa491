"""Spine Security Proxy mode: a GP Connect-style audit JWT built for every request, as the target profile describes.

The claims (Care Connect's withdrawn audit and provenance page, GP Connect's current one) say who
asks (`requesting_practitioner`, whose id is `sub`), from which organisation and system, about which
record (the Patient with the profile's NHS number), with which scope and why. `exp` is always `iat`
plus five minutes. The JWT is signed RS384/ES384 with `auth.private_key` if the profile gives one,
else unsigned (`alg: none`, an empty signature), as GP Connect consumers send it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt

from carecheck.auth.forge import Forged, TokenCase, edited_claims
from carecheck.auth.jws import compact
from carecheck.config import SpineAudit
from carecheck.errors import AuthError

__all__ = ["AUDIT_LIFETIME_SECONDS", "NHS_NUMBER_SYSTEM", "ODS_CODE_SYSTEM", "SpineJwt"]

AUDIT_LIFETIME_SECONDS = 300
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
_SDS_USER = "https://fhir.nhs.uk/Id/sds-user-id"
_SDS_ROLE = "https://fhir.nhs.uk/Id/sds-role-profile-id"


class SpineJwt:
    """The token provider of auth type `spine-jwt`: a fresh audit JWT with every request."""

    def __init__(self, audit: SpineAudit, *, private_key: Path | None = None, algorithm: str = "RS384", key_id: str | None = None) -> None:
        self._audit = audit
        self._algorithm = algorithm
        self._key_id = key_id
        try:
            self._key = private_key.read_text(encoding="utf-8") if private_key is not None else None
        except OSError as error:
            raise AuthError(f"cannot read the private key {private_key}: {error.strerror}") from None

    def authorization(self) -> str | None:
        return f"Bearer {self.encode(self.claims())}"

    def claims(self, now: int | None = None) -> dict[str, Any]:
        """The audit claims for a request made at `now` (seconds since the epoch)."""
        issued = int(time.time()) if now is None else now
        audit = self._audit
        practitioner = audit.practitioner
        identifiers = [(_SDS_USER, practitioner.sds_user_id), (_SDS_ROLE, practitioner.sds_role_profile_id)]
        name = {key: value for key, value in (("family", practitioner.family), ("given", [practitioner.given] if practitioner.given else None)) if value}
        return {
            "iss": audit.issuer,
            "sub": practitioner.id,
            "aud": audit.audience,
            "exp": issued + AUDIT_LIFETIME_SECONDS,
            "iat": issued,
            "reason_for_request": audit.reason_for_request,
            "requested_record": {"resourceType": "Patient", "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": audit.nhs_number}]},
            "requested_scope": audit.requested_scope,
            "requesting_device": {
                "resourceType": "Device",
                "id": audit.device.value,
                "identifier": [{"system": audit.device.system, "value": audit.device.value}],
                "model": audit.device.model,
                "version": audit.device.version,
            },
            "requesting_organization": {
                "resourceType": "Organization",
                "identifier": [{"system": ODS_CODE_SYSTEM, "value": audit.organization.ods_code}],
                **({"name": audit.organization.name} if audit.organization.name else {}),
            },
            "requesting_practitioner": {
                "resourceType": "Practitioner",
                "id": practitioner.id,
                "identifier": [{"system": system, "value": value} for system, value in identifiers if value]
                or [{"system": "https://fhir.nhs.uk/Id/local-practitioner-identifier", "value": practitioner.id}],
                **({"name": [name]} if name else {}),
            },
        }

    def encode(self, claims: dict[str, Any]) -> str:
        """The compact JWT of `claims`: signed if the profile gives a key, else unsigned."""
        if self._key is None:
            return compact({"alg": "none", "typ": "JWT"}, claims)
        try:
            return jwt.encode(claims, self._key, algorithm=self._algorithm, headers={"kid": self._key_id} if self._key_id else None)
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            raise AuthError(f"cannot sign the audit JWT ({self._algorithm}): {error}") from None

    def forge(self, case: TokenCase) -> Forged:
        """The audit JWT with one of the spine matrix's defects, signed as the well-formed one would be."""
        token = self.encode(edited_claims(self.claims(), case, int(time.time())))
        header = (case.header or "Bearer {token}").replace("{token}", token)
        return Forged(header, (f"forged: {case.id}: {case.title}", "forged from the audit JWT the target profile describes"))
