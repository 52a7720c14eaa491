"""Broken token checks around the secured reference app, and a spy on every credential that crosses it.

`TokenFaults` makes the reference server's guard wrong on chosen paths the way real servers get it
wrong: it renews an expired token before the guard sees it (the server accepts expired tokens),
re-signs any JWT with the server's own key (the server never checks signatures), widens a token's
scope (the server ignores scopes), drops a token's `patient` claim (the server ignores the patient
context its own token endpoint granted), or crashes on a token that is not a JWT. Each fault is
confined to the paths given, so one run shows each fault caught by exactly the scenarios that test it.

`TokenSpy` keeps every `Authorization` value the server receives and every access token it issues,
so a test can look for each of them in a run's report folder.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carecheck.refserver import SecuritySettings

Claims = dict[str, Any]


def _authorization(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            return str(value.decode("latin-1"))
    return None


def _with_authorization(scope: Scope, value: str) -> Scope:
    headers = [(name, raw) for name, raw in scope.get("headers", []) if name.lower() != b"authorization"]
    return {**scope, "headers": [*headers, (b"authorization", value.encode("latin-1"))]}


@dataclass
class TokenFaults:
    app: ASGIApp
    settings: SecuritySettings
    accept_expired: tuple[str, ...] = ()
    """Paths where a validly signed but expired token is renewed before the guard sees it."""
    skip_signatures: tuple[str, ...] = ()
    """Paths where any JWT is re-signed with the server's key, whatever signed it (or nothing did)."""
    ignore_scopes: tuple[str, ...] = ()
    """Paths where a valid token's scope is widened to system/*.read."""
    ignore_patient_context: tuple[str, ...] = ()
    """Paths where a valid token's patient claim is dropped, so its patient/*.read reads every patient."""
    crash_on_garbage: tuple[str, ...] = ()
    """Paths answering 500 to a token that is not a JWT."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        authorization = _authorization(scope) if scope["type"] == "http" else None
        if authorization is None:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if path.startswith(self.crash_on_garbage) and token and _claims(token) is None:
            await _crash(send)
            return
        changed = self._changed(path, token)
        await self.app(_with_authorization(scope, f"{scheme} {changed}") if changed else scope, receive, send)

    def _changed(self, path: str, token: str) -> str | None:
        claims = _claims(token)
        if claims is None:
            return None
        if path.startswith(self.skip_signatures):
            return self._signed(claims)
        if not self._verifies(token):
            return None
        if path.startswith(self.accept_expired) and claims.get("exp", 0) < time.time():
            return self._signed({**claims, "exp": int(time.time()) + 300})
        if path.startswith(self.ignore_scopes):
            return self._signed({**claims, "scope": "system/*.read"})
        if path.startswith(self.ignore_patient_context) and "patient" in claims:
            return self._signed({name: value for name, value in claims.items() if name != "patient"})
        return None

    def _verifies(self, token: str) -> bool:
        options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False}
        try:
            jwt.decode(token, self.settings.signing_key.public_key, algorithms=["RS256"], options=options)
        except jwt.PyJWTError:
            return False
        return True

    def _signed(self, claims: Claims) -> str:
        return self.settings.signing_key.sign(claims, typ="at+jwt")


def _claims(token: str) -> Claims | None:
    """The claims of a JWT, unverified (None if `token` is not one)."""
    try:
        claims: Claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return claims


async def _crash(send: Send) -> None:
    await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"Internal Server Error"})


@dataclass
class TokenSpy:
    app: ASGIApp
    token_path: str = "/auth/token"
    seen: set[str] = field(default_factory=set)
    """Every credential the server received (Authorization values without their scheme) or issued (access tokens)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = _authorization(scope)
        if authorization:
            credentials = authorization.partition(" ")[2].strip()
            if len(credentials) >= 16:
                self.seen.add(credentials)
        await self.app(scope, receive, self._watching(send) if scope["path"] == self.token_path else send)

    def _watching(self, send: Send) -> Callable[[Message], Any]:
        body = bytearray()

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    try:
                        token = json.loads(body).get("access_token")
                    except (ValueError, AttributeError):
                        token = None
                    if isinstance(token, str):
                        self.seen.add(token)
            await send(message)

        return watch
