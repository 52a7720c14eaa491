"""Tests for carecheck.refserver.embedded: serving apps with uvicorn on real loopback sockets."""

from __future__ import annotations

import socket

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from carecheck.refserver import EmbeddedServer, create_app, serve

pytestmark = pytest.mark.e2e

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"


def _refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_the_reference_server_answers_on_loopback_and_stops() -> None:
    with EmbeddedServer() as server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}/STU3"
        with httpx.Client(base_url=server.base_url) as client:
            statement = client.get("/metadata").json()
            assert statement["implementation"]["url"] == server.base_url
            assert client.get(f"/Patient/{MEAKIN}").json()["name"][0]["family"] == "MEAKIN"
            first = client.get("/Patient", params={"gender": "female", "_count": "7"}).json()
            next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
            assert next_url.startswith(server.base_url)
            second = client.get(next_url).json()
            assert second["total"] == first["total"]
            assert {e["resource"]["id"] for e in first["entry"]}.isdisjoint(e["resource"]["id"] for e in second["entry"])
            xml = client.get("/metadata", headers={"Accept": "application/fhir+xml"})
            assert xml.headers["content-type"] == "application/fhir+xml; charset=utf-8"
        port = server.port
    assert _refuses_connections(port)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.port


async def _plain_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": scope["path"].encode()})


def _failing_on(path_part: str, app: ASGIApp) -> ASGIApp:
    """A fault-injecting middleware: 503 for paths containing ``path_part``, the wrapped app otherwise."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and path_part in scope["path"]:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)

    return middleware


def test_any_asgi_app_can_be_served() -> None:
    with EmbeddedServer(_plain_app) as server:
        response = httpx.get(f"http://127.0.0.1:{server.port}/hello")
        assert (response.status_code, response.text) == (200, "/hello")


def test_a_wrapped_reference_app_can_be_served() -> None:
    with EmbeddedServer(_failing_on("Patient", create_app(seed=False))) as server:
        assert httpx.get(f"{server.base_url}/Patient").status_code == 503
        assert httpx.get(f"{server.base_url}/metadata").status_code == 200


def _free_port() -> int:
    with socket.socket() as finder:
        finder.bind(("127.0.0.1", 0))
        port: int = finder.getsockname()[1]
        return port


def test_a_requested_port_is_used() -> None:
    port = _free_port()
    with EmbeddedServer(_plain_app, port=port) as server:
        assert server.port == port
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200


def test_starting_twice_is_an_error() -> None:
    with EmbeddedServer(_plain_app) as server, pytest.raises(RuntimeError, match="already running"):
        server.start()


async def _refusing_to_start(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "lifespan"
    await receive()
    await send({"type": "lifespan.startup.failed", "message": "no database"})


def test_an_app_that_fails_to_start_raises_and_frees_the_port() -> None:
    server = EmbeddedServer(_refusing_to_start)
    with pytest.raises(RuntimeError, match="did not start"):
        server.start()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.port


def test_serve_runs_the_reference_app_quietly_on_its_own_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[tuple[uvicorn.Config, int]] = []

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        (sock,) = sockets
        served.append((server.config, sock.getsockname()[1]))

    monkeypatch.setattr(uvicorn.Server, "run", run)
    port = _free_port()
    serve(host="127.0.0.1", port=port)
    ((config, bound),) = served
    assert bound == port and config.log_level == "warning"
    assert isinstance(config.app, Starlette) and config.app.url_path_for("metadata") == "/STU3/metadata"
    assert _refuses_connections(port)


def test_serve_on_a_taken_port_is_an_os_error() -> None:
    with EmbeddedServer(_plain_app) as server, pytest.raises(OSError):
        serve(host="127.0.0.1", port=server.port)


def test_serve_passes_the_population_and_security_on(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, object]] = []

    def fake_create_app(**options: object) -> ASGIApp:
        made.append(options)
        return _plain_app

    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: None)
    monkeypatch.setattr("carecheck.refserver.embedded.create_app", fake_create_app)
    serve(host="127.0.0.1", port=_free_port(), population=7)
    serve(host="127.0.0.1", port=_free_port(), population=0, writes=True)
    assert made == [{"population": 7, "auth": None, "writes": False}, {"population": 0, "auth": None, "writes": True}]


def test_responses_do_not_wait_for_delayed_acks() -> None:
    with EmbeddedServer(create_app(seed=False)) as server, httpx.Client(base_url=server.base_url) as client:
        client.get("/metadata")
        for _ in range(5):
            response = client.get("/metadata")
            assert response.elapsed.total_seconds() < 0.03  # Nagle plus a delayed ACK costs about 40 ms
