"""The FHIR client the steps use: sends requests with httpx, records every exchange, never raises on a bad server."""

from __future__ import annotations

import dataclasses
import ssl
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import count
from types import TracebackType
from xml.etree import ElementTree

import httpx

from carecheck.http.deadline import DeadlineTransport, within
from carecheck.http.decoding import ACCEPT_ENCODING, DecodingFailed, codings, decoded
from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.interaction import Interaction
from carecheck.http.politeness import Pacer, retry_after
from carecheck.http.redaction import Redactor
from carecheck.http.tokens import token_note
from carecheck.http.untrusted import DEPTH_CEILING, UnreadableBody, nests_deeper_than, parse_json, parse_url, printable

__all__ = ["FHIR_JSON", "FHIR_XML", "MAX_DEPTH", "FhirClient", "shared_http_client"]

FHIR_JSON = "application/fhir+json"
FHIR_XML = "application/fhir+xml"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50
MAX_DEPTH = 100

Recorder = Callable[[Exchange], object]


def _ignore(_: Exchange) -> None:
    return None


def shared_http_client(
    *, timeout: float | httpx.Timeout = 30.0, transport: httpx.BaseTransport | None = None, verify: ssl.SSLContext | None = None
) -> httpx.Client:
    """The connection pool FhirClients can share: building one (TLS trust store included) costs ~20 ms.

    It sends no `Accept` or `Authorization` of its own: each FhirClient adds those per request.
    `verify` is the trust store (see `trust_store`); certificates are verified either way. Its transport
    bounds every socket operation by the deadline of the exchange in progress (see `deadline.within`).
    """
    return httpx.Client(
        headers={"User-Agent": "carecheck", "Accept-Encoding": ACCEPT_ENCODING},
        timeout=timeout,
        follow_redirects=False,
        transport=transport or DeadlineTransport(verify=verify or True),
    )


