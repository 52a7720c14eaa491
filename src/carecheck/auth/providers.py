"""Token providers: how the harness obtains the `Authorization` header for a target, the way real clients do.

    none                  no header
    bearer                a static token from the target profile (normally `${ENV}`)
    client-credentials    OAuth2 client credentials, client_secret_basic or client_secret_post
    smart-backend         SMART Backend Services: a private_key_jwt client assertion signed RS384/ES384

Tokens are cached and renewed before they expire, so a long run never fails on an expired token.
Every token request is an exchange like any other: recorded, with credentials and tokens redacted.
A token response that names a `patient` (SMART launch context) is kept: `patient()` gives it.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote_plus

import jwt

from carecheck.errors import AuthError
from carecheck.http import Exchange
from carecheck.http.untrusted import UnreadableBody, parse_json

__all__ = ["ClientCredentials", "NoAuth", "SmartBackend", "StaticBearer", "TokenProvider", "TokenRequest"]

RENEW_BEFORE_SECONDS = 30.0
ASSERTION_LIFETIME_SECONDS = 240

TokenRequest = Callable[[str, list[tuple[str, str]], list[tuple[str, str]]], tuple[Exchange, bytes]]
"""`(token_url, form_fields, headers) -> (exchange, raw body)`: posts a form, records it redacted, keeps the body."""


class TokenProvider(Protocol):
    def authorization(self) -> str | None:
        """The `Authorization` header value to send now (None: send none)."""


class NoAuth:
    def authorization(self) -> str | None:
        return None


@dataclass(frozen=True)
class StaticBearer:
    token: str

    def authorization(self) -> str | None:
        return f"Bearer {self.token}"


@dataclass(frozen=True)
class _Granted:
    """What a token response gave: the token, its lifetime in seconds, and the patient it names (SMART launch context)."""

    token: str
    lifetime: float
    patient: str | None = None


class _Cached:
    """Keeps one access token and asks for a new one shortly before it expires.

    Each new token is passed to `learn` (the redactor), so it is redacted wherever it might be echoed.
    """

    def __init__(self, request_token: Callable[[], _Granted], learn: Callable[[str], None]) -> None:
        self._request_token = request_token
        self._learn = learn
        self._lock = threading.Lock()
        self._token: str | None = None
        self._patient: str | None = None
        self._renew_at = 0.0

    def authorization(self) -> str | None:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                granted = self._request_token()
                self._learn(granted.token)
                self._token, self._patient = granted.token, granted.patient
                self._renew_at = time.monotonic() + max(granted.lifetime - RENEW_BEFORE_SECONDS, granted.lifetime / 2)
            return f"Bearer {self._token}"

    def patient(self) -> str | None:
        """The patient the token response names (SMART `patient`), obtaining a token first if need be; None if it names none."""
        self.authorization()
        return self._patient

    def share(self) -> tuple[str, float, str | None] | None:
        """The current token, how many seconds it stays in use, and the patient its response named: to hand to the
        run's pytest processes, so that each uses it rather than asking for its own."""
        with self._lock:
            if self._token is None:
                return None
            return self._token, max(0.0, self._renew_at - time.monotonic()), self._patient

    def adopt(self, token: str, valid_for: float, patient: str | None = None) -> None:
        """Use a token another process obtained until it is due for renewal, then obtain one as usual."""
        with self._lock:
            self._learn(token)
            self._token, self._patient = token, patient
            self._renew_at = time.monotonic() + valid_for


def _token_from(answer: tuple[Exchange, bytes]) -> _Granted:
    """Read an OAuth2 token response (RFC 6749 §5.1) or raise AuthError saying what went wrong."""
    exchange, raw = answer
    where = exchange.request.line
    if exchange.response is None:
        raise AuthError(f"{where}: no response ({exchange.error})")
    try:
        body = parse_json(raw)
    except UnreadableBody:
        body = None
    if exchange.response.status != 200:
        detail = f": {body.get('error')} {body.get('error_description') or ''}".rstrip() if isinstance(body, dict) else ""
        raise AuthError(f"{where} -> {exchange.response.status}{detail}")
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise AuthError(f"{where}: the token response has no access_token")
    if str(body.get("token_type", "")).lower() != "bearer":
        raise AuthError(f"{where}: token_type is {body.get('token_type')!r}, expected Bearer")
    lifetime, patient = body.get("expires_in"), body.get("patient")
    seconds = float(lifetime) if isinstance(lifetime, int | float) and lifetime > 0 else 300.0
    return _Granted(body["access_token"], seconds, patient if isinstance(patient, str) and patient else None)


class ClientCredentials(_Cached):
    """OAuth2 client credentials grant with a client secret (Basic header or form fields)."""

    def __init__(
        self,
        *,
        token_url: Callable[[], str],
        client_id: str,
        client_secret: str,
        scopes: tuple[str, ...],
        method: str,
        post: TokenRequest,
        learn: Callable[[str], None],
    ) -> None:
        def request_token() -> _Granted:
            form = [("grant_type", "client_credentials")]
            if scopes:
                form.append(("scope", " ".join(scopes)))
            headers = [("Accept", "application/json")]
            if method == "client_secret_post":
                form += [("client_id", client_id), ("client_secret", client_secret)]
            else:
                # RFC 6749 §2.3.1: id and secret are form-encoded before Basic (a no-op for plain alphanumeric ones)
                basic = base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(client_secret)}".encode()).decode("ascii")
                headers.append(("Authorization", f"Basic {basic}"))
            return _token_from(post(token_url(), form, headers))

        super().__init__(request_token, learn)


class SmartBackend(_Cached):
    """SMART Backend Services: client credentials with a signed client assertion (private_key_jwt)."""

    def __init__(
        self,
        *,
        token_url: Callable[[], str],
        client_id: str,
        private_key: Path,
        algorithm: str,
        key_id: str | None,
        scopes: tuple[str, ...],
        post: TokenRequest,
        learn: Callable[[str], None],
    ) -> None:
        try:
            key = private_key.read_text(encoding="utf-8")
        except OSError as error:
            raise AuthError(f"cannot read the private key {private_key}: {error.strerror}") from None

        def request_token() -> _Granted:
            url = token_url()
            now = int(time.time())
            claims = {"iss": client_id, "sub": client_id, "aud": url, "iat": now, "exp": now + ASSERTION_LIFETIME_SECONDS, "jti": str(uuid.uuid4())}
            headers = {"kid": key_id} if key_id else None
            try:
                assertion = jwt.encode(claims, key, algorithm=algorithm, headers=headers)
            except (ValueError, TypeError, jwt.PyJWTError) as error:
                raise AuthError(f"cannot sign the client assertion with {private_key} ({algorithm}): {error}") from None
            form = [
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion),
            ]
            if scopes:
                form.append(("scope", " ".join(scopes)))
            return _token_from(post(url, form, [("Accept", "application/json")]))

        super().__init__(request_token, learn)
