"""Token providers against the reference server's real token endpoint: every grant, discovery, renewal, refusal."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from carecheck.auth import discover_token_url, token_provider
from carecheck.config import Auth
from carecheck.errors import AuthError
from carecheck.http import REDACTED, Exchange, FhirClient, Redactor
from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app

pytestmark = pytest.mark.e2e

KEYS = {key["alg"]: key["kid"] for key in json.loads(data_path("keys", "carecheck-backend.jwks.json").read_text())["keys"]}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    settings = dataclasses.replace(SecuritySettings.load(), token_lifetime=2)
    with EmbeddedServer(create_app(population=5, auth=settings)) as running:
        yield running


def recorded_client(server: EmbeddedServer, exchanges: list[Exchange], secrets: tuple[str, ...] = ()) -> FhirClient:
    return FhirClient(server.base_url, record=exchanges.append, redactor=Redactor.of(secrets))


def read_patients(server: EmbeddedServer, auth: Auth) -> tuple[int | None, list[Exchange]]:
    exchanges: list[Exchange] = []
    secrets = (auth.client_secret.get_secret_value(),) if auth.client_secret else ()
    with recorded_client(server, exchanges, secrets) as client, FhirClient(server.base_url, authorize=token_provider(auth, client).authorization) as fhir:
        status = fhir.send("GET", "Patient", params=[("_count", "1")]).status
    return status, exchanges


SECRET = "demo-all-64e98961bc4161b9"


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_client_credentials_get_a_token_the_server_accepts(server: EmbeddedServer, method: str) -> None:
    auth = Auth(type="client-credentials", client_id="carecheck-all", client_secret=SECRET, method=method, scopes=("system/*.read",))  # type: ignore[arg-type]
    status, exchanges = read_patients(server, auth)
    assert status == 200
    token_post = next(e for e in exchanges if e.request.method == "POST")
    assert token_post.request.url.endswith("/auth/token")
    assert SECRET not in token_post.to_json()
    assert json.loads(token_post.response.body)["access_token"] == REDACTED  # type: ignore[union-attr]


@pytest.mark.parametrize("algorithm", ["RS384", "ES384"])
def test_smart_backend_signs_a_client_assertion(server: EmbeddedServer, algorithm: str) -> None:
    key = data_path("keys", f"carecheck-backend-{algorithm.lower()}.private.pem")
    auth = Auth(type="smart-backend", client_id="carecheck-backend", private_key=key, algorithm=algorithm, key_id=KEYS[algorithm])  # type: ignore[arg-type]
    status, exchanges = read_patients(server, auth)
    assert status == 200
    token_post = next(e for e in exchanges if e.request.method == "POST")
    assert "client_assertion=%5BREDACTED%5D" in token_post.request.body.decode()


def test_the_token_url_is_discovered_from_the_capability_statement(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        assert discover_token_url(client) == server.base_url.replace("/STU3", "/auth/token")


def test_a_server_that_declares_no_token_endpoint_says_so() -> None:
    with EmbeddedServer(create_app(population=0)) as plain, FhirClient(plain.base_url) as client:
        with pytest.raises(AuthError, match="declares no token endpoint"):
            discover_token_url(client)


def test_a_refused_secret_is_an_auth_error_naming_the_answer(server: EmbeddedServer) -> None:
    auth = Auth(type="client-credentials", client_id="carecheck-all", client_secret="wrong")  # type: ignore[arg-type]
    with recorded_client(server, []) as client, pytest.raises(AuthError, match=r"-> 401: invalid_client"):
        token_provider(auth, client).authorization()


def test_tokens_are_renewed_before_they_expire_and_learned_as_secrets(server: EmbeddedServer) -> None:
    exchanges: list[Exchange] = []
    auth = Auth(type="client-credentials", client_id="carecheck-all", client_secret=SECRET)  # type: ignore[arg-type]
    with recorded_client(server, exchanges) as client:
        provider = token_provider(auth, client)
        first = provider.authorization()
        assert provider.authorization() == first  # cached
        time.sleep(1.1)  # lifetime 2 s: renewed at half-life
        second = provider.authorization()
        assert second != first
        assert first is not None and client.redactor.text(first) == f"Bearer {REDACTED}"
    assert sum(1 for e in exchanges if e.request.method == "POST") == 2


def test_the_patient_a_token_response_names_is_kept(server: EmbeddedServer) -> None:
    exchanges: list[Exchange] = []
    bound = Auth(type="client-credentials", client_id="carecheck-patient-context", client_secret="demo-context-3b1e7d2a94c05f68")  # type: ignore[arg-type]
    unbound = Auth(type="client-credentials", client_id="carecheck-all", client_secret=SECRET)  # type: ignore[arg-type]
    with recorded_client(server, exchanges) as client:
        provider, plain = token_provider(bound, client), token_provider(unbound, client)
        assert hasattr(provider, "patient") and hasattr(plain, "patient")
        assert provider.patient() == "2f88064f-8dc3-4763-af75-94faf6b08b18"
        assert plain.patient() is None
    assert sum(1 for e in exchanges if e.request.method == "POST") == 2, "asking for the patient obtains the token once"


def test_a_static_bearer_token_is_sent_as_is() -> None:
    auth = Auth(type="bearer", token="static-token")  # type: ignore[arg-type]
    with FhirClient("http://unused.test") as client:
        assert token_provider(auth, client).authorization() == "Bearer static-token"


def test_basic_credentials_are_form_encoded_first_as_rfc_6749_says(tmp_path: Path) -> None:
    """RFC 6749 §2.3.1: client id and secret are form-encoded before Basic, so a secret with `+`, `/` or spaces still works."""
    secret = 'a s3cret/+&="quoted"~'
    clients = tmp_path / "clients.yaml"
    clients.write_text(f"clients:\n  - client_id: odd client\n    secret: {json.dumps(secret)}\n    scopes: [system/*.read]\n")
    with EmbeddedServer(create_app(population=1, auth=SecuritySettings.load(clients))) as special:
        for method in ("client_secret_basic", "client_secret_post"):
            auth = Auth(type="client-credentials", client_id="odd client", client_secret=secret, method=method, scopes=("system/*.read",))  # type: ignore[arg-type]
            status, exchanges = read_patients(special, auth)
            assert status == 200, method
            assert all(secret not in exchange.to_json() for exchange in exchanges)
