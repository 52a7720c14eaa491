"""TLS probes against real TLS servers: what is refused, what completes, what the certificate says, all as exchanges."""

from __future__ import annotations

import dataclasses
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carecheck.http import CERTIFICATE_REFUSED, HANDSHAKE_REFUSED, NO_CONNECTION, NOT_OFFERED, TlsOffer, probe_certificate, probe_tls, trust_store
from carecheck.refserver import EmbeddedServer, ServerTls
from tests.hostile import TricklingFront

pytestmark = pytest.mark.e2e

TLS1_0 = TlsOffer("TLS 1.0 only", ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1, "DEFAULT:@SECLEVEL=0")
MODERN = TlsOffer("TLS 1.2 or higher", ssl.TLSVersion.TLSv1_2)
ANONYMOUS = TlsOffer("anonymous suites only", ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2, "aNULL:@SECLEVEL=0")


async def metadata(request: Request) -> JSONResponse:
    return JSONResponse({"resourceType": "CapabilityStatement"}, headers={"X-Scheme": request.url.scheme})


APP = Starlette(routes=[Route("/STU3/metadata", metadata)])


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> ServerTls:
    return ServerTls.generate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def strong(certificates: ServerTls) -> Iterator[str]:
    with EmbeddedServer(APP, tls=certificates) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def weak(certificates: ServerTls) -> Iterator[str]:
    old = dataclasses.replace(certificates, minimum_version=ssl.TLSVersion.TLSv1, ciphers="ALL:@SECLEVEL=0")
    with EmbeddedServer(APP, tls=old) as server:
        yield server.base_url


def test_a_modern_handshake_completes_and_the_answer_is_recorded(strong: str) -> None:
    exchange = probe_tls(strong, MODERN, exchange_id="007", timeout=5)
    assert exchange.id == "007" and exchange.error is None
    assert exchange.response is not None and exchange.response.status == 200
    assert exchange.response.header("strict-transport-security") == "max-age=31536000"
    assert exchange.request.url == f"{strong}/metadata"
    assert exchange.notes[0] == "tls: offered TLS 1.2 or higher" and exchange.notes[1].startswith("tls: negotiated TLSv1.")


def test_old_versions_and_weak_suites_are_refused_by_a_strong_server(strong: str) -> None:
    for offer in (TLS1_0, ANONYMOUS):
        exchange = probe_tls(strong, offer, exchange_id="001", timeout=5)
        assert exchange.response is None and (exchange.error or "").startswith(HANDSHAKE_REFUSED), exchange.error


def test_a_weak_server_completes_them(weak: str) -> None:
    exchange = probe_tls(weak, TLS1_0, exchange_id="001", timeout=5)
    assert exchange.response is not None and "tls: negotiated TLSv1 with" in exchange.notes[1]
    assert probe_tls(weak, ANONYMOUS, exchange_id="001", timeout=5).response is not None


def test_what_this_machine_cannot_offer_is_not_sent(strong: str) -> None:
    exchange = probe_tls(strong, TlsOffer("nothing", ciphers="NO-SUCH-CIPHER"), exchange_id="001", timeout=5)
    assert (exchange.error or "").startswith(NOT_OFFERED)


def test_the_certificate_is_verified_and_described(strong: str, certificates: ServerTls) -> None:
    trusted = probe_certificate(strong, trust_store(certificates.ca_certificate), exchange_id="001", timeout=5)
    assert trusted.response is not None
    assert any(note.startswith("tls: certificate subject ") and "IP Address:127.0.0.1" in note for note in trusted.notes)
    untrusted = probe_certificate(strong, trust_store(), exchange_id="001", timeout=5)
    assert untrusted.response is None and (untrusted.error or "").startswith(CERTIFICATE_REFUSED)


def test_no_server_is_no_connection(tmp_path: Path) -> None:
    exchange = probe_tls("https://127.0.0.1:1/STU3", MODERN, exchange_id="001", timeout=2)
    assert (exchange.error or "").startswith(NO_CONNECTION)


def test_a_server_trickling_its_answer_is_cut_off_at_the_probe_s_deadline(certificates: ServerTls) -> None:
    """The handshake completes, then the status line comes a byte every 0.2 s: the probe ends at its 1 s deadline."""
    with EmbeddedServer(APP) as backend, TricklingFront(backend.port, "/STU3/metadata", 0.2, tls=certificates.context()) as front:
        started = time.monotonic()
        exchange = probe_tls(front.base_url, MODERN, exchange_id="001", timeout=1)
        elapsed = time.monotonic() - started
    assert exchange.response is None and 0.9 <= elapsed < 2.2
    assert exchange.error == "the handshake completed but the request failed: no complete answer within 1 s, the deadline of every exchange"
    assert exchange.notes[1].startswith("tls: negotiated TLSv1.")
