"""Tests for carecheck.refserver.security.discovery: SMART configuration, JWKS and the CapabilityStatement security."""

from __future__ import annotations

from collections.abc import Callable

import jwt

from carecheck.refserver.security import SecuritySettings, capability_security
from tests.refserver.conftest import TestClient, assert_stu3

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def test_the_smart_configuration(secured: TestClient) -> None:
    response = secured.get("/STU3/.well-known/smart-configuration")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "issuer": "http://testserver/auth",
        "jwks_uri": "http://testserver/auth/jwks",
        "token_endpoint": "http://testserver/auth/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "grant_types_supported": ["client_credentials"],
        "scopes_supported": ["patient/*.read", "profile", "system/*.read", "system/*.write", "system/Patient.read"],
        "capabilities": ["client-confidential-symmetric", "client-confidential-asymmetric", "permission-v1"],
    }


def test_the_urls_follow_the_host_the_client_used(secured: TestClient) -> None:
    document = secured.get("http://fhir.example.org:8080/STU3/.well-known/smart-configuration").json()
    assert document["token_endpoint"] == "http://fhir.example.org:8080/auth/token"


def test_the_jwks_verifies_the_servers_tokens(secured: TestClient, token_of: Callable[[str], str]) -> None:
    response = secured.get("/auth/jwks")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    (jwk,) = response.json()["keys"]
    assert set(jwk) == {"kty", "n", "e", "kid", "use", "alg"}
    token = token_of("carecheck-all")
    assert jwt.get_unverified_header(token)["kid"] == jwk["kid"]
    claims = jwt.decode(
        token,
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience="http://testserver/STU3",
        issuer="http://testserver/auth",
    )
    assert claims["client_id"] == "carecheck-all"


def test_capability_security(settings: SecuritySettings) -> None:
    security = capability_security(settings, "http://127.0.0.1:8080/STU3")
    assert security["service"] == [
        {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/restful-security-service",
                    "code": "SMART-on-FHIR",
                    "display": "SMART-on-FHIR",
                }
            ],
            "text": "OAuth2 client credentials with SMART on FHIR scopes",
        }
    ]
    assert security["extension"] == [{"extension": [{"url": "token", "valueUri": "http://127.0.0.1:8080/auth/token"}], "url": OAUTH_URIS}]
    assert "http://127.0.0.1:8080/auth/token" in security["description"]
    assert "A token with a patient context" in security["description"]
    assert "searches are filtered, not refused" in security["description"]


def test_the_capability_statement_declares_the_security(secured: TestClient) -> None:
    statement = secured.get("/STU3/metadata").json()
    assert_stu3(statement)
    (rest,) = statement["rest"]
    assert list(rest)[:2] == ["mode", "security"]
    (oauth,) = rest["security"]["extension"]
    assert oauth["url"] == OAUTH_URIS
    assert [(uri["url"], uri["valueUri"]) for uri in oauth["extension"]] == [("token", "http://testserver/auth/token")]
    xml = secured.get("/STU3/metadata", params={"_format": "xml"})
    assert f'<extension url="{OAUTH_URIS}"><extension url="token"><valueUri value="http://testserver/auth/token"/>' in xml.text
