"""How the reference server issues and checks access tokens: its clients, token lifetime, endpoints and signing key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from carecheck.project import data_path
from carecheck.refserver.security.clients import Client, load_clients
from carecheck.refserver.security.keys import SigningKey
from carecheck.refserver.security.spine import AUDIT_AUDIENCE

__all__ = ["DEFAULT_CLIENTS", "SecuritySettings"]

Mode = Literal["oauth", "spine"]

DEFAULT_CLIENTS: Path = data_path("refserver", "clients.yaml")
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

    ``mode`` ``spine`` puts the Spine Security Proxy check in place of OAuth2: every request carries
    an audit JWT for ``audit_audience`` (see ``spine``), and there is no token endpoint.
    """

    clients: Mapping[str, Client]
    token_lifetime: int = 300
    issuer_path: str = "/auth"
    fhir_path: str = "/STU3"
    signing_key: SigningKey = field(default_factory=SigningKey.generate)
    mode: Mode = "oauth"
    audit_audience: str = AUDIT_AUDIENCE

    def __post_init__(self) -> None:
        if self.mode not in ("oauth", "spine"):
            raise ValueError(f"mode must be oauth or spine, not {self.mode!r}")
        if self.token_lifetime <= 0:
            raise ValueError(f"token_lifetime must be a positive number of seconds, not {self.token_lifetime}")
        for name in ("issuer_path", "fhir_path"):
            path: str = getattr(self, name)
            if not path.startswith("/") or path.endswith("/"):
                raise ValueError(f"{name} must start with '/' and not end with one, not {path!r}")

    @classmethod
    def load(cls, path: Path | None = None, *, signing_key: Path | None = None, mode: Mode = "oauth") -> SecuritySettings:
        """Default settings with the clients registered in ``path`` (default: the demo clients).

        ``signing_key`` is a PEM file of the RSA key to sign access tokens with (default: a new key).
        ConfigError if the clients file or the key is invalid.
        """
        clients = load_clients(DEFAULT_CLIENTS if path is None else path)
        if signing_key is None:
            return cls(clients=clients, mode=mode)
        return cls(clients=clients, mode=mode, signing_key=SigningKey.from_pem(signing_key))
