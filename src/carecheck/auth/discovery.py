"""Finding a target's token endpoint: the CapabilityStatement's SMART oauth-uris extension, or SMART discovery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carecheck.errors import AuthError
from carecheck.http import FhirClient

__all__ = ["OAUTH_URIS", "discover_token_url", "token_url_in"]

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def token_url_in(statement: Any) -> str | None:
    """The `token` URI of the oauth-uris extension on any `rest.security` of a CapabilityStatement."""
    if not isinstance(statement, dict):
        return None
    for rest in statement.get("rest") or []:
        security = rest.get("security") if isinstance(rest, dict) else None
        for extension in (security or {}).get("extension") or []:
            if not isinstance(extension, dict) or extension.get("url") != OAUTH_URIS:
                continue
            for uri in extension.get("extension") or []:
                if isinstance(uri, dict) and uri.get("url") == "token" and isinstance(uri.get("valueUri"), str):
                    return str(uri["valueUri"])
    return None


def discover_token_url(client: FhirClient, statement: Mapping[str, Any] | None = None) -> str:
    """Ask the target where its token endpoint is: the oauth-uris of `statement` (the CapabilityStatement the run
    read; read here when None), else its SMART configuration. AuthError if it does not say."""
    found = token_url_in(client.capabilities().first.ok_json() if statement is None else statement)
    if found:
        return found
    configuration = client.send("GET", ".well-known/smart-configuration").ok_json()
    if isinstance(configuration, dict) and isinstance(configuration.get("token_endpoint"), str):
        return str(configuration["token_endpoint"])
    raise AuthError(
        f"{client.base_url} declares no token endpoint (no oauth-uris extension in its CapabilityStatement, "
        "no .well-known/smart-configuration); set auth.token_url in the target profile"
    )
