"""TLS probes: connecting to a server offering only some TLS versions or cipher suites, recorded as exchanges.

A probe is not a FHIR request a client would make, but its result is evidence like any other: an
Exchange whose notes say what was offered and what was negotiated. When the handshake completes the
probe sends `GET [base]/metadata` over it and records the answer; when it does not, the exchange has
no response and its `error` starts with one of the outcomes below, which the TLS checks judge.

Version and cipher probes do not verify the certificate (only the negotiation is judged); the
certificate probe verifies it against the harness's trust store and notes what the certificate says.
Like every exchange, a probe has one deadline (its `timeout`) for the handshake and the answer together.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.redaction import Redactor

__all__ = [
    "CERTIFICATE_REFUSED",
    "HANDSHAKE_REFUSED",
    "NOT_OFFERED",
    "NO_CONNECTION",
    "TLS_NOTE",
    "TlsOffer",
    "probe_certificate",
    "probe_tls",
]

HANDSHAKE_REFUSED = "TLS handshake refused"
"""The server refused the handshake (an alert, or it hung up)."""
NOT_OFFERED = "TLS probe not sent"
"""This machine's TLS library cannot offer what the probe asks for, so nothing was sent."""
CERTIFICATE_REFUSED = "TLS certificate not verified"
"""The handshake stopped because the server's certificate did not verify against the trust store."""
NO_CONNECTION = "no connection"
"""Not even a TCP connection could be made."""
TLS_NOTE = "tls:"
"""Prefix of the notes saying what was offered and negotiated."""

_CLIENT_SIDE = frozenset({"NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE", "NO_SUITABLE_SIGNATURE_ALGORITHM"})
_MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class TlsOffer:
    """What a probing client offers: a range of TLS versions and an OpenSSL cipher string (None: the defaults).

    `@SECLEVEL=0` in `ciphers` lets OpenSSL offer what its default security level would refuse to
    (TLS 1.0, NULL or MD5 suites), so the server, not this machine, decides.
    """

    label: str
    minimum: ssl.TLSVersion | None = None
    maximum: ssl.TLSVersion | None = None
    ciphers: str | None = None


def _probing_context(offer: TlsOffer) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 and 1.1 are deprecated: that is the point
        if offer.minimum is not None:
            context.minimum_version = offer.minimum
        if offer.maximum is not None:
            context.maximum_version = offer.maximum
    if offer.ciphers is not None:
        context.set_ciphers(offer.ciphers)
    return context


def probe_tls(url: str, offer: TlsOffer, *, exchange_id: str, timeout: float, redactor: Redactor | None = None) -> Exchange:
    """Offer only `offer` to the server of `url` (a FHIR base URL); the exchange says how the server answered."""
    notes = (f"{TLS_NOTE} offered {offer.label}",)
    try:
        context = _probing_context(offer)
    except (ssl.SSLError, ValueError):
        return _failed(url, exchange_id, f"{NOT_OFFERED}: this machine's TLS library cannot offer {offer.label}", notes, redactor)
    return _probe(url, context, exchange_id=exchange_id, timeout=timeout, notes=notes, redactor=redactor)


def probe_certificate(url: str, trust: ssl.SSLContext, *, exchange_id: str, timeout: float, redactor: Redactor | None = None) -> Exchange:
    """Connect verifying the certificate chain and host name with `trust`; the notes say what the certificate names."""
    notes = (f"{TLS_NOTE} offered the client's defaults, certificate verified against the trust store",)
    return _probe(url, trust, exchange_id=exchange_id, timeout=timeout, notes=notes, redactor=redactor)