class FhirClient:
    """Talks to one FHIR base URL and hands every exchange to `record` as soon as it completes.

    Transport failures, oversized or slow bodies become exchanges with an `error`, so a hostile
    server produces evidence and findings, not exceptions. Every exchange has one deadline, `timeout`
    seconds for connecting, the status line, headers and body together; a body is decoded (gzip,
    deflate) piece by piece and cut off once it passes `max_body_bytes` decoded; a JSON or XML body
    nesting deeper than `max_depth` levels is recorded but marked unreadable. Secrets are redacted
    before recording, and every credential a request carries is learnt as a secret first;
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
        max_depth: int = MAX_DEPTH,
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
        self._max_depth = max_depth
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
        for name, value in sent:
            self.redactor.learn_credentials(name, value)
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        clock = time.perf_counter()
        response: RecordedResponse | None = None
        error: str | None = None
        raw = b""
        try:
            request = self._http.build_request(method, self.url(path), params=list(params) or None, headers=sent, content=content or None)
        except (httpx.InvalidURL, ValueError) as exc:  # a link the server gave, or a value mined from its records
            return self._unsendable(method, path, sent, content, notes, started, f"the request could not be built: {exc}"), b""
        with within(self._timeout) as deadline:
            try:
                response, raw, error = self._receive(request, deadline)
            except httpx.TimeoutException as exc:
                error = self._late(exc, deadline) or f"{type(exc).__name__}: {exc}"
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

    def _unsendable(
        self, method: str, path: str, headers: Sequence[tuple[str, str]], content: bytes, notes: Sequence[str], started: str, error: str
    ) -> Exchange:
        """The exchange of a request that could not even be built (an unparseable URL, text that is not text)."""
        exchange = Exchange(
            id=f"{next(self._ids):03d}",
            request=RecordedRequest(
                method=method, url=self.redactor.text(printable(self.url(path))), headers=self.redactor.headers(headers), body=self.redactor.body(content)
            ),
            response=None,
            started=started,
            elapsed_ms=0.0,
            error=self.redactor.text(printable(error)),
            notes=tuple(self.redactor.text(note) for note in notes),
        )
        self._record(exchange)
        return exchange

    def _late(self, error: Exception, deadline: float) -> str | None:
        """The message for an exchange its deadline cut off (None if `error` came before the deadline)."""
        if time.monotonic() < deadline - 0.05:
            return None
        return (
            f"{type(error).__name__}: response not complete within {self._timeout:g} s, the deadline of every exchange "
            "(connecting, status line, headers and body; the profile's timeout)"
        )

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

    def _receive(self, request: httpx.Request, deadline: float) -> tuple[RecordedResponse, bytes, str | None]:
        body = bytearray()
        error: str | None = None
        cut = False
        reply = self._http.send(request, stream=True)
        try:
            applied, unknown = codings(reply.headers.get_list("content-encoding"))
            if unknown:
                error = f"the body's Content-Encoding {', '.join(unknown)} is not one carecheck asked for ({ACCEPT_ENCODING}); recorded as received"
                applied = []
            for piece in decoded(reply.iter_raw(), applied):
                body.extend(piece)
                if len(body) > self._max_body_bytes:
                    del body[self._max_body_bytes :]
                    error, cut = f"response body larger than {self._max_body_bytes} bytes{' once decoded' if applied else ''}; cut off", True
                    break
                if time.monotonic() > deadline:
                    error, cut = f"response body not complete within {self._timeout:g} s, the deadline of every exchange; cut off", True
                    break
        except DecodingFailed as exc:
            error, cut = str(exc), True
        except httpx.TimeoutException as exc:
            error, cut = self._late(exc, deadline) or f"{type(exc).__name__} while reading the body: {exc}", True
        except httpx.HTTPError as exc:
            error, cut = f"{type(exc).__name__} while reading the body: {exc}", True
        finally:
            reply.close()
        received = bytes(body)
        del body
        if error is None and nests_deeper_than(received, self._max_depth):
            error = f"the body nests deeper than {self._max_depth} levels (limits.max_depth); carecheck does not read it"
        recorded = RecordedResponse(
            status=reply.status_code,
            headers=self.redactor.headers(reply.headers.multi_items()),
            body=self.redactor.body(received),
            http_version=reply.http_version,
            truncated=cut,
        )
        return recorded, received, error

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
            if link is None or not self.same_origin(link) or self.redactor.text(link) in seen:
                break
            seen.add(self.redactor.text(link))
            pages.append(self.send("GET", link))
        return Interaction("search", resource_type, tuple(pages))

    def same_origin(self, url: str) -> bool:
        """Whether `url` (a link the server gave) is a URL on this client's server; never for one that does not parse."""
        here, there = parse_url(self.base_url), parse_url(url)
        return here is not None and there is not None and (here.scheme, here.host, here.port) == (there.scheme, there.host, there.port)


_FHIR_NS = "{http://hl7.org/fhir}"


def _next_link(exchange: Exchange) -> str | None:
    """The `next` link of a searchset page, in JSON or FHIR XML (None if the page has none, is not a Bundle, or is unreadable)."""
    if exchange.response is None or exchange.response.status != 200 or exchange.error:
        return None
    if exchange.response.body.lstrip()[:1] == b"<":
        return _next_link_xml(exchange.response.body)
    try:
        bundle = parse_json(exchange.response.body)
    except UnreadableBody:
        return None
    links = bundle.get("link") if isinstance(bundle, dict) else None
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def _next_link_xml(body: bytes) -> str | None:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body or nests_deeper_than(body, DEPTH_CEILING):
        return None  # never expand entities of a hostile document
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, RecursionError, ValueError):
        return None
    for link in root.findall(f"{_FHIR_NS}link"):
        relation, url = link.find(f"{_FHIR_NS}relation"), link.find(f"{_FHIR_NS}url")
        if relation is not None and relation.get("value") == "next" and url is not None and url.get("value"):
            return url.get("value")
    return None
