"""Hostile answers a real server could give, injected on one path of the reference app: the tests' own hostile server.

Each behaviour replaces the answer to requests on `path`; everything else is the reference server's own.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

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
