"""The resource server's guard: the FHIR API answers only requests whose bearer token is valid and scoped for them.

The token is one of this server's access tokens, or in ``spine`` mode a consumer's audit JWT (see ``spine``).

Everything under the FHIR base needs a token except ``metadata`` and ``.well-known/*``. Refusals are
OperationOutcomes in the negotiated format with a ``WWW-Authenticate`` challenge (RFC 6750 §3):

- no ``Authorization`` header, or another scheme than Bearer (matched case-insensitively):
  401, issue code ``login``, ``Bearer realm="carecheck"`` with no error (RFC 6750 §3.1);
- a token that is empty, malformed or invalid: 401, ``security``, ``error="invalid_token"``;
- a valid token whose scopes do not cover the request (see ``access``): 403, ``forbidden``,
  ``error="insufficient_scope"``. A write needs a write scope; the FHIR API then answers 405;
- a token bound to a patient (a ``patient`` claim) that reaches beyond that patient's records (see
  ``compartment``): 403, ``forbidden``, ``error="insufficient_scope"``; its searches reach the FHIR API
  with the patient added as a criterion.
"""

from __future__ import annotations

import time
from typing import Literal, cast
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carecheck.refserver.formats import fhir_response, negotiate_leniently
from carecheck.refserver.outcome import IssueCode, operation_outcome
from carecheck.refserver.security.access import ANY_TYPE, Access, is_search_post, required_access
from carecheck.refserver.security.compartment import confine, in_compartment, with_criteria
from carecheck.refserver.security.scopes import allows
from carecheck.refserver.security.settings import SecuritySettings
from carecheck.refserver.security.spine import verify_audit_jwt
from carecheck.refserver.security.tokens import Grant, InvalidToken, verify_access_token
from carecheck.refserver.security.urls import ServerUrls

__all__ = ["REALM", "BearerGuard"]

REALM = "carecheck"
"""The realm of the server's Bearer challenges."""

_SecurityCode = Literal["login", "security", "forbidden"]


class _Refusal(Exception):
    """A request the guard answers itself, with an OperationOutcome and a Bearer challenge."""

    def __init__(self, status: int, code: _SecurityCode, diagnostics: str, error: str | None = None) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.error = error

    def response(self, request: Request) -> Response:
        # The outcome module's IssueCode does not list the security codes (yet); they are valid STU3 codes.
        outcome = operation_outcome("error", cast(IssueCode, self.code), self.diagnostics)
        response = fhir_response(outcome, negotiate_leniently(request), self.status)
        challenge = f'Bearer realm="{REALM}"'
        if self.error is not None:
            challenge += f', error="{self.error}", error_description="{self.diagnostics}"'
        response.headers["WWW-Authenticate"] = challenge
        return response


class BearerGuard:
    """ASGI middleware in front of the FHIR app: checks the bearer token and its scopes, then passes the request on."""

    def __init__(self, app: ASGIApp, settings: SecuritySettings) -> None:
        self._app = app
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._guards(scope["path"]):
            await self._app(scope, receive, send)
            return
        request = Request(scope, receive)
        route = scope["path"].removeprefix(self._settings.fhir_path)
        try:
            grant = self._authenticate(request)
            body = await request.body() if _form_search(request, route) else None
            access = _access(request, route, body)
            _authorize(grant.scopes, access)
            if grant.patient is not None:
                scope = await self._confined(scope, route, access, grant.patient)
        except _Refusal as refusal:
            await refusal.response(request)(scope, receive, send)
            return
        await self._app(scope, receive if body is None else _replaying(body, receive), send)

    def _guards(self, path: str) -> bool:
        base = self._settings.fhir_path
        if path == f"{base}/metadata" or path.startswith(f"{base}/.well-known/"):
            return False
        return path == base or path.startswith(f"{base}/")

    async def _confined(self, scope: Scope, route: str, access: Access, patient: str) -> Scope:
        """The request as a token bound to ``patient`` may make it (see ``compartment``); _Refusal if it may not."""
        confinement = confine(route, access.included, patient)
        record = confinement.record
        found = record is not None and await in_compartment(self._app, scope, self._settings.fhir_path, record, patient)
        if confinement.refusal is not None and not found:
            raise _Refusal(403, "forbidden", confinement.refusal, "insufficient_scope")
        return with_criteria(scope, confinement.criteria)

    def _authenticate(self, request: Request) -> Grant:
        authorization = request.headers.get("authorization")
        if authorization is None:
            raise _Refusal(401, "login", "no Authorization header: this endpoint needs a Bearer access token")
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise _Refusal(401, "login", "the Authorization header must use the Bearer scheme")
        token = credentials.strip()
        if not token:
            raise _Refusal(401, "security", "the Bearer access token is empty", "invalid_token")
        urls = ServerUrls.of_request(request, self._settings)
        key = self._settings.signing_key
        try:
            if self._settings.mode == "spine":
                return Grant(verify_audit_jwt(token, self._settings.clients, audience=self._settings.audit_audience, now=time.time()))
            return verify_access_token(token, key, issuer=urls.issuer, audience=urls.fhir_base)
        except InvalidToken as invalid:
            raise _Refusal(401, "security", invalid.description, "invalid_token") from None


def _form_search(request: Request, route: str) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return is_search_post(request.method, route) and media_type == "application/x-www-form-urlencoded"


def _access(request: Request, route: str, body: bytes | None) -> Access:
    params = request.query_params.multi_items()
    if body is not None:
        params += parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return required_access(request.method, route, params)


def _authorize(scopes: tuple[str, ...], access: Access) -> None:
    verb = "reading" if access.action == "read" else "writing"
    for resource_type in (access.resource_type, *sorted(access.included)):
        if not allows(scopes, resource_type, access.action):
            diagnostics = f"the access token's scopes do not allow {verb} {_named(resource_type)}"
            raise _Refusal(403, "forbidden", diagnostics, "insufficient_scope")


def _named(resource_type: str) -> str:
    """How a refusal names ``resource_type``, which comes from the request and may be anything."""
    if resource_type == ANY_TYPE:
        return "every type an _include or _revinclude may return (that needs a * scope)"
    if resource_type.isascii() and resource_type.isalpha():
        return resource_type
    return "at this path (only a * scope reaches it)"


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body the guard has already read, then carries on with ``receive``."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
