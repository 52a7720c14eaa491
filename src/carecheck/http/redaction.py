"""Redaction of secrets from everything recorded: credentials headers and every configured secret value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["REDACTED", "Redactor"]

REDACTED = "[REDACTED]"

_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})


@dataclass(frozen=True)
class Redactor:
    """Removes secrets from headers, URLs and bodies before anything is kept.

    Credentials headers keep their scheme (`Bearer [REDACTED]`) so evidence still shows how the client
    authenticated; every known secret string is replaced wherever else it appears.
    """

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Redactor:
        # Longest first, so a secret that contains another is replaced whole.
        return cls(tuple(sorted({s for s in secrets if s}, key=len, reverse=True)))

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        return value

    def body(self, value: bytes) -> bytes:
        for secret in self.secrets:
            value = value.replace(secret.encode("utf-8"), REDACTED.encode("utf-8"))
        return value

    def header(self, name: str, value: str) -> str:
        if name.lower() in _CREDENTIAL_HEADERS:
            scheme, _, credentials = value.partition(" ")
            return f"{scheme} {REDACTED}" if credentials else REDACTED
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.header(name, value)) for name, value in headers)
