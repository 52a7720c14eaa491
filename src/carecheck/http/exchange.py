"""The Exchange: one HTTP request and its response, recorded whole, as everything is judged from it."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exchange", "RecordedRequest", "RecordedResponse"]

Headers = tuple[tuple[str, str], ...]


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def _body_to_data(body: bytes) -> dict[str, str]:
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}


def _body_from_data(data: dict[str, str]) -> bytes:
    if "base64" in data:
        return base64.b64decode(data["base64"])
    return data.get("text", "").encode("utf-8")


@dataclass(frozen=True)
class RecordedRequest:
    """The request as sent, secrets already redacted."""

    method: str
    url: str
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def line(self) -> str:
        """`GET http://host/STU3/Patient?...`, the form failure messages quote."""
        return f"{self.method} {self.url}"

    def to_data(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": [list(pair) for pair in self.headers],
            "body": _body_to_data(self.body),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RecordedRequest:
        return cls(
            method=data["method"],
            url=data["url"],
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", [])),
            body=_body_from_data(data.get("body", {})),
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

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (empty when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    def to_data(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "http_version": self.http_version,
            "headers": [list(pair) for pair in self.headers],
            "body": _body_to_data(self.body),
            "truncated": self.truncated,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RecordedResponse:
        return cls(
            status=int(data["status"]),
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", [])),
            body=_body_from_data(data.get("body", {})),
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
        """The JSON body of a 200 answer, or None (no answer, another status, or not JSON)."""
        if self.response is None or self.response.status != 200:
            return None
        try:
            return json.loads(self.response.body)
        except ValueError:
            return None

    def describe(self) -> str:
        """One line for messages: request line and what came back."""
        outcome = f"{self.response.status}" if self.response else f"no response ({self.error})"
        return f"{self.request.line} -> {outcome}"

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "request": self.request.to_data(),
            "response": self.response.to_data() if self.response else None,
            "error": self.error,
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Exchange:
        response = data.get("response")
        return cls(
            id=str(data["id"]),
            request=RecordedRequest.from_data(data["request"]),
            response=RecordedResponse.from_data(response) if response else None,
            started=str(data.get("started", "")),
            elapsed_ms=float(data.get("elapsed_ms", 0.0)),
            error=data.get("error"),
            notes=tuple(data.get("notes", ())),
        )
