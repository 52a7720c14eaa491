"""Tests for carecheck.refserver.one_write: a response leaves in one write, a streamed one part by part."""

from __future__ import annotations

import asyncio
import socket
import struct

import pytest
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from carecheck.refserver import EmbeddedServer
from carecheck.refserver.one_write import OneWriteProtocol

BODY = b'{"resourceType":"Patient","id":"p1"}' * 40
_DATA_SEGS_IN = 152
"""Offset of ``tcpi_data_segs_in`` in Linux's ``struct tcp_info``: TCP segments with data a socket received."""


async def _whole(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})


async def _streamed(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]})
    await send({"type": "http.response.body", "body": b"first", "more_body": True})
    await asyncio.sleep(0.05)
    await send({"type": "http.response.body", "body": b"later"})


def _segments_of_a_response(port: int, ending: bytes) -> tuple[int, bytes]:
    """How many TCP segments with data a GET's answer came in (on loopback), and the answer."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        found = b""
        while not found.endswith(ending):
            found += sock.recv(65536)
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        (segments,) = struct.unpack_from("I", info, _DATA_SEGS_IN)
    return segments, found


pytestmark = pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="counts segments with Linux's TCP_INFO")


def test_the_head_and_body_of_a_response_leave_in_one_segment() -> None:
    with EmbeddedServer(_whole) as server:
        segments, found = _segments_of_a_response(server.port, BODY)
    assert found.startswith(b"HTTP/1.1 200 OK\r\n") and found.endswith(b"\r\n\r\n" + BODY)
    assert segments == 1


def test_uvicorns_own_protocol_writes_them_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: without OneWriteProtocol the same answer takes two segments, so the count can tell."""
    monkeypatch.setattr("carecheck.refserver.embedded.OneWriteProtocol", HttpToolsProtocol)
    with EmbeddedServer(_whole) as server:
        assert _segments_of_a_response(server.port, BODY)[0] == 2


def test_a_body_sent_in_parts_over_time_still_leaves_part_by_part() -> None:
    with EmbeddedServer(_streamed) as server:
        segments, found = _segments_of_a_response(server.port, b"firstlater")
    assert found.endswith(b"\r\n\r\nfirstlater")
    assert segments == 2  # head and first part together; the later part when it is written


def test_it_is_uvicorns_own_protocol() -> None:
    assert issubclass(OneWriteProtocol, HttpToolsProtocol)
