"""Politeness towards a target: a request rate it sets, and retries of idempotent requests it asks for.

A server under test is often a supplier's shared environment: the harness paces itself to the rate the
target profile allows, and retries a GET only when the server says to (429 or 503, honouring
`Retry-After`) or the connection failed before any answer — every attempt stays in the evidence.
"""

from __future__ import annotations

import email.utils
import threading
import time
from datetime import UTC, datetime

from carecheck.http.exchange import Exchange

__all__ = ["IDEMPOTENT", "RETRY_STATUSES", "Pacer", "retry_after"]

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 503})
_FIRST_BACKOFF = 0.5


class Pacer:
    """Spaces requests at least `1 / requests_per_second` apart across every client that shares it."""

    def __init__(self, requests_per_second: float = 0.0) -> None:
        self._interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


def retry_after(exchange: Exchange, attempt: int, *, max_wait: float) -> float | None:
    """Seconds to wait before retrying `exchange` (attempt counts from 1), or None if it must not be retried.

    A connection that failed before any answer, and 429/503 answers, are retried; `Retry-After` (seconds or
    an HTTP date) is honoured up to `max_wait`, otherwise the wait doubles from half a second.
    """
    if exchange.request.method not in IDEMPOTENT:
        return None
    if exchange.response is None:
        return min(_FIRST_BACKOFF * 2.0 ** (attempt - 1), max_wait) if exchange.error else None
    if exchange.response.status not in RETRY_STATUSES:
        return None
    header = exchange.response.header("retry-after")
    if header is None:
        return min(_FIRST_BACKOFF * 2.0 ** (attempt - 1), max_wait)
    if header.strip().isdigit():
        wait = float(header.strip())
    else:
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return min(_FIRST_BACKOFF * 2.0 ** (attempt - 1), max_wait)
        wait = (when - datetime.now(UTC)).total_seconds()
    return None if wait > max_wait else max(0.0, wait)
