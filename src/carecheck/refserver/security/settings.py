"""How the reference server issues and checks access tokens: its clients, token lifetime, endpoints and signing key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from carecheck.project import fixture_path
from carecheck.refserver.security.clients import Client, load_clients
from carecheck.refserver.security.keys import SigningKey

__all__ = ["DEFAULT_CLIENTS", "SecuritySettings"]

DEFAULT_CLIENTS: Path = fixture_path("refserver", "clients.yaml")
"""The demo clients: a local sandbox's published credentials, listed in the README."""


@dataclass(frozen=True)
class SecuritySettings:
    """The security of one reference server.

    ``clients`` are the registered clients by id; access tokens live ``token_lifetime`` seconds. The
    token endpoint and JWKS are ``{issuer_path}/token`` and ``{issuer_path}/jwks``, and the request's
    origin plus ``issuer_path`` is the tokens' ``iss``. ``fhir_path`` is where the protected FHIR API
    is mounted (the reference app's ``FHIR_BASE_PATH``): origin plus it is the tokens' ``aud``. The
    signing key is generated when the settings are made, unless given. Use ``dataclasses.replace``
    to change one setting of ``SecuritySettings.load()``.
    """

    clients: Mapping[str, Client]
    token_lifetime: int = 300
    issuer_path: str = "/auth"
    fhir_path: str = "/STU3"
    signing_key: SigningKey = field(default_factory=SigningKey.generate)

    def __post_init__(self) -> None:
        if self.token_lifetime <= 0:
            raise ValueError(f"token_lifetime must be a positive number of seconds, not {self.token_lifetime}")
        for name in ("issuer_path", "fhir_path"):
            path: str = getattr(self, name)
            if not path.startswith("/") or path.endswith("/"):
                raise ValueError(f"{name} must start with '/' and not end with one, not {path!r}")

    @classmethod
    def load(cls, path: Path | None = None) -> SecuritySettings:
        """Default settings with the clients registered in ``path`` (default: the demo clients).

        ConfigError if the clients file is invalid.
        """
        return cls(clients=load_clients(DEFAULT_CLIENTS if path is None else path))
