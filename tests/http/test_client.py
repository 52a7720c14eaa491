"""The recording FHIR client against a real loopback server: what it records, redacts, follows and survives."""

from __future__ import annotations

import base64
import gzip
import json
import socket
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from carecheck.http import REDACTED, Exchange, FhirClient, Redactor
from carecheck.refserver import EmbeddedServer

pytestmark = pytest.mark.e2e


async def echo(request: Request) -> Response:
    return JSONResponse({"resourceType": "Basic", "headers": dict(request.headers), "query": str(request.query_params)})


async def paged(request: Request) -> Response:
    page = int(request.query_params.get("page", "1"))
    base = str(request.base_url).rstrip("/")
    links = [{"relation": "self", "url": str(request.url)}]
    following = {
        1: f"{base}/STU3/Patient?page=2",
        2: f"{base}/STU3/Patient?page=3",
        3: f"{base}/STU3/Patient?page=3",  # loops back to itself
    }
    links.append({"relation": "next", "url": following[page]})
    return JSONResponse({"resourceType": "Bundle", "type": "searchset", "link": links, "entry": []}, media_type="application/fhir+json")


async def elsewhere(request: Request) -> Response:
    bundle = {"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "next", "url": "http://attacker.test/STU3/Patient?page=2"}]}
    return JSONResponse(bundle)


async def big(request: Request) -> Response:
    return Response(b"x" * 5000, media_type="application/fhir+json")


async def zipped(request: Request) -> Response:
    return Response(gzip.compress(b'{"resourceType": "Patient", "id": "z"}'), headers={"Content-Encoding": "gzip"}, media_type="application/fhir+json")


def _bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16, 9, zlib.Z_RLE)
    return b"".join(compressor.compress(bytes(1 << 20)) for _ in range(256)) + compressor.flush()


BOMB = _bomb()


async def bomb(request: Request) -> Response:
    """256 KB of gzip that inflates to 256 MB of zeros."""
    return Response(BOMB, headers={"Content-Encoding": "gzip"}, media_type="application/fhir+json")


async def brotli(request: Request) -> Response:
    return Response(b"\x1b\x03\x00\xf8", headers={"Content-Encoding": "br"}, media_type="application/fhir+json")


async def deep(request: Request) -> Response:
    return Response(b'{"resourceType": "Basic", "extension": ' + b"[" * 150 + b"]" * 150 + b"}", media_type="application/fhir+json")


