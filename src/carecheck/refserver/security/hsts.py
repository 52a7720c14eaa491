"""HTTP Strict Transport Security: every answer given over HTTPS tells clients to use nothing else (RFC 6797).

The header is added only to answers on a secure connection, as RFC 6797 §7.2 requires; a server
answering plain HTTP sends none.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["StrictTransport"]


class StrictTransport:
    """ASGI middleware adding ``Strict-Transport-Security: max-age=N`` to answers over HTTPS."""

    def __init__(self, app: ASGIApp, max_age: int) -> None:
        if max_age <= 0:
            raise ValueError(f"max_age must be a positive number of seconds, not {max_age}")
        self._app = app
        self._header = (b"strict-transport-security", f"max-age={max_age}".encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self._app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self._header]}
            await send(message)

        await self._app(scope, receive, send_with_hsts)
