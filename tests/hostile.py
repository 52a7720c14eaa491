"""Hostile answers a real server could give, injected on one path of the reference app: the tests' own hostile server.

Each behaviour replaces the answer to requests on `path`; everything else is the reference server's own.
`TricklingFront` is a TCP front that trickles a status line and headers (no ASGI server can), and
`Echoing` wraps the whole app to echo every credential a client sends.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import ssl
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Behaviour = Callable[[Scope, Send], Awaitable[None]]
JSON = [(b"content-type", b"application/fhir+json")]


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] = JSON) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def never_answers(scope: Scope, send: Send) -> None:
    await asyncio.sleep(3600)


async def one_byte_a_second(scope: Scope, send: Send) -> None:
    body = json.dumps({"resourceType": "Patient", "id": "slow"}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [*JSON, (b"content-length", str(len(body)).encode())]})
    for byte in body:
        await send({"type": "http.response.body", "body": bytes([byte]), "more_body": True})
        await asyncio.sleep(1)


async def closes_mid_body(scope: Scope, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [*JSON, (b"content-length", b"5000")]})
    await send({"type": "http.response.body", "body": b'{"resourceType": "Patient", "id": "cut', "more_body": True})
    raise ConnectionAbortedError("the hostile server hangs up mid-body")


async def fifty_megabytes(scope: Scope, send: Send) -> None:
    chunk = b" " * (1024 * 1024)
    await send({"type": "http.response.start", "status": 200, "headers": [*JSON, (b"content-length", str(50 * len(chunk)).encode())]})
    for _ in range(50):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def invalid_json(scope: Scope, send: Send) -> None:
    await _respond(send, 200, b'{"resourceType": "Patient", "id": ')


async def invalid_xml(scope: Scope, send: Send) -> None:
    await _respond(send, 200, b'<Patient xmlns="http://hl7.org/fhir"><id value="x"/></Pat', [(b"content-type", b"application/fhir+xml")])


async def json_declared_xml_sent(scope: Scope, send: Send) -> None:
    await _respond(send, 200, b'<Patient xmlns="http://hl7.org/fhir"><id value="2f88064f-8dc3-4763-af75-94faf6b08b18"/></Patient>')


def redirect_to(location: str) -> Behaviour:
    async def redirect(scope: Scope, send: Send) -> None:
        await _respond(send, 302, b"", [(b"location", location.encode())])

    return redirect


async def redirect_loop(scope: Scope, send: Send) -> None:
    await _respond(send, 302, b"", [(b"location", scope["path"].encode())])


async def pages_forever(scope: Scope, send: Send) -> None:
    query = dict(pair.split("=", 1) for pair in scope["query_string"].decode().split("&") if "=" in pair)
    page = int(query.get("page", "1"))
    host = dict(scope["headers"]).get(b"host", b"").decode()
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [
            {"relation": "self", "url": f"http://{host}{scope['path']}?page={page}"},
            {"relation": "next", "url": f"http://{host}{scope['path']}?page={page + 1}"},
        ],
        "entry": [],
    }
    await _respond(send, 200, json.dumps(bundle).encode())


async def huge_total(scope: Scope, send: Send) -> None:
    await _respond(send, 200, json.dumps({"resourceType": "Bundle", "type": "searchset", "total": 10**12, "entry": []}).encode())


@dataclass
class Hostile:
    """The reference app, except that requests on `path` get the hostile `behaviour`."""

    app: ASGIApp
    path: str
    behaviour: Behaviour

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path:
            await self.behaviour(scope, send)
            return
        await self.app(scope, receive, send)


def encoded(body: bytes, coding: str) -> Behaviour:
    """A 200 whose body is already encoded: a decompression bomb when `body` inflates to gigabytes."""

    async def bomb(scope: Scope, send: Send) -> None:
        await _respond(send, 200, body, [*JSON, (b"content-encoding", coding.encode())])

    return bomb


def gzip_bomb(gigabytes: int = 1) -> bytes:
    """About 1 MB of gzip per gigabyte of zeros it inflates to (zlib's RLE strategy makes it in ~2 s a gigabyte)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16, 9, zlib.Z_RLE)
    zeros = bytes(1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(1024 * gigabytes)) + compressor.flush()


def answer(body: bytes, media_type: bytes = b"application/fhir+json") -> Behaviour:
    """A 200 with exactly these bytes."""

    async def fixed(scope: Scope, send: Send) -> None:
        await _respond(send, 200, body, [(b"content-type", media_type)])

    return fixed


def deep_bundle(levels: int) -> bytes:
    """A searchset Bundle whose entry nests `levels` arrays deep."""
    return b'{"resourceType": "Bundle", "type": "searchset", "entry": ' + b"[" * levels + b"]" * levels + b"}"


def deep_xml_patient(levels: int) -> bytes:
    """A FHIR XML Patient whose extension nests `levels` extensions deep."""
    opening = b'<extension url="http://example.org/deep">' * levels
    return b'<Patient xmlns="http://hl7.org/fhir"><id value="deep"/>' + opening + b"</extension>" * levels + b"</Patient>"


class TricklingFront:
    """A TCP front for a backend on loopback: requests for `path` get a status line and headers one byte every
    `interval` seconds, forever; every other request is passed to the backend (one request per connection).
    With `tls` (a server context) the front speaks HTTPS."""

    def __init__(self, backend_port: int, path: str, interval: float = 0.5, *, tls: ssl.SSLContext | None = None) -> None:
        self.backend_port, self.path, self.interval, self._tls = backend_port, path, interval, tls
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()

    @property
    def base_url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}/STU3"

    def __enter__(self) -> TricklingFront:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopped.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        if self._tls is not None:
            try:
                connection = self._tls.wrap_socket(connection, server_side=True)
            except OSError:
                connection.close()
                return
        with connection:
            head, rest = self._request_head(connection)
            if head is None:
                return
            target = head.split(b" ", 2)[1].decode("latin-1") if head.count(b" ") >= 2 else ""
            if target.split("?", 1)[0] == self.path:
                self._trickle(connection)
            else:
                self._pass(connection, head, rest)

    @staticmethod
    def _request_head(connection: socket.socket) -> tuple[bytes | None, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None, b""
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
        while len(rest) < length:
            rest += connection.recv(65536)
        return head, rest

    def _trickle(self, connection: socket.socket) -> None:
        lines = itertools.chain(
            [b"HTTP/1.1 200 OK\r\n", b"Content-Type: application/fhir+json\r\n"], (f"X-Slow-{n}: {'x' * 40}\r\n".encode() for n in itertools.count())
        )
        try:
            for byte in itertools.chain.from_iterable(lines):
                if self._stopped.wait(self.interval):
                    return
                connection.sendall(bytes([byte]))
        except OSError:
            return  # the client gave up

    def _pass(self, connection: socket.socket, head: bytes, body: bytes) -> None:
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        with socket.create_connection(("127.0.0.1", self.backend_port)) as backend:
            backend.sendall(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
            while chunk := backend.recv(65536):
                connection.sendall(chunk)


@dataclass
class Echoing:
    """The reference app, echoing every request's credentials: `Authorization` in an `X-Echo-Authorization` header
    of each answer and in the token response's body (with the form the client posted), and a session cookie."""

    app: ASGIApp
    cookie: bytes = b"sessionid=server-session-7f3a9c0e41d2b8a6; Path=/; HttpOnly"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = dict(scope["headers"]).get(b"authorization", b"")
        token_endpoint = scope["path"].endswith("/token")
        posted = bytearray()
        started: dict[str, Any] = {}
        body = bytearray()

        async def receiving() -> Message:
            message = await receive()
            posted.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-length" or not token_endpoint]
                started.update(message, headers=[*headers, (b"x-echo-authorization", authorization), (b"set-cookie", self.cookie)])
                if not token_endpoint:
                    await send(started)
                return
            if not token_endpoint:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            document = json.loads(body) if body else {}
            document.update(echo_authorization=authorization.decode("latin-1"), echo_form=posted.decode("latin-1"))
            echoed = json.dumps(document).encode()
            await send({**started, "headers": [*started["headers"], (b"content-length", str(len(echoed)).encode())]})
            await send({"type": "http.response.body", "body": echoed})

        await self.app(scope, receiving, sending)


@dataclass
class Rewriting:
    """The reference app, its JSON answers on `path` rewritten by `rewrite` (a bigger, or a broken, version of the real one)."""

    app: ASGIApp
    path: str
    rewrite: Callable[[Any], Any]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        started: dict[str, Any] = {}
        body = bytearray()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            rewritten = json.dumps(self.rewrite(json.loads(body))).encode()
            headers = [(k, v) for k, v in started["headers"] if k.lower() != b"content-length"]
            await send({**started, "headers": [*headers, (b"content-length", str(len(rewritten)).encode())]})
            await send({"type": "http.response.body", "body": rewritten})

        await self.app(scope, receive, sending)
