"""The Spine audit JWT: built fresh for every request from the profile, unsigned or signed, and forged one claim at a time.

The reference server's own verifier (written independently) judges what the harness builds.
"""

from __future__ import annotations

import json
import time

import jwt
import pytest

from carecheck.auth import SPINE_CASES, SpineJwt, load_matrix, unverified
from carecheck.config import SpineAudit
from carecheck.errors import AuthError
from carecheck.project import data_path
from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.spine import AUDIT_AUDIENCE, verify_audit_jwt
from carecheck.refserver.security.tokens import InvalidToken

AUDIT = SpineAudit.model_validate(
    {
        "issuer": "https://consumer.example",
        "nhs_number": "9658218873",
        "practitioner": {"id": "p1", "sds_user_id": "G1", "sds_role_profile_id": "R1", "family": "Jones", "given": "Claire"},
        "organization": {"ods_code": "R1A02", "name": "King's"},
    }
)
RS384_KEY = data_path("keys", "carecheck-backend-rs384.private.pem")
RS384_KID = next(k["kid"] for k in json.loads(data_path("keys", "carecheck-backend.jwks.json").read_text())["keys"] if k["alg"] == "RS384")
CLIENTS = SecuritySettings.load().clients


def server_scopes(authorization: str | None) -> tuple[str, ...]:
    assert authorization is not None and authorization.startswith("Bearer ")
    return verify_audit_jwt(authorization.removeprefix("Bearer "), CLIENTS, audience=AUDIT_AUDIENCE, now=time.time())


def test_the_claims_say_who_asks_for_which_record_and_expire_five_minutes_after_they_are_issued() -> None:
    claims = SpineJwt(AUDIT).claims(now=1000)
    assert (claims["iat"], claims["exp"], claims["sub"], claims["aud"]) == (1000, 1300, "p1", AUDIT_AUDIENCE)
    assert claims["requested_record"]["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9658218873"}]
    assert claims["requesting_organization"]["identifier"][0]["value"] == "R1A02"
    assert {i["value"] for i in claims["requesting_practitioner"]["identifier"]} == {"G1", "R1"}
    assert claims["requesting_device"]["model"] == "carecheck"


def test_an_unsigned_audit_jwt_is_accepted_by_the_reference_server() -> None:
    provider = SpineJwt(AUDIT)
    authorization = provider.authorization()
    decoded = unverified((authorization or "").removeprefix("Bearer "))
    assert decoded is not None and decoded[0]["alg"] == "none" and (authorization or "").endswith(".")
    assert server_scopes(authorization) == ("patient/*.read",)


def test_a_signed_audit_jwt_is_accepted_and_its_signature_checked() -> None:
    provider = SpineJwt(AUDIT, private_key=RS384_KEY, algorithm="RS384", key_id=RS384_KID)
    authorization = provider.authorization()
    assert jwt.get_unverified_header((authorization or "")[7:]) == {"alg": "RS384", "kid": RS384_KID, "typ": "JWT"}
    assert server_scopes(authorization) == ("patient/*.read",)
    header, claims, signature = (authorization or "")[7:].split(".")
    with pytest.raises(InvalidToken, match="signature does not verify"):
        server_scopes(f"Bearer {header}.{claims}.{signature[:-4]}AAAA")


@pytest.mark.parametrize("case_id", list(load_matrix(SPINE_CASES).cases))
def test_every_forged_case_is_refused_by_the_reference_server(case_id: str) -> None:
    forged = SpineJwt(AUDIT).forge(load_matrix(SPINE_CASES).case(case_id))
    assert forged.notes[0].startswith(f"forged: {case_id}: ")
    with pytest.raises(InvalidToken):
        server_scopes(forged.authorization)


def test_an_unreadable_key_is_an_auth_error() -> None:
    with pytest.raises(AuthError, match="cannot read the private key"):
        SpineJwt(AUDIT, private_key=data_path("keys", "no-such.pem"))