async def bad_link(request: Request) -> Response:
    bundle = {"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "next", "url": "http://[::1/STU3/BadLink?page=2"}]}
    return JSONResponse(bundle)


APP = Starlette(
    routes=[
        Route("/STU3/echo", echo),
        Route("/STU3/bomb", bomb),
        Route("/STU3/brotli", brotli),
        Route("/STU3/deep", deep),
        Route("/STU3/BadLink", bad_link),
        Route("/STU3/Patient", paged),
        Route("/STU3/Elsewhere", elsewhere),
        Route("/STU3/big", big),
        Route("/STU3/zipped", zipped),
    ]
)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(APP) as running:
        yield running


def test_every_exchange_is_recorded_with_secrets_redacted(server: EmbeddedServer) -> None:
    recorded: list[Exchange] = []
    with FhirClient(server.base_url, record=recorded.append, authorize=lambda: "Bearer top-secret-token", redactor=Redactor.of(["top-secret-token"])) as client:
        exchange = client.send("GET", "echo", params=[("token", "top-secret-token"), ("family", "Müller")])
    assert recorded == [exchange]
    assert exchange.id == "001"
    assert exchange.request.header("authorization") == f"Bearer {REDACTED}"
    assert "top-secret-token" not in exchange.to_json()
    assert exchange.response is not None and exchange.response.status == 200
    echoed = json.loads(exchange.response.body)
    assert echoed["headers"]["accept"] == "application/fhir+json"
    assert exchange.elapsed_ms > 0


def test_a_search_follows_next_links_until_they_loop(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        search = client.search("Patient", [("page", "1")])
    assert [e.id for e in search.exchanges] == ["001", "002", "003"]
    assert search.kind == "search" and search.resource_type == "Patient"


def test_a_next_link_to_another_server_is_not_followed(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        search = client.search("Elsewhere", [])
    assert len(search.exchanges) == 1


def test_the_page_cap_stops_an_endless_search(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url, max_pages=2) as client:
        assert len(client.search("Patient", [("page", "1")]).exchanges) == 2


def test_an_oversized_body_is_cut_and_said_so(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url, max_body_bytes=1000) as client:
        exchange = client.send("GET", "big")
    assert exchange.response is not None and exchange.response.truncated
    assert exchange.error and "larger than 1000 bytes" in exchange.error


def test_compressed_bodies_are_recorded_decoded(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        exchange = client.send("GET", "zipped")
    assert exchange.response is not None and json.loads(exchange.response.body)["id"] == "z"


def test_a_refused_connection_is_an_exchange_with_an_error_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FhirClient(f"http://127.0.0.1:{port}/STU3") as client:
        read = client.read("Patient", "1")
    assert read.first.response is None
    assert read.first.error and "ConnectError" in read.first.error


def test_an_explicit_authorization_header_replaces_the_providers(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url, authorize=lambda: "Bearer real") as client:
        exchange = client.send("GET", "echo", headers=[("Authorization", "Bearer forged")])
    assert exchange.response is not None
    assert json.loads(exchange.response.body)["headers"]["authorization"] == "Bearer forged"


def test_a_request_can_go_without_the_providers_token(server: EmbeddedServer) -> None:
    asked: list[int] = []

    def authorize() -> str:
        asked.append(1)
        return "Bearer real"

    with FhirClient(server.base_url, authorize=authorize) as client:
        exchange = client.send("GET", "echo", authorize=False)
    assert exchange.response is not None and "authorization" not in json.loads(exchange.response.body)["headers"]
    assert asked == [], "no token is obtained for a request that sends none"


def test_the_token_a_request_carried_is_noted_decoded_and_the_notes_given_are_kept(server: EmbeddedServer) -> None:
    from carecheck.auth.jws import compact

    token = compact({"alg": "RS256"}, {"sub": "someone"}, b"sig")
    recorded: list[Exchange] = []
    with FhirClient(server.base_url, record=recorded.append, authorize=lambda: f"Bearer {token}") as client:
        client.send("GET", "echo", notes=("forged: x: a test",))
    (exchange,) = recorded
    assert exchange.notes[0] == "forged: x: a test"
    assert exchange.notes[1] == 'authorization: Bearer JWT (signature removed) header {"alg": "RS256"} claims {"sub": "someone"}'
    assert ("authorization", f"Bearer {REDACTED}") in exchange.request.headers


def test_an_exchange_made_elsewhere_is_numbered_among_the_clients_own(server: EmbeddedServer) -> None:
    recorded: list[Exchange] = []
    with FhirClient(server.base_url, record=recorded.append) as client:
        first = client.send("GET", "echo")
        probe = client.record(Exchange("", first.request, None, first.started, 0.0, "TLS handshake refused: test"))
        client.send("GET", "echo")
    assert [e.id for e in recorded] == ["001", "002", "003"] and probe.id == "002"


def test_a_decompression_bomb_is_cut_at_the_cap_once_decoded_holding_little(server: EmbeddedServer) -> None:
    tracemalloc.start()
    with FhirClient(server.base_url, max_body_bytes=5_000_000) as client:
        exchange = client.send("GET", "bomb")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert exchange.response is not None and exchange.response.truncated and len(exchange.response.body) == 5_000_000
    assert exchange.error == "response body larger than 5000000 bytes once decoded; cut off"
    assert peak < 30_000_000, f"{peak} bytes held for a 5 MB cap (256 MB inflated would be far more)"


def test_a_coding_carecheck_did_not_ask_for_is_recorded_as_received(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        exchange = client.send("GET", "brotli")
    assert exchange.request.header("accept-encoding") == "gzip, deflate"
    assert exchange.response is not None and exchange.response.body == b"\x1b\x03\x00\xf8"
    assert exchange.error is not None and "Content-Encoding br is not one carecheck asked for" in exchange.error


def test_a_body_nesting_deeper_than_the_limit_is_kept_but_marked_unreadable(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url, max_depth=100) as client:
        too_deep = client.send("GET", "deep")
    with FhirClient(server.base_url, max_depth=200) as client:
        deep_enough = client.send("GET", "deep")
    assert too_deep.response is not None and too_deep.response.body.count(b"[") == 150
    assert too_deep.error == "the body nests deeper than 100 levels (limits.max_depth); carecheck does not read it"
    assert too_deep.ok_json() is None
    assert deep_enough.error is None and deep_enough.ok_json()["resourceType"] == "Basic"


def test_a_next_link_that_is_no_url_ends_the_search_quietly(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        search = client.search("BadLink", [])
        assert not client.same_origin("http://[::1/STU3/BadLink") and client.same_origin(f"{server.base_url}/Patient")
    assert len(search.exchanges) == 1


def test_a_request_that_cannot_be_built_is_an_exchange_with_an_error(server: EmbeddedServer) -> None:
    """A value mined from a server's record may be text that is not text (a lone surrogate): no request, no crash."""
    recorded: list[Exchange] = []
    with FhirClient(server.base_url, record=recorded.append) as client:
        exchange = client.send("GET", "echo", params=[("family", "\ud800")])
    assert recorded == [exchange] and exchange.response is None
    assert exchange.error is not None and exchange.error.startswith("the request could not be built")
    exchange.to_json().encode("utf-8")


def test_credentials_a_request_carries_are_redacted_wherever_the_server_echoes_them(server: EmbeddedServer) -> None:
    basic = base64.b64encode(b"client:a s3cret/+&").decode()
    with FhirClient(server.base_url) as client:
        exchange = client.send("GET", "echo", headers=[("Authorization", f"Basic {basic}")])
    assert exchange.response is not None
    assert basic.encode() not in exchange.response.body and REDACTED.encode() in exchange.response.body
    assert exchange.request.header("authorization") == f"Basic {REDACTED}"
