"""What the server publishes about its security: SMART configuration, JWKS, and CapabilityStatement ``rest.security``.

Only what exists is advertised: a token endpoint for the ``client_credentials`` grant (no authorize
or register endpoint), the client authentication methods and assertion algorithms the endpoint
accepts, and the scopes its clients are registered for.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from carecheck.refserver.security.clients import ASSERTION_ALGORITHMS
from carecheck.refserver.security.endpoint import GRANT_TYPE
from carecheck.refserver.security.settings import SecuritySettings
from carecheck.refserver.security.urls import ServerUrls

__all__ = ["OAUTH_URIS", "SECURITY_SERVICE_SYSTEM", "Discovery", "capability_security", "smart_configuration"]

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
"""The SMART extension naming the OAuth endpoints in a CapabilityStatement."""

SECURITY_SERVICE_SYSTEM = "http://hl7.org/fhir/restful-security-service"
"""The code system of ``rest.security.service``."""

_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")


class Discovery:
    """The endpoints that describe the auth server: ``.well-known/smart-configuration`` and the JWKS."""

    def __init__(self, settings: SecuritySettings) -> None:
        self._settings = settings

    async def smart_configuration(self, request: Request) -> Response:
        """``GET {fhir_base}/.well-known/smart-configuration``."""
        return JSONResponse(smart_configuration(self._settings, ServerUrls.of_request(request, self._settings)))

    async def jwks(self, request: Request) -> Response:
        """``GET {issuer}/jwks``: the public key access tokens are signed with."""
        return JSONResponse({"keys": [dict(self._settings.signing_key.public_jwk)]})


def smart_configuration(settings: SecuritySettings, urls: ServerUrls) -> dict[str, Any]:
    """The SMART configuration document of the server at ``urls``."""
    return {
        "issuer": urls.issuer,
        "jwks_uri": urls.jwks,
        "token_endpoint": urls.token,
        "token_endpoint_auth_methods_supported": list(_AUTH_METHODS),
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "grant_types_supported": [GRANT_TYPE],
        "scopes_supported": sorted({scope for client in settings.clients.values() for scope in client.scopes}),
        "capabilities": ["client-confidential-symmetric", "client-confidential-asymmetric", "permission-v1"],
    }


def capability_security(settings: SecuritySettings, base_url: str) -> dict[str, Any]:
    """The CapabilityStatement ``rest.security`` element of the server whose FHIR base URL is ``base_url``."""
    if settings.mode == "spine":
        return _spine_security(settings)
    urls = ServerUrls.of_base_url(base_url, settings)
    return {
        "extension": [{"extension": [{"url": "token", "valueUri": urls.token}], "url": OAUTH_URIS}],
        "service": [
            {
                "coding": [{"system": SECURITY_SERVICE_SYSTEM, "code": "SMART-on-FHIR", "display": "SMART-on-FHIR"}],
                "text": "OAuth2 client credentials with SMART on FHIR scopes",
            }
        ],
        "description": (
            f"Every request but metadata needs a Bearer access token from {urls.token} (grant client_credentials; "
            "client_secret_basic, client_secret_post or a private_key_jwt assertion signed RS384 or ES384). "
            f"Tokens are RS256 JWTs signed with the key at {urls.jwks}, with SMART on FHIR scopes such as "
            "system/Patient.read; an _include or _revinclude whose target type is not named needs a * scope. "
            "A token with a patient context (the patient named beside it in the token response and in its patient "
            "claim) reads only that patient's records: a read of another Patient, or of a record whose patient is "
            "another (or that does not exist), is refused with 403; searches are filtered, not refused: a Patient "
            "search gets _id=[that patient] and a clinical search patient=Patient/[that patient] added, so another "
            "patient's records never match; with it an _include or _revinclude may bring in only Practitioner, "
            "PractitionerRole, Organization, Location and Medication records, which it reads as usual."
        ),
    }


def _spine_security(settings: SecuritySettings) -> dict[str, Any]:
    """``rest.security`` in Spine Security Proxy mode: an audit JWT with every request, no OAuth endpoints."""
    return {
        "service": [{"coding": [{"system": SECURITY_SERVICE_SYSTEM, "code": "OAuth", "display": "OAuth"}], "text": "Spine Security Proxy audit JWT"}],
        "description": (
            "Every request but metadata carries, as its Bearer token, an audit JWT (GP Connect style) with iss, sub, "
            f"aud {settings.audit_audience}, iat, exp five minutes after iat, reason_for_request directcare, "
            "requested_record, requested_scope, requesting_device, requesting_organization and requesting_practitioner; "
            "unsigned (alg none) or signed RS384/ES384 by a registered client's key."
        ),
    }
