"""Tests for bench/delay_proxy.py, the remote benchmarks' network: each request really waits the delay (once, however
it is split), answers are relayed whole, Nagle's algorithm is off on both of its sockets, and it counts what it saw."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from delay_proxy import DelayingProxy

DELAY = 0.2
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"


class Upstream:
    """A bare keep-alive server: every request (ending in a blank line) gets ANSWER."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        buffer = b""
        with connection:
            while data := connection.recv(4096):
                buffer += data
                while b"\r\n\r\n" in buffer:
                    _, buffer = buffer.split(b"\r\n\r\n", 1)
                    connection.sendall(ANSWER)


@pytest.fixture
def proxy() -> Iterator[tuple[DelayingProxy, Upstream]]:
    upstream = Upstream()
    with DelayingProxy(upstream.port, DELAY) as running:
        yield running, upstream
    upstream.listener.close()


def _receive(connection: socket.socket) -> bytes:
    answer = b""
    while len(answer) < len(ANSWER):
        answer += connection.recv(4096)
    return answer


def test_each_request_waits_the_delay_once_and_gets_its_whole_answer(proxy: tuple[DelayingProxy, Upstream]) -> None:
    running, _ = proxy
    with socket.create_connection(("127.0.0.1", running.port)) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        took = []
        for _ in range(2):
            started = time.perf_counter()
            connection.sendall(b"GET /a HTTP/1.1\r\n")  # one request in two writes: delayed once
            time.sleep(0.05)
            connection.sendall(b"Host: x\r\n\r\n")
            assert _receive(connection) == ANSWER
            took.append(time.perf_counter() - started)
    assert all(DELAY <= seconds < DELAY + 0.05 + 0.15 for seconds in took), took
    assert running.counts.requests == 2 and running.counts.most_in_flight == 1


def test_nagle_is_off_on_both_sides_and_concurrent_requests_are_counted(proxy: tuple[DelayingProxy, Upstream]) -> None:
    running, _ = proxy
    connections = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(3)]
    started = time.perf_counter()
    for connection in connections:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [_receive(connection) for connection in connections] == [ANSWER] * 3
    assert time.perf_counter() - started < 2 * DELAY  # delayed side by side, not one after the other
    for connection in connections:
        connection.close()
    proxied = running.counts
    assert proxied.no_delay == [True] * 6  # both of its sockets of each of the three connections
    assert proxied.requests == 3 and proxied.most_in_flight == 3 and proxied.busiest_second() == 3
