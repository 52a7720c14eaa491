"""The FHIR client the steps use: sends requests with httpx, records every exchange, never raises on a bad server."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import count
from types import TracebackType

import httpx

from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.interaction import Interaction
from carecheck.http.redaction import Redactor

__all__ = ["FHIR_JSON", "FhirClient", "shared_http_client"]

FHIR_JSON = "application/fhir+json"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50

Recorder = Callable[[Exchange], None]


def _ignore(_: Exchange) -> None:
    return None


def shared_http_client(*, timeout: float = 30.0, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The connection pool FhirClients can share: building one (TLS trust store included) costs ~20 ms.

    It sends no `Accept` or `Authorization` of its own: each FhirClient adds those per request.
    """
    return httpx.Client(headers={"User-Agent": "carecheck"}, timeout=timeout, follow_redirects=False, transport=transport)


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
        self._http = http or shared_http_client(timeout=timeout, transport=transport)

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
    ) -> Exchange:
        """Send one request and record it; never raises for anything the server does.

        The token provider's `Authorization` is added unless `headers` brings its own (forged tokens).
        """
        return self.send_private(method, path, params=params, headers=headers, content=content)[0]

    def send_private(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        headers: Sequence[tuple[str, str]] = (),
        content: bytes = b"",
    ) -> tuple[Exchange, bytes]:
        """Like `send`, and also the response body as received, unredacted: for token responses, whose
        secrets the recording hides. The raw body is never recorded."""
        sent = list(headers)
        if not any(name.lower() == "accept" for name, _ in sent):
            sent.append(("Accept", self._accept))
        authorization = self._authorize() if self._authorize else None
        if authorization and not any(name.lower() == "authorization" for name, _ in sent):
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
        )
        self._record(exchange)
        return exchange, raw

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


def _next_link(exchange: Exchange) -> str | None:
    if exchange.response is None or exchange.response.status != 200:
        return None
    try:
        bundle = json.loads(exchange.response.body)
    except ValueError:
        return None
    links = bundle.get("link") if isinstance(bundle, dict) else None
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None
