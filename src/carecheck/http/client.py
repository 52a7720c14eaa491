"""The FHIR client the steps use: sends requests with httpx, records every exchange, never raises on a bad server."""

from __future__ import annotations

import dataclasses
import json
import ssl
import time
from xml.etree import ElementTree
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import count
from types import TracebackType

import httpx

from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.interaction import Interaction
from carecheck.http.politeness import Pacer, retry_after
from carecheck.http.redaction import Redactor
from carecheck.http.tokens import token_note

__all__ = ["FHIR_JSON", "FHIR_XML", "FhirClient", "shared_http_client"]

FHIR_JSON = "application/fhir+json"
FHIR_XML = "application/fhir+xml"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50

Recorder = Callable[[Exchange], None]


def _ignore(_: Exchange) -> None:
    return None


def shared_http_client(
    *, timeout: float | httpx.Timeout = 30.0, transport: httpx.BaseTransport | None = None, verify: ssl.SSLContext | None = None
) -> httpx.Client:
    """The connection pool FhirClients can share: building one (TLS trust store included) costs ~20 ms.

    It sends no `Accept` or `Authorization` of its own: each FhirClient adds those per request.
    `verify` is the trust store (see `trust_store`); certificates are verified either way.
    """
    return httpx.Client(
        headers={"User-Agent": "carecheck"}, timeout=timeout, follow_redirects=False, transport=transport, verify=verify or True
    )


