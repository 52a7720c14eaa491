"""A fault-injecting wrapper around any ASGI app: the tests' own broken Care Connect servers.

Each fault mimics a real server bug the harness must catch: a search parameter silently ignored,
a not-found answered as 200, an error sent without its OperationOutcome.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Faults:
    app: ASGIApp
    ignore_params: frozenset[str] = frozenset()
    """Search parameters dropped from the query before the server sees them."""
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
        if scope["path"] in self.stall:
            await asyncio.sleep(self.stall[scope["path"]])
        if self.ignore_params:
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if k.split(":")[0] not in self.ignore_params]
            scope = {**scope, "query_string": urlencode(kept).encode("latin-1")}
        stripping = False

        async def faulty_send(message: Message) -> None:
            nonlocal stripping
            if message["type"] == "http.response.start":
                status = message["status"]
                stripping = self.strip_error_bodies and status >= 400
                headers = [(k, v) for k, v in message.get("headers", []) if not (stripping and k.lower() == b"content-length")]
                if stripping:
                    headers.append((b"content-length", b"0"))
                message = {**message, "status": self.status_map.get(status, status), "headers": headers}
            elif message["type"] == "http.response.body" and stripping:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, faulty_send)
