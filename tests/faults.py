"""A fault-injecting wrapper around any ASGI app: the tests' own broken Care Connect servers.

Each fault mimics a real server bug the harness must catch: a search parameter silently ignored or
misread, a not-found answered as 200, an error sent without its OperationOutcome (or as an HTML page),
a response body altered (paging links that loop, a CapabilityStatement that leaves a parameter out, XML
that says something the JSON does not), response headers altered (a HEAD answered unlike its GET), HEAD
refused, a crash on input it should refuse, a write performed.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carecheck.refserver import EmbeddedServer

Query = list[tuple[str, str]]
Headers = list[tuple[bytes, bytes]]


@dataclass
class Faults:
    app: ASGIApp
    ignore_params: frozenset[str] = frozenset()
    """Search parameters dropped from every query before the server sees them."""
    rewrite_query: Mapping[str, Callable[[Query], Query]] = field(default_factory=dict)
    """Per path (`/STU3/Procedure`): the query the server sees instead of the one sent."""
    rewrite_body: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    """Per path: the JSON body sent instead of the server's (XML answers are left alone)."""
    status_map: dict[int, int] = field(default_factory=dict)
    """Statuses rewritten on the way out, e.g. {404: 200}."""
    strip_error_bodies: bool = False
    """Send 4xx/5xx responses with an empty body."""
    stall: dict[str, float] = field(default_factory=dict)
    """Paths answered only after this many seconds."""
    crash_on: Callable[[str, Query], bool] | None = None
    """Requests (path, query) answered with a bare 500 Internal Server Error instead."""
    html_errors_under: tuple[str, ...] = ()
    """Path prefixes whose 4xx/5xx answers become an HTML error page (text/html)."""
    rewrite_xml: Mapping[str, Callable[[bytes], bytes]] = field(default_factory=dict)
    """Per path: the XML body sent instead of the server's (JSON answers are left alone)."""
    accept_writes: bool = False
    """POST (other than _search), PUT, PATCH and DELETE under /STU3/ are answered 200 with the request body, as if performed."""
    rewrite_headers: Mapping[str, Callable[[str, Headers], Headers]] = field(default_factory=dict)
    """Per path: the response headers sent instead of the server's, given the request method."""
    refuse_head_under: tuple[str, ...] = ()
    """Path prefixes where HEAD is refused with 405 Method Not Allowed (a server that does not offer it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in self.stall:
            await asyncio.sleep(self.stall[path])
        pairs: Query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if self.crash_on is not None and self.crash_on(path, pairs):
            await _send_whole(send, _start(500, b"text/plain"), b"Internal Server Error")
            return
        if scope["method"] == "HEAD" and self.refuse_head_under and path.startswith(self.refuse_head_under):
            await _send_whole(send, {**_start(405, b"application/fhir+json"), "headers": [(b"allow", b"GET")]}, b"")
            return
        if self.accept_writes and _is_write(scope["method"], path):
            await _send_whole(send, _start(200, b"application/fhir+json"), await _body(receive))
            return
        pairs = [(k, v) for k, v in pairs if k.split(":")[0] not in self.ignore_params]
        if path in self.rewrite_query:
            pairs = self.rewrite_query[path](pairs)
        scope = {**scope, "query_string": urlencode(pairs).encode("latin-1")}
        header_rewrite = self.rewrite_headers.get(path)
        method = scope["method"]
        body_rewrite = self.rewrite_body.get(path)
        xml_rewrite = self.rewrite_xml.get(path)
        html_errors = path.startswith(self.html_errors_under) if self.html_errors_under else False
        started: Message = {}
        buffered = bytearray()

        async def faulty_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "status": self.status_map.get(status, status)}
                if header_rewrite is not None:
                    message = {**message, "headers": header_rewrite(method, list(message.get("headers", [])))}
                if html_errors and status >= 400:
                    message = {**message, "headers": [*_without(message, b"content-type"), (b"content-type", b"text/html; charset=utf-8")]}
                is_xml = b"xml" in dict(message.get("headers", [])).get(b"content-type", b"")
                if body_rewrite or (xml_rewrite and is_xml) or ((self.strip_error_bodies or html_errors) and status >= 400):
                    started = message
                    return
            elif message["type"] == "http.response.body" and started:
                buffered.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                changed = self._changed(bytes(buffered), started["status"], body_rewrite, xml_rewrite, html_errors)
                await _send_whole(send, started, changed)
                return
            await send(message)

        await self.app(scope, receive, faulty_send)

    def _changed(
        self,
        body: bytes,
        status: int,
        rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None,
        xml_rewrite: Callable[[bytes], bytes] | None,
        html_errors: bool,
    ) -> bytes:
        if self.strip_error_bodies and status >= 400:
            return b""
        if html_errors and status >= 400:
            return f"<!DOCTYPE html><html><head><title>Error {status}</title></head><body><h1>Error {status}</h1></body></html>".encode()
        if xml_rewrite is not None and body.lstrip().startswith(b"<"):
            return xml_rewrite(body)
        if rewrite is None or body.lstrip().startswith(b"<"):
            return body  # a JSON rewrite leaves XML answers alone
        return json.dumps(rewrite(json.loads(body))).encode()


async def _send_whole(send: Send, start: Message, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _start(status: int, media_type: bytes) -> Message:
    return {"type": "http.response.start", "status": status, "headers": [(b"content-type", media_type)]}


def _without(message: Message, name: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in message.get("headers", []) if k.lower() != name]


def _is_write(method: str, path: str) -> bool:
    """A write on the FHIR API (the token endpoint and POST _search are not writes)."""
    if not path.startswith("/STU3/"):
        return False
    return method in ("PUT", "PATCH", "DELETE") or (method == "POST" and not path.endswith("/_search"))


async def _body(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        body.extend(message.get("body", b""))
        if not message.get("more_body"):
            return bytes(body)


def faulty_run(app: ASGIApp, report_dir: Path, *arguments: str) -> dict[str, dict[str, Any]]:
    """`carecheck run` against `app` served on loopback, which must fail (exit 1): its scenarios by id."""
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    summary = json.loads((report_dir / "summary.json").read_text())
    return {scenario["id"]: scenario for scenario in summary["scenarios"]}