class _Deadline:
    """Shuts a probe's connection down when its deadline passes, so a server trickling its handshake or its answer
    cannot hold the run (the probe's sockets are its own, so `deadline.within` does not reach them)."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self._fd, self._family = connection.fileno(), connection.family
        self.passed = False
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        self.passed = True
        try:
            with socket.fromfd(self._fd, self._family, socket.SOCK_STREAM) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)  # wakes the blocked read; the probe's own socket is closed by the probe
        except OSError:
            pass

    def stop(self) -> None:
        """Before the connection is closed, so the timer never touches a descriptor reused since."""
        self._timer.cancel()
        self._timer.join()


def _probe(url: str, context: ssl.SSLContext, *, exchange_id: str, timeout: float, notes: tuple[str, ...], redactor: Redactor | None) -> Exchange:
    metadata = f"{url.rstrip('/')}/metadata"
    parts = urlsplit(metadata)
    host, port = parts.hostname or "", parts.port or 443
    started = datetime.now(UTC).isoformat(timespec="milliseconds")
    clock = time.perf_counter()
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except OSError as error:
        return _failed(url, exchange_id, f"{NO_CONNECTION}: {error}", notes, redactor, started, clock)
    deadline = _Deadline(raw, max(0.0, timeout - (time.perf_counter() - clock)))
    late = f"no complete answer within {timeout:g} s, the deadline of every exchange"
    try:
        secured = context.wrap_socket(raw, server_hostname=host)
    except ssl.SSLCertVerificationError as error:
        deadline.stop()
        raw.close()
        return _failed(url, exchange_id, f"{CERTIFICATE_REFUSED}: {error.verify_message or error}", notes, redactor, started, clock)
    except (ssl.SSLError, OSError) as error:
        deadline.stop()
        raw.close()
        if deadline.passed:
            outcome = f"{HANDSHAKE_REFUSED}: the handshake did not complete: {late}"
        elif isinstance(error, ssl.SSLError):
            outcome = f"{NOT_OFFERED if error.reason in _CLIENT_SIDE else HANDSHAKE_REFUSED}: {error.reason or error}"
        else:
            outcome = f"{HANDSHAKE_REFUSED}: the server hung up ({error})"
        return _failed(url, exchange_id, outcome, notes, redactor, started, clock)
    cipher = secured.cipher()
    negotiated = (f"{TLS_NOTE} negotiated {secured.version()} with {cipher[0] if cipher else 'an unknown cipher'}",)
    certificate = secured.getpeercert() if context.verify_mode != ssl.CERT_NONE else None
    described = (f"{TLS_NOTE} certificate {_describe(certificate)}",) if certificate else ()
    connection = http.client.HTTPSConnection(host, port, timeout=timeout)
    connection.sock = secured
    request = RecordedRequest("GET", metadata, (("Host", parts.netloc), ("Accept", "application/fhir+json"), ("User-Agent", "carecheck")))
    response: RecordedResponse | None = None
    error_text: str | None = None
    try:
        connection.request("GET", parts.path, headers={"Accept": "application/fhir+json", "User-Agent": "carecheck"})
        answer = connection.getresponse()
        body = answer.read(_MAX_BODY)
        scrub = redactor or Redactor()
        response = RecordedResponse(answer.status, scrub.headers(answer.getheaders()), scrub.body(body), f"HTTP/{answer.version / 10:.1f}")
    except (OSError, http.client.HTTPException) as error:
        reason = late if deadline.passed else f"{type(error).__name__}: {error}"
        error_text = f"the handshake completed but the request failed: {reason}"
    finally:
        deadline.stop()
        connection.close()
    return Exchange(exchange_id, request, response, started, (time.perf_counter() - clock) * 1000, error_text, (*notes, *negotiated, *described))


def _failed(
    url: str,
    exchange_id: str,
    error: str,
    notes: tuple[str, ...],
    redactor: Redactor | None,
    started: str | None = None,
    clock: float | None = None,
) -> Exchange:
    request = RecordedRequest("GET", f"{url.rstrip('/')}/metadata", (("Accept", "application/fhir+json"), ("User-Agent", "carecheck")))
    elapsed = (time.perf_counter() - clock) * 1000 if clock is not None else 0.0
    started = started or datetime.now(UTC).isoformat(timespec="milliseconds")
    return Exchange(exchange_id, request, None, started, elapsed, (redactor or Redactor()).text(error), notes)


def _describe(certificate: Mapping[str, object]) -> str:
    """`subject CN=…, issuer O=…, valid until …, names DNS:…`: what a verified certificate says."""

    def names(field: str) -> str:
        value = certificate.get(field)
        pairs = [pair for rdn in value for pair in rdn] if isinstance(value, tuple) else []
        return ", ".join(f"{key}={item}" for key, item in pairs) or "?"

    alternatives = certificate.get("subjectAltName")
    listed = ", ".join(f"{kind}:{name}" for kind, name in alternatives) if isinstance(alternatives, tuple) else "none"
    return f"subject {names('subject')}; issuer {names('issuer')}; valid until {certificate.get('notAfter')}; names {listed}"
