"""A fault-injecting wrapper around any ASGI app: the tests' own broken Care Connect servers.

Each fault mimics a real server bug the harness must catch: a search parameter silently ignored or
misread, a not-found answered as 200, an error sent without its OperationOutcome, a response body
altered (paging links that loop, a CapabilityStatement that leaves a parameter out).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Query = list[tuple[str, str]]


@dataclass
class Faults:
    app: ASGIApp
    ignore_params: frozenset[str] = frozenset()
    """Search parameters dropped from every query before the server sees them."""
    rewrite_query: Mapping[str, Callable[[Query], Query]] = field(default_factory=dict)
    """Per path (`/STU3/Procedure`): the query the server sees instead of the one sent."""
    rewrite_body: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    """Per path: the JSON body sent instead of the server's."""
    status_map: dict[int, int] = field(default_factory=dict)
    """Statuses rewritten on the way out, e.g. {404: 200}."""
    strip_error_bodies: bool = False
    """Send 4xx/5xx responses with an empty body."""
    stall: dict[str, float] = field(default_factory=dict)
    """Paths answered only after this many seconds."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in self.stall:
            await asyncio.sleep(self.stall[path])
        pairs: Query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        pairs = [(k, v) for k, v in pairs if k.split(":")[0] not in self.ignore_params]
        if path in self.rewrite_query:
            pairs = self.rewrite_query[path](pairs)
        scope = {**scope, "query_string": urlencode(pairs).encode("latin-1")}
        body_rewrite = self.rewrite_body.get(path)
        started: Message = {}
        buffered = bytearray()

        async def faulty_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "status": self.status_map.get(status, status)}
                if body_rewrite or (self.strip_error_bodies and status >= 400):
                    started = message
                    return
            elif message["type"] == "http.response.body" and started:
                buffered.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                await _send_whole(send, started, self._changed(bytes(buffered), started["status"], body_rewrite))
                return
            await send(message)

        await self.app(scope, receive, faulty_send)

    def _changed(self, body: bytes, status: int, rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None) -> bytes:
        if self.strip_error_bodies and status >= 400:
            return b""
        if rewrite is None:
            return body
        return json.dumps(rewrite(json.loads(body))).encode()


async def _send_whole(send: Send, start: Message, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
