"""uvicorn's HTTP/1.1 protocol with each response leaving in one write: status line, headers and body together.

uvicorn writes a response's head and its body as two writes. The accepted sockets have Nagle's algorithm off
(see ``embedded._listening_socket``), so each write is a TCP segment of its own and a wake-up of the client:
on loopback about a tenth of the reference server's CPU time per request, and as much again of the client's.
``OneWriteProtocol`` hands uvicorn a transport that keeps what is written during one turn of the event loop
and passes it on as one write at the end of that turn. The bytes and their order are unchanged; a body sent
in parts over several turns (streaming) still leaves part by part.
"""

from __future__ import annotations

import asyncio
from typing import Any

try:  # the protocol uvicorn itself chooses ("auto"): httptools when installed, else h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _UvicornProtocol
except ImportError:  # pragma: no cover - httptools is a dependency; h11 is uvicorn's fallback
    from uvicorn.protocols.http.h11_impl import H11Protocol as _UvicornProtocol  # type: ignore[assignment]  # h11's protocol class under the same name

__all__ = ["OneWriteProtocol"]


class _TurnWrites:
    """A transport that passes each event-loop turn's writes on to ``transport`` as one write; all else as is."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(len(data) for data in self._pending)

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading...
        return getattr(self._transport, name)


class OneWriteProtocol(_UvicornProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools, else h11) over a transport that writes once per event-loop turn."""

    # As in uvicorn's own protocols: asyncio declares the transport a BaseTransport, the HTTP protocols need a Transport;
    # and _TurnWrites stands in for the Transport by delegation (__getattr__), not by inheritance.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_TurnWrites(transport, asyncio.get_running_loop()))  # type: ignore[arg-type]
