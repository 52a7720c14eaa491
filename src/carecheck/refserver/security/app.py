"""Securing a FHIR app: the auth server's routes beside it, the bearer-token guard in front of it.

The result is a plain ASGI app that sends the three auth routes to a small Starlette app and
everything else, lifespan events included, through the guard to the FHIR app, whose scope it
leaves untouched (so the FHIR app's own URL building keeps working).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from carecheck.refserver.security.discovery import Discovery
from carecheck.refserver.security.endpoint import TokenEndpoint
from carecheck.refserver.security.middleware import BearerGuard
from carecheck.refserver.security.settings import SecuritySettings

__all__ = ["secure"]


def secure(app: ASGIApp, settings: SecuritySettings) -> ASGIApp:
    """``app`` (a FHIR API mounted at ``settings.fhir_path``) behind bearer tokens, with the auth routes added.

    ``POST {issuer_path}/token`` issues tokens, ``GET {issuer_path}/jwks`` publishes the signing key and
    ``GET {fhir_path}/.well-known/smart-configuration`` describes both. In ``spine`` mode there are no
    auth routes: every request brings its own audit JWT.
    """
    if settings.mode == "spine":
        return BearerGuard(app, settings)
    return _SecuredApp(app, settings)


class _SecuredApp:
    """Routes the auth endpoints to their own app and the rest through the guard."""

    def __init__(self, app: ASGIApp, settings: SecuritySettings) -> None:
        endpoint = TokenEndpoint(settings)
        discovery = Discovery(settings)
        routes = [
            Route(f"{settings.issuer_path}/token", endpoint.token, methods=["POST"]),
            Route(f"{settings.issuer_path}/jwks", discovery.jwks, methods=["GET"]),
            Route(f"{settings.fhir_path}/.well-known/smart-configuration", discovery.smart_configuration, methods=["GET"]),
        ]
        self._auth_paths = frozenset(route.path for route in routes)
        self._auth = Starlette(routes=routes)
        self._guarded = BearerGuard(app, settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self._auth_paths:
            await self._auth(scope, receive, send)
        else:
            await self._guarded(scope, receive, send)
