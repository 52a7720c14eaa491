"""The absolute URLs of the auth server and the FHIR API, built from the origin a client reached the server at.

The reference server runs on random loopback ports, so nothing is configured: a token requested
from ``http://127.0.0.1:54321`` has ``iss`` ``http://127.0.0.1:54321/auth`` and ``aud``
``http://127.0.0.1:54321/STU3``, and is accepted only at that origin.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from carecheck.refserver.security.settings import SecuritySettings

__all__ = ["ServerUrls"]


@dataclass(frozen=True)
class ServerUrls:
    """Where one server's endpoints are, seen from ``origin`` (``scheme://host[:port]``)."""

    origin: str
    issuer_path: str
    fhir_path: str

    @classmethod
    def of_request(cls, connection: HTTPConnection, settings: SecuritySettings) -> ServerUrls:
        """The URLs at the scheme and host the request was sent to."""
        origin = f"{connection.url.scheme}://{connection.url.netloc}"
        return cls(origin, settings.issuer_path, settings.fhir_path)

    @classmethod
    def of_base_url(cls, base_url: str, settings: SecuritySettings) -> ServerUrls:
        """The URLs of the server with FHIR base URL ``base_url``; ValueError if it does not end in ``fhir_path``."""
        if not base_url.endswith(settings.fhir_path):
            raise ValueError(f"{base_url!r} is not a FHIR base URL ending in {settings.fhir_path}")
        return cls(base_url.removesuffix(settings.fhir_path), settings.issuer_path, settings.fhir_path)

    @property
    def issuer(self) -> str:
        """The ``iss`` of the access tokens."""
        return f"{self.origin}{self.issuer_path}"

    @property
    def token(self) -> str:
        """The token endpoint, also the ``aud`` a client assertion must name."""
        return f"{self.issuer}/token"

    @property
    def jwks(self) -> str:
        """The JWKS holding the key access tokens are signed with."""
        return f"{self.issuer}/jwks"

    @property
    def fhir_base(self) -> str:
        """The FHIR base URL, the ``aud`` of the access tokens."""
        return f"{self.origin}{self.fhir_path}"
