"""One deadline per exchange, against a real server that trickles its status line and headers a byte at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpcore
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carecheck.http import FhirClient, shared_http_client
from carecheck.http.deadline import DeadlineTransport, within
from carecheck.refserver import EmbeddedServer
from tests.hostile import TricklingFront

pytestmark = pytest.mark.e2e


async def patient(request: Request) -> JSONResponse:
    return JSONResponse({"resourceType": "Patient", "id": "fast"}, media_type="application/fhir+json")


@pytest.fixture(scope="module")
def front() -> Iterator[TricklingFront]:
    """`/STU3/slow` trickles a byte every 0.2 s forever; everything else is a quick answer."""
    with EmbeddedServer(Starlette(routes=[Route("/STU3/{name}", patient)])) as backend, TricklingFront(backend.port, "/STU3/slow", 0.2) as trickling:
        yield trickling


def test_without_a_deadline_a_trickle_outlasts_every_read_timeout(front: TricklingFront) -> None:
    """The problem: each byte arrives well inside the 1 s read timeout, so httpx alone never gives up."""
    finished = threading.Event()

    def fetch() -> None:
        with shared_http_client(timeout=1.0) as http:
            try:
                http.get(f"{front.base_url}/slow")
            except httpx.HTTPError:
                pass  # when the front closes at the end of the module
            finally:
                finished.set()

    threading.Thread(target=fetch, daemon=True).start()
    assert not finished.wait(3.0), "three read timeouts passed and the request was still running"


def test_the_deadline_cuts_off_trickled_headers(front: TricklingFront) -> None:
    with shared_http_client(timeout=1.0) as http:
        started = time.monotonic()
        with within(1.5), pytest.raises(httpx.ReadTimeout):
            http.get(f"{front.base_url}/slow")
        assert 1.4 <= time.monotonic() - started < 2.5


def test_a_request_within_its_deadline_is_untouched_and_its_connection_reused(front: TricklingFront) -> None:
    with shared_http_client(timeout=1.0) as http:
        for _ in range(3):
            with within(5):
                assert http.get(f"{front.base_url}/quick").json()["id"] == "fast"
        with pytest.raises(httpx.ReadTimeout):
            with within(0.3):
                http.get(f"{front.base_url}/slow")
        with within(5):
            assert http.get(f"{front.base_url}/quick").status_code == 200, "a cut exchange leaves the pool usable"


def test_a_deadline_already_passed_sends_nothing(front: TricklingFront) -> None:
    with shared_http_client(timeout=1.0) as http, within(0):
        with pytest.raises((httpx.ConnectTimeout, httpx.ReadTimeout, httpx.WriteTimeout)):
            http.get(f"{front.base_url}/quick")


def test_the_client_records_a_trickled_answer_as_cut_off_at_its_deadline(front: TricklingFront) -> None:
    recorded = []
    with FhirClient(front.base_url, record=recorded.append, timeout=1.0) as client:
        exchange = client.send("GET", "slow")
        assert client.send("GET", "quick").status == 200
    assert exchange.response is None and exchange.error is not None
    assert "not complete within 1 s, the deadline of every exchange" in exchange.error
    assert 900 <= exchange.elapsed_ms < 2000
    assert len(recorded) == 2


def test_the_transport_is_httpx_s_own_with_a_bounded_network_backend() -> None:
    transport = DeadlineTransport()
    assert isinstance(transport, httpx.HTTPTransport)
    assert isinstance(transport._pool, httpcore.ConnectionPool)
    transport.close()
