"""Tests for carecheck.refserver.security.tokens: issuing and verifying access tokens, with the clock given."""

from __future__ import annotations

import jwt
import pytest

from carecheck.refserver.security.keys import SigningKey
from carecheck.refserver.security.tokens import LEEWAY, Grant, InvalidToken, issue_access_token, verify_access_token
from tests.refserver.security.conftest import claims_of

NOW = 1_800_000_000
ISSUER = "http://127.0.0.1:8080/auth"
AUDIENCE = "http://127.0.0.1:8080/STU3"


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


def _issue(key: SigningKey, scopes: tuple[str, ...] = ("system/Patient.read", "profile"), patient: str | None = None) -> str:
    return issue_access_token(key, client_id="c1", scopes=scopes, issuer=ISSUER, audience=AUDIENCE, lifetime=300, patient=patient, now=NOW + 0.7)


def _verify(token: str, key: SigningKey, now: float = NOW) -> Grant:
    return verify_access_token(token, key, issuer=ISSUER, audience=AUDIENCE, now=now)


def test_an_issued_token_carries_the_grant(key: SigningKey) -> None:
    token = _issue(key)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}
    claims = claims_of(token)
    jti = claims.pop("jti")
    assert len(jti) == 32
    assert claims == {
        "iss": ISSUER,
        "sub": "c1",
        "aud": AUDIENCE,
        "exp": NOW + 300,
        "nbf": NOW,
        "iat": NOW,
        "client_id": "c1",
        "scope": "system/Patient.read profile",
    }


def test_a_valid_token_gives_its_scopes(key: SigningKey) -> None:
    assert _verify(_issue(key), key) == Grant(("system/Patient.read", "profile"))
    assert _verify(_issue(key, ()), key) == Grant(())


def test_a_token_with_a_patient_context_carries_and_gives_its_patient(key: SigningKey) -> None:
    token = _issue(key, ("patient/*.read",), patient="p-1.a")
    assert claims_of(token)["patient"] == "p-1.a"
    assert _verify(token, key) == Grant(("patient/*.read",), "p-1.a")


@pytest.mark.parametrize(
    ("now", "valid"),
    [
        (NOW - LEEWAY, True),
        (NOW - LEEWAY - 1, False),
        (NOW + 300 + LEEWAY - 1, True),
        (NOW + 300 + LEEWAY, False),
    ],
)
def test_the_clock_leeway(key: SigningKey, now: int, valid: bool) -> None:
    token = _issue(key)
    if valid:
        assert _verify(token, key, now)
    else:
        with pytest.raises(InvalidToken):
            _verify(token, key, now)


def test_a_token_verified_once_is_still_judged_by_the_clock_and_its_audience_each_time(key: SigningKey) -> None:
    """Its signature is verified once; the times, and where it is presented, count on every request."""
    token = _issue(key)
    for _ in range(2):
        assert _verify(token, key) == Grant(("system/Patient.read", "profile"))
        with pytest.raises(InvalidToken, match=r"expired"):
            _verify(token, key, NOW + 300 + LEEWAY)
        with pytest.raises(InvalidToken, match=r"wrong aud"):
            verify_access_token(token, key, issuer=ISSUER, audience="http://127.0.0.1:9090/STU3", now=NOW)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for _ in range(2):
        with pytest.raises(InvalidToken, match=r"signature"):
            _verify(tampered, key)


def test_a_token_is_refused_at_another_server(key: SigningKey) -> None:
    with pytest.raises(InvalidToken, match=r"wrong aud"):
        verify_access_token(_issue(key), key, issuer=ISSUER, audience="http://127.0.0.1:9090/STU3", now=NOW)
    with pytest.raises(InvalidToken, match=r"wrong iss"):
        verify_access_token(_issue(key), key, issuer="http://127.0.0.1:9090/auth", audience=AUDIENCE, now=NOW)
    with pytest.raises(InvalidToken, match=r"unknown kid"):
        _verify(_issue(key), SigningKey.generate())


@pytest.mark.parametrize(
    ("changes", "description"),
    [
        ({"exp": NOW - 100}, "the access token has expired (exp is in the past)"),
        ({"nbf": NOW + 100}, "the access token is not valid yet (nbf is in the future)"),
        ({"iat": NOW + 100}, "the access token was issued in the future (iat is in the future)"),
        ({"exp": NOW - 100, "iat": NOW + 100}, "the access token has expired (exp is in the past)"),
        ({"nbf": True}, "the access token nbf claim is not a number of seconds"),
        ({"iat": "now"}, "the access token iat claim is not a number of seconds"),
        ({"scope": ["system/*.read"]}, "the access token scope claim is not a string"),
        ({"patient": 7}, "the access token patient claim is not a Patient id"),
        ({"patient": "Patient/p1"}, "the access token patient claim is not a Patient id"),
        ({"jti": None}, "the access token has no jti claim"),
        ({"client_id": None}, "the access token has no client_id claim"),
    ],
)
def test_claims_signed_by_the_server_are_still_checked(key: SigningKey, changes: dict[str, object], description: str) -> None:
    claims = {**claims_of(_issue(key)), **changes}
    forged = key.sign({name: value for name, value in claims.items() if value is not None}, typ="at+jwt")
    with pytest.raises(InvalidToken) as raised:
        _verify(forged, key)
    assert raised.value.description == description == str(raised.value)
