"""The reference server's Spine Security Proxy mode: the audit JWT checked claim by claim, and the FHIR API behind it."""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from carecheck.project import data_path
from carecheck.refserver import create_app
from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.spine import AUDIT_AUDIENCE, AUDIT_CLAIMS, verify_audit_jwt
from carecheck.refserver.security.tokens import InvalidToken
from tests.refserver.conftest import TestClient

NOW = 1_700_000_000
CLIENTS = SecuritySettings.load().clients


def claims(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": "https://consumer.example",
        "sub": "p1",
        "aud": AUDIT_AUDIENCE,
        "iat": NOW,
        "exp": NOW + 300,
        "reason_for_request": "directcare",
        "requested_record": {"resourceType": "Patient", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9658218873"}]},
        "requested_scope": "patient/*.read",
        "requesting_device": {"resourceType": "Device", "model": "m", "version": "1"},
        "requesting_organization": {
            "resourceType": "Organization",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "R1A02"}],
        },
        "requesting_practitioner": {
            "resourceType": "Practitioner",
            "id": "p1",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "G1"}],
        },
    }
    return {**base, **changes}


def unsigned(body: dict[str, Any], signature: str = "") -> str:
    part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(body)}.{signature}"


def verify(token: str, now: float = NOW) -> tuple[str, ...]:
    return verify_audit_jwt(token, CLIENTS, audience=AUDIT_AUDIENCE, now=now)


def test_a_complete_unsigned_audit_jwt_grants_its_scope() -> None:
    assert verify(unsigned(claims())) == ("patient/*.read",)
    assert verify(
        unsigned(
            claims(
                requested_scope="organization/*.read",
                requested_record={"resourceType": "Organization", "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "X"}]},
            )
        )
    ) == ("user/*.read",)
    assert verify(unsigned(claims(sub="G1"))) == ("patient/*.read",), "sub may be the practitioner's identifier value"


def test_a_signed_one_is_checked_against_the_registered_client_keys() -> None:
    key = serialization.load_pem_private_key(data_path("keys", "carecheck-backend-rs384.private.pem").read_bytes(), password=None)
    kid = next(k.kid for c in CLIENTS.values() for k in c.keys if k.alg == "RS384")
    token = jwt.encode(claims(), key, algorithm="RS384", headers={"kid": kid})  # type: ignore[arg-type]
    assert verify(token) == ("patient/*.read",)
    with pytest.raises(InvalidToken, match="unknown kid"):
        verify(jwt.encode(claims(), key, algorithm="RS384", headers={"kid": "other"}))  # type: ignore[arg-type]
    with pytest.raises(InvalidToken, match=r"must be unsigned .alg none. or signed with RS384 or ES384"):
        verify(jwt.encode(claims(), "a-shared-secret-of-thirty-two-bytes!", algorithm="HS256"))


@pytest.mark.parametrize("claim", AUDIT_CLAIMS)
def test_each_missing_claim_is_named(claim: str) -> None:
    body = claims()
    del body[claim]
    with pytest.raises(InvalidToken, match=f"has no {claim} claim"):
        verify(unsigned(body))


def _nested(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(claims())
    container: Any = body
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (claims(exp=NOW + 3600), "exactly five minutes after iat"),
        (claims(iat=NOW - 3600, exp=NOW - 3300), "has expired"),
        (claims(iat=NOW + 3600, exp=NOW + 3900), "issued in the future"),
        (claims(iat="soon"), "whole numbers of seconds"),
        (claims(aud="https://elsewhere"), "aud must be"),
        (claims(iss=""), "iss must name the requesting system"),
        (claims(reason_for_request="marketing"), "reason_for_request must be directcare"),
        (claims(requested_scope="patient/*.everything"), "requested_scope must be"),
        (_nested(("requested_record", "resourceType"), "Observation"), "requested_record must be a Patient"),
        (_nested(("requested_record", "identifier", 0, "value"), "9658218874"), "no valid NHS number"),
        (_nested(("requesting_device", "resourceType"), "Patient"), "requesting_device must be a Device"),
        (_nested(("requesting_device", "model"), ""), "a model and a version"),
        (_nested(("requesting_organization", "identifier"), []), "no ODS code"),
        (_nested(("requesting_practitioner", "identifier"), []), "an id and an identifier"),
        (claims(sub="someone-else"), "sub is not the requesting_practitioner"),
    ],
)
def test_each_wrong_claim_is_refused_saying_why(body: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidToken, match=message):
        verify(unsigned(body))


def test_an_unsigned_jwt_with_a_signature_or_a_mangled_one_is_refused() -> None:
    with pytest.raises(InvalidToken, match="empty signature"):
        verify(unsigned(claims(), "c2ln"))
    with pytest.raises(InvalidToken, match="not a well-formed JWT"):
        verify("a.b")
    with pytest.raises(InvalidToken, match="not a well-formed JWT"):
        verify("!!.??.")


@pytest.fixture(scope="module")
def spine() -> Iterator[TestClient]:
    settings = dataclasses.replace(SecuritySettings.load(), mode="spine")
    with TestClient(create_app(population=1, auth=settings)) as client:
        yield client


def test_in_spine_mode_the_fhir_api_needs_an_audit_jwt(spine: TestClient) -> None:
    now = int(time.time())
    good = unsigned(claims(iat=now, exp=now + 300))
    assert spine.get("/STU3/Patient", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    refused = spine.get("/STU3/Patient", headers={"Authorization": f"Bearer {unsigned(claims())}"})
    assert refused.status_code == 401 and "has expired" in refused.headers["www-authenticate"]
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert spine.post("/STU3/Patient", headers={"Authorization": f"Bearer {good}"}, json={}).status_code == 403


def test_in_spine_mode_there_is_no_token_endpoint_and_the_capability_statement_says_so(spine: TestClient) -> None:
    assert spine.post("/auth/token", data={"grant_type": "client_credentials"}).status_code in (401, 404)
    security = spine.get("/STU3/metadata").json()["rest"][0]["security"]
    assert "extension" not in security and "audit JWT" in security["description"]
