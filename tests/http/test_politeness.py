"""Politeness: pacing to a rate, retrying only what the server asks to repeat, recording every attempt."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from carecheck.http import Exchange, FhirClient, Pacer, RecordedRequest, RecordedResponse
from carecheck.http.politeness import retry_after
from carecheck.refserver import EmbeddedServer
from tests.exchanges import exchange


def answered(status: int, retry: str | None = None, method: str = "GET") -> Exchange:
    headers = (("Retry-After", retry),) if retry is not None else ()
    request = RecordedRequest(method, "http://fhir.test/STU3/Patient/p")
    return Exchange("001", request, RecordedResponse(status, headers, b"{}"), "2026-01-01T00:00:00Z", 1.0)


@pytest.mark.parametrize(
    ("given", "attempt", "wait"),
    [
        (answered(503), 1, 0.5),
        (answered(503), 3, 2.0),
        (answered(429, "3"), 1, 3.0),
        (answered(429, "120"), 1, None),  # longer than the limit: give up rather than stall the run
        (answered(200), 1, None),
        (answered(500), 1, None),
        (answered(503, method="POST"), 1, None),  # never repeat what may not be idempotent
        (exchange(None, error="ConnectError: refused"), 1, 0.5),
    ],
)
def test_what_is_retried_and_after_how_long(given: Exchange, attempt: int, wait: float | None) -> None:
    assert retry_after(given, attempt, max_wait=30) == wait


def test_an_http_date_retry_after_is_honoured() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    wait = retry_after(answered(503, soon), 1, max_wait=30)
    assert wait is not None and 3 <= wait <= 5


def test_the_pacer_spaces_requests() -> None:
    pacer = Pacer(requests_per_second=20)
    started = time.monotonic()
    for _ in range(5):
        pacer.wait()
    assert time.monotonic() - started >= 0.19
    unpaced = time.monotonic()
    Pacer().wait()
    assert time.monotonic() - unpaced < 0.01


@pytest.fixture
def flaky() -> Iterator[EmbeddedServer]:
    """Answers 503 (Retry-After: 0), then 200, then 503 again...: a fresh server for each test."""
    calls = itertools.count(1)

    async def busy_then_fine(request: Request) -> Response:
        if next(calls) % 2:
            return Response(status_code=503, headers={"Retry-After": "0"})
        return JSONResponse({"resourceType": "Patient", "id": "p"})

    with EmbeddedServer(Starlette(routes=[Route("/STU3/Patient/p", busy_then_fine, methods=["GET", "POST"])])) as server:
        yield server


@pytest.mark.e2e
def test_a_busy_server_is_asked_again_and_every_attempt_is_recorded(flaky: EmbeddedServer) -> None:
    recorded: list[Exchange] = []
    with FhirClient(flaky.base_url, record=recorded.append, retries=2) as client:
        final = client.send("GET", "Patient/p")
    assert final.status == 200
    assert [e.status for e in recorded] == [503, 200]
    assert "attempt 1 answered 503; retried after 0 s" in recorded[1].notes


@pytest.mark.e2e
def test_without_retries_the_busy_answer_stands(flaky: EmbeddedServer) -> None:
    recorded: list[Exchange] = []
    with FhirClient(flaky.base_url, record=recorded.append, retries=0) as client:
        assert client.send("GET", "Patient/p").status == 503
    assert len(recorded) == 1


@pytest.mark.e2e
def test_a_post_is_never_repeated(flaky: EmbeddedServer) -> None:
    recorded: list[Exchange] = []
    with FhirClient(flaky.base_url, record=recorded.append, retries=2) as client:
        client.send("POST", "Patient/p")
    assert len(recorded) == 1
