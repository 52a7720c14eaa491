"""Building the token provider a target profile asks for."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlencode

from carecheck.auth.discovery import discover_token_url
from carecheck.auth.providers import ClientCredentials, NoAuth, SmartBackend, StaticBearer, TokenProvider
from carecheck.auth.spine import SpineJwt
from carecheck.config import Auth
from carecheck.http import Exchange, FhirClient

__all__ = ["token_provider"]


def token_provider(auth: Auth, client: FhirClient, *, statement: Mapping[str, Any] | None = None) -> TokenProvider:
    """The provider for `auth`. `client` (on the target's base URL) posts the token requests and, with `token_url:
    discover`, finds the token URL in `statement` (the CapabilityStatement the run read; read through `client` when
    None) or the target's SMART configuration."""
    if auth.type == "none":
        return NoAuth()
    if auth.type == "bearer":
        assert auth.token is not None
        return StaticBearer(auth.token.get_secret_value())
    if auth.type == "spine-jwt":
        assert auth.spine is not None
        return SpineJwt(auth.spine, private_key=auth.private_key, algorithm=auth.algorithm, key_id=auth.key_id)

    @cache
    def token_url() -> str:
        return discover_token_url(client, statement) if auth.token_url == "discover" else auth.token_url

    def post(url: str, form: list[tuple[str, str]], headers: list[tuple[str, str]]) -> tuple[Exchange, bytes]:
        content_type = [("Content-Type", "application/x-www-form-urlencoded")]
        return client.send_private("POST", url, headers=[*headers, *content_type], content=urlencode(form).encode("ascii"))

    assert auth.client_id is not None
    if auth.type == "client-credentials":
        assert auth.client_secret is not None
        return ClientCredentials(
            token_url=token_url,
            client_id=auth.client_id,
            client_secret=auth.client_secret.get_secret_value(),
            scopes=auth.scopes,
            method=auth.method,
            post=post,
            learn=client.redactor.learn,
        )
    assert auth.private_key is not None
    return SmartBackend(
        token_url=token_url,
        client_id=auth.client_id,
        private_key=auth.private_key,
        algorithm=auth.algorithm,
        key_id=auth.key_id,
        scopes=auth.scopes,
        post=post,
        learn=client.redactor.learn,
    )
