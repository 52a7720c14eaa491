"""Tests for carecheck.refserver.security.endpoint: the token endpoint's grants and every RFC 6749 §5.2 error."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import jwt
import pytest

from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.assertions import ASSERTION_TYPE
from tests.refserver.conftest import TestClient
from tests.refserver.security.conftest import BACKEND_KIDS, TOKEN_PATH, assertion, bearer, claims_of, compact, request_token, secret_of

BASIC_CHALLENGE = 'Basic realm="carecheck"'


def _error(response: httpx.Response, status: int, error: str, description: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"error": error, "error_description": description}
    assert response.headers.get("www-authenticate") == (BASIC_CHALLENGE if status == 401 else None)


def _granted(response: httpx.Response, scope: str, context: tuple[str, ...] = ()) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert (response.headers["cache-control"], response.headers["pragma"]) == ("no-store", "no-cache")
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope", *context}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 300, scope)
    token: str = body["access_token"]
    return token


def _by_assertion(client: TestClient, signed: str, **form: str) -> httpx.Response:
    data = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": signed}
    response: httpx.Response = client.post(TOKEN_PATH, data={**data, **form})
    return response


# grants


def test_client_secret_basic_gets_a_token_for_all_the_clients_scopes(secured: TestClient, settings: SecuritySettings) -> None:
    token = _granted(request_token(secured, settings, "carecheck-all"), "system/*.read")
    assert secured.get("/STU3/Patient", headers=bearer(token)).status_code == 200


def test_the_token_claims(secured: TestClient, settings: SecuritySettings) -> None:
    before = int(time.time())
    token = _granted(request_token(secured, settings, "carecheck-patient-only"), "system/Patient.read")
    header, claims = jwt.get_unverified_header(token), claims_of(token)
    assert header == {"alg": "RS256", "typ": "at+jwt", "kid": settings.signing_key.kid}
    assert set(claims) == {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope"}
    assert (claims["iss"], claims["aud"]) == ("http://testserver/auth", "http://testserver/STU3")
    assert claims["sub"] == claims["client_id"] == "carecheck-patient-only"
    assert claims["scope"] == "system/Patient.read"
    assert before <= claims["iat"] == claims["nbf"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 300
    second = _granted(request_token(secured, settings, "carecheck-patient-only"), "system/Patient.read")
    assert claims_of(second)["jti"] != claims["jti"]


def test_a_client_with_a_patient_context_gets_its_patient_beside_the_token_and_in_it(secured: TestClient, settings: SecuritySettings) -> None:
    response = request_token(secured, settings, "carecheck-patient-context")
    token = _granted(response, "patient/*.read", context=("patient",))
    patient = "2f88064f-8dc3-4763-af75-94faf6b08b18"
    assert response.json()["patient"] == claims_of(token)["patient"] == patient
    assert "patient" not in claims_of(_granted(request_token(secured, settings, "carecheck-all"), "system/*.read"))


def test_client_secret_post_gets_a_token(secured: TestClient, settings: SecuritySettings) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": "carecheck-all",
        "client_secret": secret_of(settings, "carecheck-all"),
    }
    _granted(secured.post(TOKEN_PATH, data=form), "system/*.read")


def test_a_narrower_scope_is_granted_as_asked(secured: TestClient, settings: SecuritySettings) -> None:
    response = request_token(secured, settings, "carecheck-all", scope="system/Patient.read system/Patient.read")
    token = _granted(response, "system/Patient.read")
    assert secured.get("/STU3/Observation", headers=bearer(token)).status_code == 403


@pytest.mark.parametrize("alg", ["RS384", "ES384"])
def test_a_backend_services_assertion_gets_a_token(secured: TestClient, alg: str) -> None:
    token = _granted(_by_assertion(secured, assertion(alg)), "system/*.read")
    assert claims_of(token)["client_id"] == "carecheck-backend"
    assert secured.get("/STU3/Patient", headers=bearer(token)).status_code == 200


def test_an_assertion_may_name_its_client_and_a_scope(secured: TestClient) -> None:
    response = _by_assertion(secured, assertion(), client_id="carecheck-backend", scope="system/Patient.read")
    _granted(response, "system/Patient.read")


def test_an_assertion_without_kid_is_tried_with_every_fitting_key(secured: TestClient) -> None:
    _granted(_by_assertion(secured, assertion("ES384", omit_kid=True)), "system/*.read")


# request errors


def test_a_json_body_is_an_invalid_request(secured: TestClient, settings: SecuritySettings) -> None:
    response = secured.post(TOKEN_PATH, json={"grant_type": "client_credentials"}, auth=("carecheck-all", "x"))
    _error(response, 400, "invalid_request", "the token request body must be application/x-www-form-urlencoded")


def test_a_repeated_parameter_is_an_invalid_request(secured: TestClient, settings: SecuritySettings) -> None:
    response = secured.post(
        TOKEN_PATH,
        content=b"grant_type=client_credentials&scope=a&scope=b",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=("carecheck-all", secret_of(settings, "carecheck-all")),
    )
    _error(response, 400, "invalid_request", "parameter scope is repeated")


def test_a_missing_grant_type_is_an_invalid_request(secured: TestClient, settings: SecuritySettings) -> None:
    _error(
        request_token(secured, settings, "carecheck-all", grant_type=""),
        400,
        "invalid_request",
        "grant_type is required",
    )


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"])
def test_another_grant_is_unsupported(secured: TestClient, settings: SecuritySettings, grant_type: str) -> None:
    response = request_token(secured, settings, "carecheck-all", grant_type=grant_type)
    _error(response, 400, "unsupported_grant_type", "only the client_credentials grant is supported")


def test_the_endpoint_takes_only_post(secured: TestClient) -> None:
    response = secured.get(TOKEN_PATH)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


# client authentication errors


def test_no_client_authentication_is_an_invalid_client(secured: TestClient) -> None:
    response = secured.post(TOKEN_PATH, data={"grant_type": "client_credentials"})
    description = "no client authentication: use Basic, client_secret_post or a client assertion"
    _error(response, 401, "invalid_client", description)


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("carecheck-all", "wrong"),
        ("carecheck-nobody", "wrong"),
        ("carecheck-backend", "anything"),
        ("carecheck-all", ""),
    ],
)
def test_a_wrong_secret_or_unknown_client_is_an_invalid_client(secured: TestClient, client_id: str, secret: str) -> None:
    response = secured.post(TOKEN_PATH, data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    _error(response, 401, "invalid_client", "client authentication failed: unknown client or wrong secret")
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    _error(
        secured.post(TOKEN_PATH, data=form),
        401,
        "invalid_client",
        "client authentication failed: unknown client or wrong secret",
    )


def test_another_secret_of_a_demo_client_is_refused(secured: TestClient, settings: SecuritySettings) -> None:
    response = secured.post(
        TOKEN_PATH,
        data={"grant_type": "client_credentials"},
        auth=("carecheck-all", secret_of(settings, "carecheck-patient-only")),
    )
    _error(response, 401, "invalid_client", "client authentication failed: unknown client or wrong secret")


@pytest.mark.parametrize(
    ("authorization", "description"),
    [
        ("Basic !!!not-base64", "the Basic credentials are not base64 of client_id:client_secret"),
        (
            "Basic " + base64.b64encode(b"no-colon").decode(),
            "the Basic credentials are not base64 of client_id:client_secret",
        ),
        ("Bearer abc", "the Authorization header of a token request must use the Basic scheme"),
    ],
)
def test_unusable_authorization_is_an_invalid_client(secured: TestClient, authorization: str, description: str) -> None:
    response = secured.post(TOKEN_PATH, data={"grant_type": "client_credentials"}, headers={"Authorization": authorization})
    _error(response, 401, "invalid_client", description)


def test_two_authentication_methods_are_an_invalid_request(secured: TestClient, settings: SecuritySettings) -> None:
    response = request_token(secured, settings, "carecheck-all", client_secret=secret_of(settings, "carecheck-all"))
    _error(response, 400, "invalid_request", "use exactly one client authentication method")
    both = _by_assertion(secured, assertion(), client_secret="x", client_id="carecheck-backend")
    _error(both, 400, "invalid_request", "use exactly one client authentication method")


def test_client_secret_post_needs_the_client_id(secured: TestClient, settings: SecuritySettings) -> None:
    form = {"grant_type": "client_credentials", "client_secret": secret_of(settings, "carecheck-all")}
    _error(secured.post(TOKEN_PATH, data=form), 400, "invalid_request", "client_secret_post needs client_id")


def test_a_body_client_id_must_match_the_basic_one(secured: TestClient, settings: SecuritySettings) -> None:
    response = request_token(secured, settings, "carecheck-all", client_id="carecheck-patient-only")
    _error(response, 400, "invalid_request", "client_id in the body is not the authenticated client")


# scope errors


@pytest.mark.parametrize(
    ("client_id", "scope"),
    [
        ("carecheck-patient-only", "system/Observation.read"),
        ("carecheck-patient-only", "system/*.read"),
        ("carecheck-all", "system/Patient.write"),
        ("carecheck-all", "user/Patient.read"),
        ("carecheck-all", "openid"),
    ],
)
def test_a_scope_beyond_the_clients_is_an_invalid_scope(secured: TestClient, settings: SecuritySettings, client_id: str, scope: str) -> None:
    response = request_token(secured, settings, client_id, scope=f"system/Patient.read {scope}")
    _error(response, 400, "invalid_scope", f"scope {scope} is not allowed for this client")


def test_a_scope_is_quoted_only_when_printable(secured: TestClient, settings: SecuritySettings) -> None:
    response = request_token(secured, settings, "carecheck-all", scope='x"y')
    _error(response, 400, "invalid_scope", "scope (with characters not allowed here) is not allowed for this client")


# client assertion errors


def test_an_assertion_needs_both_parameters(secured: TestClient) -> None:
    response = secured.post(TOKEN_PATH, data={"grant_type": "client_credentials", "client_assertion": assertion()})
    _error(response, 400, "invalid_request", "a client assertion needs client_assertion and client_assertion_type")


def test_an_assertion_of_another_type_is_an_invalid_client(secured: TestClient) -> None:
    response = _by_assertion(secured, assertion(), client_assertion_type="urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
    _error(response, 401, "invalid_client", f"client_assertion_type must be {ASSERTION_TYPE}")


def _unsigned_assertion(alg: str) -> str:
    header = {**jwt.get_unverified_header(assertion()), "alg": alg}
    return compact(header, claims_of(assertion()), b"" if alg == "none" else b"signature")


@pytest.mark.parametrize(
    ("case", "signed", "description"),
    [
        ("garbage", lambda: "not-a-jwt", "the client assertion is not a well-formed JWT"),
        ("alg none", lambda: _unsigned_assertion("none"), "the client assertion must be signed with RS384 or ES384"),
        ("HS256", lambda: _unsigned_assertion("HS256"), "the client assertion must be signed with RS384 or ES384"),
        ("RS256", lambda: _unsigned_assertion("RS256"), "the client assertion must be signed with RS384 or ES384"),
        (
            "unknown iss",
            lambda: assertion(iss="carecheck-nobody"),
            "the client assertion iss is not a registered client",
        ),
        (
            "secret client",
            lambda: assertion(iss="carecheck-all", sub="carecheck-all"),
            "the client has no registered public key",
        ),
        (
            "unknown kid",
            lambda: assertion(kid="someone-else"),
            "no registered key of the client fits the assertion's kid and RS384",
        ),
        (
            "kid of the other algorithm",
            lambda: assertion("ES384", kid=BACKEND_KIDS["RS384"]),
            "no registered key of the client fits the assertion's kid and ES384",
        ),
        (
            "signature altered",
            lambda: _altered(assertion()),
            "the client assertion signature does not verify with the client's registered key",
        ),
        ("expired", lambda: assertion(exp=int(time.time()) - 120), "the client assertion has expired"),
        (
            "not yet valid",
            lambda: assertion(nbf=int(time.time()) + 120),
            "the client assertion is not valid yet (nbf or iat in the future)",
        ),
        (
            "exp too far ahead",
            lambda: assertion(exp=int(time.time()) + 600),
            "the client assertion exp is more than five minutes ahead",
        ),
        (
            "aud of the FHIR base",
            lambda: assertion(aud="http://testserver/STU3"),
            "the client assertion aud must be this server's token endpoint URL",
        ),
        (
            "sub not iss",
            lambda: assertion(sub="carecheck-all"),
            "the client assertion sub must equal its iss (the client id)",
        ),
        ("no jti", lambda: assertion(jti=None), "the client assertion has no jti claim"),
        ("no exp", lambda: assertion(exp=None), "the client assertion has no exp claim"),
    ],
)
def test_a_bad_assertion_is_an_invalid_client(secured: TestClient, case: str, signed: Any, description: str) -> None:
    _error(_by_assertion(secured, signed()), 401, "invalid_client", description)


def _altered(signed: str) -> str:
    header, _, signature = signed.split(".")
    claims = {**claims_of(signed), "iss": "carecheck-backend", "scope": "system/*.*"}
    return ".".join([header, compact({}, claims).split(".")[1], signature])


def test_an_assertion_cannot_be_replayed(secured: TestClient) -> None:
    signed = assertion()
    _granted(_by_assertion(secured, signed), "system/*.read")
    _error(_by_assertion(secured, signed), 401, "invalid_client", "the client assertion jti has already been used")


def test_an_assertion_naming_another_client_id_is_refused(secured: TestClient) -> None:
    response = _by_assertion(secured, assertion(), client_id="carecheck-all")
    _error(response, 401, "invalid_client", "client_id is not the client assertion's iss")
