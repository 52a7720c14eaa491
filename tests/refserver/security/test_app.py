"""Tests for carecheck.refserver.security.app: routing around the guard, lifespan, the secured server on loopback."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from carecheck.refserver import EmbeddedServer, create_app
from carecheck.refserver.security import SecuritySettings, secure
from tests.refserver.conftest import TestClient


def test_the_auth_routes_sit_beside_the_fhir_app(secured: TestClient) -> None:
    assert secured.get("/auth/jwks").status_code == 200
    assert secured.post("/auth/jwks").status_code == 405
    assert secured.get("/auth/authorize").status_code == 404


def test_lifespan_events_reach_the_wrapped_app(settings: SecuritySettings) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "lifespan"
        while (message := await receive())["type"] != "lifespan.shutdown":
            events.append(message["type"])
            await send({"type": "lifespan.startup.complete"})
        events.append("lifespan.shutdown")
        await send({"type": "lifespan.shutdown.complete"})

    with TestClient(secure(app, settings)):
        pass
    assert events == ["lifespan.startup", "lifespan.shutdown"]


def test_create_app_without_auth_is_open() -> None:
    with TestClient(create_app(seed=False)) as client:
        assert client.get("/STU3/Patient").status_code == 200
        assert client.get("/auth/jwks").status_code == 404
        assert "security" not in client.get("/STU3/metadata").json()["rest"][0]


@pytest.mark.e2e
def test_the_secured_server_on_loopback(settings: SecuritySettings) -> None:
    with (
        EmbeddedServer(create_app(seed=False, auth=settings)) as server,
        httpx.Client(base_url=server.base_url) as http,
    ):
        statement = http.get("/metadata").json()
        (oauth,) = statement["rest"][0]["security"]["extension"]
        token_url = oauth["extension"][0]["valueUri"]
        assert token_url == f"http://127.0.0.1:{server.port}/auth/token"
        assert http.get("/Patient").status_code == 401
        secret = settings.clients["carecheck-patient-only"].secret
        assert secret is not None
        granted = httpx.post(token_url, data={"grant_type": "client_credentials"}, auth=("carecheck-patient-only", secret))
        token = granted.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert http.get("/Patient", headers=headers).status_code == 200
        refused = http.get("/Observation", headers=headers)
        assert refused.status_code == 403
        assert refused.headers["www-authenticate"].startswith('Bearer realm="carecheck", error="insufficient_scope"')
        localhost = f"http://localhost:{server.port}/STU3/Patient"
        assert httpx.get(localhost, headers=headers).status_code == 401
