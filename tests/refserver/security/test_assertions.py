"""Tests for carecheck.refserver.security.assertions: the verifier on its own (its HTTP face is in test_endpoint)."""

from __future__ import annotations

import pytest

from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.assertions import AssertionVerifier, InvalidAssertion
from tests.refserver.security.conftest import TOKEN_URL, assertion


@pytest.fixture
def verifier(settings: SecuritySettings) -> AssertionVerifier:
    return AssertionVerifier(settings.clients)


@pytest.mark.parametrize("alg", ["RS384", "ES384"])
def test_a_valid_assertion_names_its_client(verifier: AssertionVerifier, alg: str) -> None:
    assert verifier.verify(assertion(alg), token_url=TOKEN_URL).client_id == "carecheck-backend"


def test_the_same_jti_is_refused_the_second_time(verifier: AssertionVerifier) -> None:
    signed = assertion(jti="once")
    verifier.verify(signed, token_url=TOKEN_URL)
    with pytest.raises(InvalidAssertion, match="already been used"):
        verifier.verify(assertion(jti="once"), token_url=TOKEN_URL)


def test_a_failed_assertion_does_not_use_up_its_jti(verifier: AssertionVerifier) -> None:
    with pytest.raises(InvalidAssertion, match="aud"):
        verifier.verify(assertion(jti="kept", aud="http://elsewhere/token"), token_url=TOKEN_URL)
    verifier.verify(assertion(jti="kept"), token_url=TOKEN_URL)


def test_the_token_url_is_the_audience(verifier: AssertionVerifier) -> None:
    with pytest.raises(InvalidAssertion, match="aud must be this server's token endpoint URL"):
        verifier.verify(assertion(), token_url="http://127.0.0.1:1234/auth/token")
