"""The Exchange: one HTTP request and its response, recorded whole, as everything is judged from it."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from carecheck.http.untrusted import UnreadableBody, parse_json

__all__ = ["BodyLoader", "BodyStore", "Exchange", "RecordedRequest", "RecordedResponse"]

Headers = tuple[tuple[str, str], ...]
BodyStore = Callable[[bytes], dict[str, Any] | None]
"""Keeps a body elsewhere (the evidence pack's content-addressed bodies) and gives its reference, or None to inline it."""
BodyLoader = Callable[[dict[str, Any]], bytes]
"""The body a reference made by a `BodyStore` stands for."""


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def _size(body: bytes) -> str:
    """A body in a repr: its size, never its bytes (Allure records step arguments by repr; a 20 MB body would be 80 MB there)."""
    return f"body of {len(body)} bytes"


def _body_to_data(body: bytes, store: BodyStore | None) -> dict[str, Any]:
    """The body as stored: a reference from `store`, else UTF-8 text (JSON escapes NUL and control characters), else base64."""
    stored = store(body) if store is not None and body else None
    if stored is not None:
        return stored
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}


def _body_from_data(data: dict[str, Any], load: BodyLoader | None) -> bytes:
    if "base64" in data:
        return base64.b64decode(data["base64"])
    if "text" in data or not data:
        return str(data.get("text", "")).encode("utf-8")
    if load is None:
        raise ValueError(f"the body is stored apart ({data}); read the exchange with its evidence pack")
    return load(data)


@dataclass(frozen=True)
class RecordedRequest:
    """The request as sent, secrets already redacted."""

    method: str
    url: str
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def __repr__(self) -> str:
        return f"RecordedRequest({self.method} {self.url}, {len(self.headers)} headers, {_size(self.body)})"

    @property
    def line(self) -> str:
        """`GET http://host/STU3/Patient?...`, the form failure messages quote."""
        return f"{self.method} {self.url}"

    def to_data(self, store: BodyStore | None = None) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": [list(pair) for pair in self.headers],
            "body": _body_to_data(self.body, store),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], load: BodyLoader | None = None) -> RecordedRequest:
        return cls(
            method=data["method"],
            url=data["url"],
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", [])),
            body=_body_from_data(data.get("body", {}), load),
        )


@dataclass(frozen=True)
class RecordedResponse:
    """The response as received, secrets already redacted. `truncated` marks a body cut at the size cap."""

    status: int
    headers: Headers = ()
    body: bytes = b""
    http_version: str = "HTTP/1.1"
    truncated: bool = False

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def __repr__(self) -> str:
        cut = ", truncated" if self.truncated else ""
        return f"RecordedResponse({self.status}, {len(self.headers)} headers, {_size(self.body)}{cut})"

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (empty when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    def to_data(self, store: BodyStore | None = None) -> dict[str, Any]:
        return {
            "status": self.status,
            "http_version": self.http_version,
            "headers": [list(pair) for pair in self.headers],
            "body": _body_to_data(self.body, store),
            "truncated": self.truncated,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], load: BodyLoader | None = None) -> RecordedResponse:
        return cls(
            status=int(data["status"]),
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", [])),
            body=_body_from_data(data.get("body", {}), load),
            http_version=data.get("http_version", "HTTP/1.1"),
            truncated=bool(data.get("truncated", False)),
        )


@dataclass(frozen=True)
class Exchange:
    """One request and its response (or the transport error that stopped it), with timing.

    `id` is unique within a scenario (`001`, `002`, ...); the evidence writer names files after it.
    """

    id: str
    request: RecordedRequest
    response: RecordedResponse | None
    started: str
    elapsed_ms: float
    error: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def status(self) -> int | None:
        return self.response.status if self.response else None

    def ok_json(self) -> Any:
        """The JSON body of a 200 answer, or None (no answer, another status, a body the client marked unreadable, or not JSON)."""
        if self.response is None or self.response.status != 200 or self.error:
            return None
        try:
            return parse_json(self.response.body)
        except UnreadableBody:
            return None

    def describe(self) -> str:
        """One line for messages: request line and what came back."""
        outcome = f"{self.response.status}" if self.response else f"no response ({self.error})"
        return f"{self.request.line} -> {outcome}"

    def to_data(self, store: BodyStore | None = None) -> dict[str, Any]:
        """The exchange as JSON data; bodies inline, or kept by `store` and referred to."""
        return {
            "id": self.id,
            "started": self.started,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "request": self.request.to_data(store),
            "response": self.response.to_data(store) if self.response else None,
            "error": self.error,
            "notes": list(self.notes),
        }

    def to_json(self, store: BodyStore | None = None) -> str:
        """The exchange as JSON text that always encodes as UTF-8 (a lone surrogate a server sent stays escaped)."""
        text = json.dumps(self.to_data(store), ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(self.to_data(store), ensure_ascii=True)
        return text

    @classmethod
    def from_data(cls, data: dict[str, Any], load: BodyLoader | None = None) -> Exchange:
        """The exchange `to_data` gave; `load` reads the bodies a store kept apart."""
        response = data.get("response")
        return cls(
            id=str(data["id"]),
            request=RecordedRequest.from_data(data["request"], load),
            response=RecordedResponse.from_data(response, load) if response else None,
            started=str(data.get("started", "")),
            elapsed_ms=float(data.get("elapsed_ms", 0.0)),
            error=data.get("error"),
            notes=tuple(data.get("notes", ())),
        )
