"""The OAuth2 token endpoint: ``client_credentials`` grants for a client secret or a SMART Backend Services assertion.

A token request is a form-encoded POST (RFC 6749 §4.4). The client authenticates with exactly one
of HTTP Basic (``client_secret_basic``), ``client_id`` + ``client_secret`` in the body
(``client_secret_post``) or a JWT client assertion (``private_key_jwt``). Failures are answered as
RFC 6749 §5.2 says: JSON ``error`` and ``error_description``, 400, or 401 with
``WWW-Authenticate: Basic`` when the client could not be authenticated. A client with a patient
context gets its patient's id as ``patient`` beside the token (SMART launch context) and in it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from carecheck.refserver.security.assertions import ASSERTION_TYPE, AssertionVerifier, InvalidAssertion
from carecheck.refserver.security.clients import Client
from carecheck.refserver.security.scopes import grantable
from carecheck.refserver.security.settings import SecuritySettings
from carecheck.refserver.security.tokens import issue_access_token
from carecheck.refserver.security.urls import ServerUrls

__all__ = ["GRANT_TYPE", "OAuthError", "TokenEndpoint"]

GRANT_TYPE = "client_credentials"
"""The only grant the endpoint issues tokens for."""

_FORM = "application/x-www-form-urlencoded"
_NOT_CACHED = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_CLIENT_REFUSED = "client authentication failed: unknown client or wrong secret"


class OAuthError(Exception):
    """A token request the endpoint refuses, with its RFC 6749 §5.2 ``error`` code and description."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description

    def response(self) -> Response:
        """The JSON error response: 401 with a Basic challenge for ``invalid_client``, else 400."""
        headers = dict(_NOT_CACHED)
        status = 400
        if self.error == "invalid_client":
            status = 401
            headers["WWW-Authenticate"] = 'Basic realm="carecheck"'
        body = {"error": self.error, "error_description": self.description}
        return JSONResponse(body, status_code=status, headers=headers)


class TokenEndpoint:
    """Issues access tokens to the registered clients of ``settings``."""

    def __init__(self, settings: SecuritySettings) -> None:
        self._settings = settings
        self._assertions = AssertionVerifier(settings.clients)

    async def token(self, request: Request) -> Response:
        """``POST {issuer}/token``: an access token, or an OAuth2 error."""
        urls = ServerUrls.of_request(request, self._settings)
        try:
            form = await _form(request)
            _check_grant_type(form)
            client = self._authenticate(request, form, urls.token)
            scopes = _granted_scopes(client, form.get("scope", ""))
        except OAuthError as error:
            return error.response()
        token = issue_access_token(
            self._settings.signing_key,
            client_id=client.client_id,
            scopes=scopes,
            issuer=urls.issuer,
            audience=urls.fhir_base,
            lifetime=self._settings.token_lifetime,
            patient=client.patient,
        )
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self._settings.token_lifetime,
            "scope": " ".join(scopes),
            **({} if client.patient is None else {"patient": client.patient}),
        }
        return JSONResponse(body, headers=_NOT_CACHED)

    def _authenticate(self, request: Request, form: Mapping[str, str], token_url: str) -> Client:
        authorization = request.headers.get("authorization")
        by_assertion = "client_assertion" in form or "client_assertion_type" in form
        if sum([authorization is not None, "client_secret" in form, by_assertion]) > 1:
            raise OAuthError("invalid_request", "use exactly one client authentication method")
        if authorization is not None:
            client_id, secret = _basic_credentials(authorization)
            return self._by_secret(client_id, secret, form)
        if "client_secret" in form:
            if "client_id" not in form:
                raise OAuthError("invalid_request", "client_secret_post needs client_id")
            return self._by_secret(form["client_id"], form["client_secret"], form)
        if by_assertion:
            return self._by_assertion(form, token_url)
        raise OAuthError("invalid_client", "no client authentication: use Basic, client_secret_post or a client assertion")

    def _by_secret(self, client_id: str, secret: str, form: Mapping[str, str]) -> Client:
        if form.get("client_id", client_id) != client_id:
            raise OAuthError("invalid_request", "client_id in the body is not the authenticated client")
        client = self._settings.clients.get(client_id)
        if client is None or not client.secret_matches(secret):
            raise OAuthError("invalid_client", _CLIENT_REFUSED)
        return client

    def _by_assertion(self, form: Mapping[str, str], token_url: str) -> Client:
        if "client_assertion" not in form or "client_assertion_type" not in form:
            raise OAuthError("invalid_request", "a client assertion needs client_assertion and client_assertion_type")
        if form["client_assertion_type"] != ASSERTION_TYPE:
            raise OAuthError("invalid_client", f"client_assertion_type must be {ASSERTION_TYPE}")
        try:
            client = self._assertions.verify(form["client_assertion"], token_url=token_url)
        except InvalidAssertion as error:
            raise OAuthError("invalid_client", error.description) from None
        if form.get("client_id", client.client_id) != client.client_id:
            raise OAuthError("invalid_client", "client_id is not the client assertion's iss")
        return client


async def _form(request: Request) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != _FORM:
        raise OAuthError("invalid_request", f"the token request body must be {_FORM}")
    try:
        pairs = parse_qsl((await request.body()).decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise OAuthError("invalid_request", "the token request body is not UTF-8") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise OAuthError("invalid_request", f"parameter {_shown(name)} is repeated")
        form[name] = value
    return form


def _check_grant_type(form: Mapping[str, str]) -> None:
    grant_type = form.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is required")
    if grant_type != GRANT_TYPE:
        raise OAuthError("unsupported_grant_type", f"only the {GRANT_TYPE} grant is supported")


def _basic_credentials(authorization: str) -> tuple[str, str]:
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        raise OAuthError("invalid_client", "the Authorization header of a token request must use the Basic scheme")
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "the Basic credentials are not base64 of client_id:client_secret") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client", "the Basic credentials are not base64 of client_id:client_secret")
    return unquote_plus(client_id), unquote_plus(secret)


def _granted_scopes(client: Client, requested: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(requested.split()))
    if not wanted:
        return client.scopes
    refused = [scope for scope in wanted if not grantable(scope, client.scopes)]
    if refused:
        raise OAuthError("invalid_scope", f"scope {_shown(' '.join(refused))} is not allowed for this client")
    return wanted


def _shown(text: str) -> str:
    """Client input fit to quote in an ``error_description`` (RFC 6749 §5.2 characters), else a placeholder."""
    if all(" " <= char <= "~" and char not in '"\\' for char in text):
        return text
    return "(with characters not allowed here)"
