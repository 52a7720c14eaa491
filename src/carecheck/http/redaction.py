"""Redaction of secrets from everything recorded: credentials headers, credential fields, and every known secret."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = ["CREDENTIAL_FIELDS", "REDACTED", "Redactor"]

REDACTED = "[REDACTED]"

_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
CREDENTIAL_FIELDS = frozenset(
    {"access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "assertion", "password"}
)
"""JSON members and form fields whose values are credentials wherever they appear."""
_MENTIONS_FIELD = re.compile("|".join(sorted(CREDENTIAL_FIELDS)).encode())


class Redactor:
    """Removes secrets from headers, URLs and bodies before anything is kept.

    It knows the configured secrets from the start and learns new ones (access tokens, client
    assertions) as the run obtains them. Credentials headers keep their scheme (`Bearer [REDACTED]`)
    so evidence still shows how the client authenticated.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        for secret in secrets:
            self.learn(secret)

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Redactor:
        return cls(secrets)

    def learn(self, secret: str) -> None:
        """Treat `secret` as a secret from now on."""
        if not secret:
            return
        with self._lock:
            # Longest first, so a secret that contains another is replaced whole.
            self._secrets = tuple(sorted({*self._secrets, secret}, key=len, reverse=True))

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def body(self, value: bytes) -> bytes:
        if _MENTIONS_FIELD.search(value):
            value = _redact_fields(value)
        for secret in self._secrets:
            value = value.replace(secret.encode("utf-8"), REDACTED.encode("utf-8"))
        return value

    def header(self, name: str, value: str) -> str:
        if name.lower() in _CREDENTIAL_HEADERS:
            scheme, _, credentials = value.partition(" ")
            return f"{scheme} {REDACTED}" if credentials else REDACTED
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.header(name, value)) for name, value in headers)


def _redact_fields(body: bytes) -> bytes:
    """Blank credential members of a JSON body, or credential fields of a form-encoded body."""
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if isinstance(document, dict | list):
        redacted = _redact_json(document)
        return body if redacted == document else json.dumps(redacted).encode("utf-8")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return body
    if not any(key in CREDENTIAL_FIELDS for key, _ in pairs):
        return body
    return urlencode([(key, REDACTED if key in CREDENTIAL_FIELDS else value) for key, value in pairs]).encode("ascii")


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k in CREDENTIAL_FIELDS and isinstance(v, str) else _redact_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(item) for item in value]
    return value
