"""Redaction of secrets from everything recorded: credentials headers, credential fields, and every known secret
in every spelling a server could echo it back in.

A secret the harness sends travels as itself, inside a Basic credential (base64 of `client_id:secret`),
form- or URL-encoded, and JSON-escaped; a server may echo any of these in a header or a body. The
redactor knows the configured secrets from the start, learns every credential a request carries before
it is sent (so the Basic credential itself is a secret), and removes each secret in all those spellings.
Cookies are removed whole: their values are the server's credentials.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

__all__ = ["CREDENTIAL_FIELDS", "CREDENTIAL_HEADERS", "MIN_LEARNT", "REDACTED", "Redactor", "spellings"]

REDACTED = "[REDACTED]"

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
"""Headers whose credentials are redacted, keeping the scheme (`Bearer [REDACTED]`)."""
_WHOLE_HEADERS = frozenset({"cookie", "set-cookie", "x-api-key"})
"""Headers redacted whole: cookies are the server's credentials."""
CREDENTIAL_FIELDS = frozenset({"access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "assertion", "password"})
"""JSON members and form fields whose values are credentials wherever they appear."""
MIN_LEARNT = 16
"""Credentials shorter than this, learnt from a request, are not treated as secrets everywhere (a forged `x`)."""
_FIELD_NAMES = "|".join(sorted(CREDENTIAL_FIELDS))
_JSON_FIELD = re.compile(rf'("(?:{_FIELD_NAMES})"\s*:\s*")((?:[^"\\]|\\.)*)(")'.encode())
_FORM_FIELD = re.compile(rf"((?:^|[&?;])(?:{_FIELD_NAMES})=)([^&#\s\"'<>]*)".encode())
"""A credential field of a form or query, also where one is quoted inside JSON or HTML (so it stops at a quote)."""


def spellings(secret: str) -> set[str]:
    """The ways `secret` can appear in text a server sends back: as itself, URL- and form-encoded (either hex
    case, `~` and `*` encoded or not), JSON-escaped (`\\/` too), HTML-escaped, and base64 (standard or URL-safe,
    padded or not)."""
    encoded = quote(secret, safe="")
    forms = {secret, encoded, quote_plus(secret), quote(secret), encoded.replace("~", "%7E").replace("*", "%2A"), html.escape(secret, quote=True)}
    forms |= {re.sub("%[0-9A-F]{2}", lambda match: match.group().lower(), form) for form in set(forms)}
    for ascii_only in (True, False):
        escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        forms |= {escaped, escaped.replace("/", "\\/")}
    raw = secret.encode("utf-8", "surrogatepass")
    for b64 in (base64.b64encode(raw).decode("ascii"), base64.urlsafe_b64encode(raw).decode("ascii")):
        forms |= {b64, b64.rstrip("=")}
    return {form for form in forms if form}


class Redactor:
    """Removes secrets from headers, URLs and bodies before anything is kept.

    It knows the configured secrets from the start and learns new ones (access tokens, client
    assertions, the credentials of every request) as the run sends or obtains them. Credentials headers
    keep their scheme (`Bearer [REDACTED]`) so evidence still shows how the client authenticated.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._known: set[str] = set()
        self._forms: tuple[str, ...] = ()
        self._encoded: tuple[bytes, ...] = ()
        for secret in secrets:
            self.learn(secret)

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Redactor:
        return cls(secrets)

    def learn(self, secret: str) -> None:
        """Treat `secret`, in every spelling, as a secret from now on."""
        if not secret or secret in self._known:
            return
        with self._lock:
            self._known.add(secret)
            # Longest first, so a spelling that contains another is replaced whole.
            forms = sorted({*self._forms, *spellings(secret)}, key=len, reverse=True)
            self._forms = tuple(forms)
            self._encoded = tuple(form.encode("utf-8", "surrogatepass") for form in forms)

    def learn_credentials(self, name: str, value: str) -> None:
        """Learn the credentials a request header carries (the token, or the Basic credential) before it is sent."""
        if name.lower() in CREDENTIAL_HEADERS:
            credentials = value.strip().partition(" ")[2].strip()
            if len(credentials) >= MIN_LEARNT:
                self.learn(credentials)

    def text(self, value: str) -> str:
        for form in self._forms:
            if form in value:
                value = value.replace(form, REDACTED)
        return value

    def body(self, value: bytes) -> bytes:
        if _JSON_FIELD.search(value):
            value = _JSON_FIELD.sub(lambda match: match[1] + REDACTED.encode() + match[3], value)
        if _FORM_FIELD.search(value):
            value = _FORM_FIELD.sub(lambda match: match[1] + quote(REDACTED).encode(), value)
        for form in self._encoded:
            if form in value:
                value = value.replace(form, REDACTED.encode("utf-8"))
        return value

    def header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered in _WHOLE_HEADERS:
            return REDACTED
        if lowered in CREDENTIAL_HEADERS:
            scheme, _, credentials = value.strip().partition(" ")
            return f"{scheme} {REDACTED}" if credentials else REDACTED
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.header(name, value)) for name, value in headers)
