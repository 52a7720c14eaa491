"""The token endpoint's registered clients, loaded from YAML: who they are, how they prove it, what they may ask for.

A client with a ``secret`` authenticates with ``client_secret_basic`` or ``client_secret_post``; one
with public keys (``jwks``: a JWKS file, ``public_key``: a PEM file, paths relative to the YAML file)
with a ``private_key_jwt`` client assertion (SMART Backend Services). A client with a ``patient``
(a Patient id) has a patient context: its tokens are bound to that patient (SMART launch context), so
it needs ``patient/`` scopes. Secrets and keys never appear in a ``repr``.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from carecheck.errors import ConfigError
from carecheck.refserver.security.scopes import SmartScope

__all__ = ["ASSERTION_ALGORITHMS", "PATIENT_ID", "Client", "ClientKey", "load_clients"]

ASSERTION_ALGORITHMS = ("RS384", "ES384")
"""The algorithms a client assertion may be signed with (SMART Backend Services)."""

PATIENT_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
"""A FHIR logical id, as a patient context names its patient."""

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey

_FIELDS = frozenset({"client_id", "description", "secret", "jwks", "public_key", "scopes", "patient"})


@dataclass(frozen=True)
class ClientKey:
    """A public key a client signs its assertions with, and the ``kid`` and ``alg`` its JWK gives, if any."""

    key: PublicKey
    kid: str | None = None
    alg: str | None = None

    def fits(self, alg: str) -> bool:
        """Whether an assertion signed with ``alg`` can have been signed by this key."""
        if self.alg not in (None, alg):
            return False
        if alg == "RS384":
            return isinstance(self.key, rsa.RSAPublicKey)
        return alg == "ES384" and isinstance(self.key, ec.EllipticCurvePublicKey) and self.key.curve.name == "secp384r1"


@dataclass(frozen=True)
class Client:
    """A registered client: its id, the scopes it may be granted, its secret or public keys, and its patient context."""

    client_id: str
    scopes: tuple[str, ...]
    description: str = ""
    secret: str | None = field(default=None, repr=False)
    keys: tuple[ClientKey, ...] = field(default=(), repr=False)
    patient: str | None = None

    @property
    def auth_methods(self) -> tuple[str, ...]:
        """The token endpoint authentication methods this client can use."""
        methods = ("client_secret_basic", "client_secret_post") if self.secret is not None else ()
        return methods + (("private_key_jwt",) if self.keys else ())

    def secret_matches(self, offered: str) -> bool:
        """Whether ``offered`` is this client's secret (compared in constant time)."""
        return self.secret is not None and hmac.compare_digest(self.secret.encode(), offered.encode())


def load_clients(path: Path) -> Mapping[str, Client]:
    """The clients registered in the YAML file at ``path``, by id; ConfigError naming the file and entry if invalid."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: is not valid YAML") from error
    entries = document.get("clients") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a mapping with a 'clients' list")
    clients: dict[str, Client] = {}
    for index, entry in enumerate(entries):
        try:
            client = _client(entry, path.parent)
        except ConfigError as error:
            raise ConfigError(f"{path}: clients[{index}]: {error}") from error
        if client.client_id in clients:
            raise ConfigError(f"{path}: clients[{index}]: client_id {client.client_id!r} is registered twice")
        clients[client.client_id] = client
    return MappingProxyType(clients)


def _client(entry: Any, folder: Path) -> Client:
    if not isinstance(entry, dict):
        raise ConfigError("a client is a mapping")
    unknown = sorted(str(name) for name in set(entry) - _FIELDS)
    if unknown:
        raise ConfigError(f"unknown field {unknown[0]!r}")
    client_id = _text(entry, "client_id")
    if client_id is None:
        raise ConfigError("client_id: required")
    keys: tuple[ClientKey, ...] = ()
    jwks, pem = _text(entry, "jwks"), _text(entry, "public_key")
    if jwks is not None:
        keys += _from_jwks(folder / jwks)
    if pem is not None:
        keys += (ClientKey(_from_pem(folder / pem)),)
    secret = _text(entry, "secret")
    if secret is None and not keys:
        raise ConfigError(f"{client_id}: needs a secret, jwks or public_key to authenticate with")
    scopes = _scopes(entry)
    return Client(client_id, scopes, _text(entry, "description") or "", secret, keys, _patient(entry, scopes))


def _text(entry: Mapping[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise ConfigError(f"{name}: must be a non-empty string")
    return value


def _scopes(entry: Mapping[str, Any]) -> tuple[str, ...]:
    scopes = entry.get("scopes", [])
    if not isinstance(scopes, list) or not all(isinstance(scope, str) and scope for scope in scopes):
        raise ConfigError("scopes: must be a list of strings")
    for scope in scopes:
        if " " in scope or ("/" in scope and SmartScope.parse(scope) is None):
            raise ConfigError(f"scopes: {scope!r} is not a scope (SMART scopes look like system/Patient.read)")
    return tuple(scopes)


def _patient(entry: Mapping[str, Any], scopes: tuple[str, ...]) -> str | None:
    patient = _text(entry, "patient")
    if patient is None:
        return None
    if PATIENT_ID.fullmatch(patient) is None:
        raise ConfigError(f"patient: {patient!r} is not a FHIR id (letters, digits, '-' and '.', at most 64)")
    if not any((scope := SmartScope.parse(text)) is not None and scope.context == "patient" for text in scopes):
        raise ConfigError("patient: a patient context goes with patient/ scopes (e.g. patient/*.read)")
    return patient


def _from_jwks(path: Path) -> tuple[ClientKey, ...]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"jwks: cannot read {path}: {error}") from error
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"jwks: {path} is not a JWKS (a 'keys' list)")
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or "d" in entry:
            raise ConfigError(f"jwks: {path} must hold public keys only")
        try:
            key = jwt.PyJWK(entry).key
        except jwt.PyJWTError as error:
            raise ConfigError(f"jwks: {path}: unusable key {entry.get('kid')!r}: {error}") from error
        keys.append(ClientKey(_usable(key, path), entry.get("kid"), entry.get("alg")))
    return tuple(keys)


def _from_pem(path: Path) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise ConfigError(f"public_key: {path} is not a readable PEM public key") from error
    return _usable(key, path)


def _usable(key: object, path: Path) -> PublicKey:
    if isinstance(key, rsa.RSAPublicKey) or (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1"):
        return key
    raise ConfigError(f"{path}: keys must be RSA or EC P-384 public keys (for RS384 or ES384)")