class FhirClient:
    """Talks to one FHIR base URL and hands every exchange to `record` as soon as it completes.

    Transport failures, oversized or slow bodies become exchanges with an `error`, so a hostile
    server produces evidence and findings, not exceptions. Secrets are redacted before recording;
    `authorize` gives the `Authorization` header for each request (a token provider's, renewed as needed).
    """

    def __init__(
        self,
        base_url: str,
        *,
        record: Recorder = _ignore,
        redactor: Redactor | None = None,
        authorize: Callable[[], str | None] | None = None,
        timeout: float = 30.0,
        accept: str = FHIR_JSON,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_pages: int = MAX_PAGES,
        transport: httpx.BaseTransport | None = None,
        http: httpx.Client | None = None,
        verify: ssl.SSLContext | None = None,
        pacer: Pacer | None = None,
        retries: int = 0,
        max_retry_wait: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._record = record
        self.redactor = redactor or Redactor()
        self._timeout = timeout
        self._max_body_bytes = max_body_bytes
        self._max_pages = max_pages
        self._ids = count(1)
        self._authorize = authorize
        self._accept = accept
        self._owns_http = http is None
        self._http = http or shared_http_client(timeout=timeout, transport=transport, verify=verify)
        self._token_notes: tuple[str, str | None] = ("", None)
        self._pacer = pacer or Pacer()
        self._retries = retries
        self._max_retry_wait = max_retry_wait

    def __enter__(self) -> FhirClient:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def url(self, path: str) -> str:
        """An absolute URL for a path relative to the base (`Patient/1`, `metadata`)."""
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        headers: Sequence[tuple[str, str]] = (),
        content: bytes = b"",
        notes: Sequence[str] = (),
        authorize: bool = True,
    ) -> Exchange:
        """Send one request and record it; never raises for anything the server does.

        The token provider's `Authorization` is added unless `headers` brings its own (forged tokens)
        or `authorize` is False (a request that must carry no token); `notes` are recorded with the
        exchange (what was forged, and why).
        """
        return self.send_private(method, path, params=params, headers=headers, content=content, notes=notes, authorize=authorize)[0]

    def send_private(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        headers: Sequence[tuple[str, str]] = (),
        content: bytes = b"",
        notes: Sequence[str] = (),
        authorize: bool = True,
    ) -> tuple[Exchange, bytes]:
        """Like `send`, and also the response body as received, unredacted: for token responses, whose
        secrets the recording hides. The raw body is never recorded.

        An idempotent request the server asks to repeat (429, 503) or that never got an answer is sent
        again up to `retries` times; every attempt is recorded, each saying which attempt it was.
        """
        attempt = 1
        while True:
            self._pacer.wait()
            exchange, raw = self._attempt(method, path, params, headers, content, notes, authorize)
            wait = retry_after(exchange, attempt, max_wait=self._max_retry_wait) if attempt <= self._retries else None
            if wait is None:
                return exchange, raw
            notes = (*notes, f"attempt {attempt} answered {exchange.status or exchange.error}; retried after {wait:g} s")
            time.sleep(wait)
            attempt += 1

    def _attempt(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]],
        headers: Sequence[tuple[str, str]],
        content: bytes,
        notes: Sequence[str],
        authorize: bool,
    ) -> tuple[Exchange, bytes]:
        sent = list(headers)
        if not any(name.lower() == "accept" for name, _ in sent):
            sent.append(("Accept", self._accept))
        if authorize and self._authorize and not any(name.lower() == "authorization" for name, _ in sent):
            authorization = self._authorize()
            if authorization:
                sent.append(("Authorization", authorization))
        request = self._http.build_request(method, self.url(path), params=list(params) or None, headers=sent, content=content or None)
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        clock = time.perf_counter()
        response: RecordedResponse | None = None
        error: str | None = None
        raw = b""
        try:
            response, raw, error = self._receive(request, clock)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        exchange = Exchange(
            id=f"{next(self._ids):03d}",
            request=RecordedRequest(
                method=request.method,
                url=self.redactor.text(str(request.url)),
                headers=self.redactor.headers(request.headers.multi_items()),
                body=self.redactor.body(content),
            ),
            response=response,
            started=started,
            elapsed_ms=(time.perf_counter() - clock) * 1000,
            error=self.redactor.text(error) if error else None,
            notes=tuple(self.redactor.text(note) for note in (*notes, *self._token_note(sent))),
        )
        self._record(exchange)
        return exchange, raw

    def record(self, exchange: Exchange) -> Exchange:
        """Record an exchange made another way (a TLS handshake probe), numbered among this client's own."""
        numbered = dataclasses.replace(exchange, id=f"{next(self._ids):03d}")
        self._record(numbered)
        return numbered

    def _token_note(self, headers: Sequence[tuple[str, str]]) -> tuple[str, ...]:
        """The decoded token the request carried (see `token_note`), worked out once per token."""
        authorization = next((value for name, value in headers if name.lower() == "authorization"), None)
        if authorization is None:
            return ()
        if self._token_notes[0] != authorization:
            self._token_notes = (authorization, token_note(authorization))
        note = self._token_notes[1]
        return (note,) if note else ()

    def _receive(self, request: httpx.Request, clock: float) -> tuple[RecordedResponse, bytes, str | None]:
        body = bytearray()
        error: str | None = None
        reply = self._http.send(request, stream=True)
        try:
            for chunk in reply.iter_bytes():
                body.extend(chunk)
                if len(body) > self._max_body_bytes:
                    error = f"response body larger than {self._max_body_bytes} bytes; cut off"
                    break
                if time.perf_counter() - clock > self._timeout:
                    error = f"response body not complete within {self._timeout:g} s; cut off"
                    break
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__} while reading the body: {exc}"
        finally:
            reply.close()
        recorded = RecordedResponse(
            status=reply.status_code,
            headers=self.redactor.headers(reply.headers.multi_items()),
            body=self.redactor.body(bytes(body)),
            http_version=reply.http_version,
            truncated=error is not None,
        )
        return recorded, bytes(body), error

    def capabilities(self) -> Interaction:
        return Interaction("capabilities", "CapabilityStatement", (self.send("GET", "metadata"),))

    def read(self, resource_type: str, resource_id: str) -> Interaction:
        return Interaction("read", resource_type, (self.send("GET", f"{resource_type}/{resource_id}"),))

    def search(self, resource_type: str, params: Sequence[tuple[str, str]], *, all_pages: bool = True) -> Interaction:
        """Search with GET and, unless told otherwise, follow every `next` link on the same server."""
        pages = [self.send("GET", resource_type, params=params)]
        seen = {pages[0].request.url}
        while all_pages and len(pages) < self._max_pages:
            link = _next_link(pages[-1])
            if link is None or not self._same_origin(link) or self.redactor.text(link) in seen:
                break
            seen.add(self.redactor.text(link))
            pages.append(self.send("GET", link))
        return Interaction("search", resource_type, tuple(pages))

    def _same_origin(self, url: str) -> bool:
        here, there = httpx.URL(self.base_url), httpx.URL(url)
        return (here.scheme, here.host, here.port) == (there.scheme, there.host, there.port)


_FHIR_NS = "{http://hl7.org/fhir}"


def _next_link(exchange: Exchange) -> str | None:
    """The `next` link of a searchset page, in JSON or FHIR XML (None if the page has none or is not a Bundle)."""
    if exchange.response is None or exchange.response.status != 200:
        return None
    if exchange.response.body.lstrip()[:1] == b"<":
        return _next_link_xml(exchange.response.body)
    try:
        bundle = json.loads(exchange.response.body)
    except ValueError:
        return None
    links = bundle.get("link") if isinstance(bundle, dict) else None
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def _next_link_xml(body: bytes) -> str | None:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return None  # never expand entities of a hostile document
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    for link in root.findall(f"{_FHIR_NS}link"):
        relation, url = link.find(f"{_FHIR_NS}relation"), link.find(f"{_FHIR_NS}url")
        if relation is not None and relation.get("value") == "next" and url is not None and url.get("value"):
            return url.get("value")
    return None
