"""A delaying TCP proxy for the benchmarks: a server as if behind a network, `delay` seconds a request.

Each connection is relayed byte for byte to the upstream server; the first bytes a client sends after the server
last answered on that connection (a new HTTP request) wait `delay` seconds before they are relayed, the rest of that
request and the answer none. Nagle's algorithm is off on both sides (TCP_NODELAY): otherwise the delayed ACK of a
response's header write stalls its body write by up to 40 ms, and that, not the delay, would be measured. It counts
the requests it relayed, the most that waited for an answer at once, and their start times (for a rate).
Runs its own event loop in a thread: `with DelayingProxy(port, 0.05) as proxy: ... proxy.port`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

__all__ = ["DelayingProxy", "ProxyCounts"]

_CHUNK = 65536


@dataclass
class ProxyCounts:
    requests: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    started: list[float] = field(default_factory=list)
    no_delay: list[bool] = field(default_factory=list)
    """TCP_NODELAY as read back from each socket the proxy relayed through (both sides of every connection)."""

    def begin(self) -> None:
        self.requests += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.started.append(time.monotonic())

    def end(self) -> None:
        self.in_flight -= 1

    def busiest_second(self) -> int:
        """The most requests that started within any one second."""
        times, most, first = sorted(self.started), 0, 0
        for last, moment in enumerate(times):
            while moment - times[first] >= 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most


def _no_delay(writer: asyncio.StreamWriter) -> bool:
    """Turn Nagle's algorithm off on the writer's socket; whether it is off."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


class DelayingProxy:
    def __init__(self, upstream_port: int, delay: float, *, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.delay = delay
        self.counts = ProxyCounts()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def reset(self) -> ProxyCounts:
        """The counts so far, and zero from now on."""
        counts, self.counts = self.counts, ProxyCounts()
        return counts

    def __enter__(self) -> DelayingProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delaying proxy did not start")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.counts.no_delay.append(_no_delay(client_writer))
        self._writers.add(client_writer)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            self._writers.discard(client_writer)
            return
        self._writers.add(upstream_writer)
        self.counts.no_delay.append(_no_delay(upstream_writer))
        waiting = [False]  # a request was relayed and its answer has not begun

        async def requests() -> None:
            while data := await client_reader.read(_CHUNK):
                if not waiting[0]:
                    waiting[0] = True
                    self.counts.begin()
                    await asyncio.sleep(self.delay)
                upstream_writer.write(data)
                await upstream_writer.drain()
            upstream_writer.close()

        async def answers() -> None:
            while data := await upstream_reader.read(_CHUNK):
                if waiting[0]:
                    waiting[0] = False
                    self.counts.end()
                client_writer.write(data)
                await client_writer.drain()
            client_writer.close()

        try:
            await asyncio.gather(requests(), answers())
        except (ConnectionError, OSError):
            pass
        finally:
            if waiting[0]:
                self.counts.end()
            for writer in (client_writer, upstream_writer):
                writer.close()
                self._writers.discard(writer)
