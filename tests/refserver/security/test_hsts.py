"""HSTS: added to every answer over HTTPS, never to one over plain HTTP."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from carecheck.refserver.security import StrictTransport
from tests.refserver.conftest import TestClient

APP = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])


def test_answers_over_https_carry_strict_transport_security() -> None:
    with TestClient(StrictTransport(APP, 600), base_url="https://testserver") as client:
        assert client.get("/").headers["strict-transport-security"] == "max-age=600"


def test_answers_over_plain_http_carry_none() -> None:
    with TestClient(StrictTransport(APP, 600)) as client:
        assert "strict-transport-security" not in client.get("/").headers


def test_a_max_age_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        StrictTransport(APP, 0)
