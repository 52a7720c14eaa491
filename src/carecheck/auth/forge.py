"""The negative token matrices as data: how each bad token is made from a real one.

`data/security/tokens.yaml` lists the access-token cases (no header, wrong scheme, alg none, an
unknown key, key confusion, expired...), `data/security/spine.yaml` the Spine audit JWT cases
(one claim removed or corrupted each). A `TokenCase` says how to make the token; `TokenForge` makes
it from the real token's header and claims. What the server must answer to each case is not here: the
feature files' Examples tables say it, where a tester reads it (`features/security/tokens.feature`,
`spine.feature`). A case that cannot be made against this target (no real token to start from, no JWKS, no
signing key the server trusts) raises `ForgeUnavailable`, which the scenarios report as not applicable with
its reason.
"""

from __future__ import annotations

import copy
import functools
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from carecheck.auth.jws import b64url, compact, hs256, unverified
from carecheck.errors import ConfigError
from carecheck.project import data_path

__all__ = [
    "SPINE_CASES",
    "TOKEN_CASES",
    "ForgeUnavailable",
    "Forged",
    "Matrix",
    "TokenCase",
    "TokenForge",
    "edited_claims",
    "load_matrix",
    "public_key_pems",
]

TOKEN_CASES: Path = data_path("security", "tokens.yaml")
SPINE_CASES: Path = data_path("security", "spine.yaml")

Signing = Literal["as-issued", "none", "altered", "unknown-key", "hs256-public-key", "trusted-key", "as-configured"]
_SIGNINGS = ("as-issued", "none", "altered", "unknown-key", "hs256-public-key", "trusted-key", "as-configured")
_FIELDS = frozenset({"id", "title", "header", "sign", "set", "remove"})
_DEFAULT_HEADER = "Bearer {token}"


class ForgeUnavailable(Exception):
    """A case this target gives nothing to forge from; the message says what is missing."""


@dataclass(frozen=True)
class TokenCase:
    """One row of a matrix: how the token is made and sent."""

    id: str
    title: str
    header: str | None = _DEFAULT_HEADER
    sign: Signing = "as-configured"
    set: Mapping[str, Any] = field(default_factory=dict)
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matrix:
    """A matrix file: its cases by id."""

    cases: Mapping[str, TokenCase]

    def case(self, case_id: str) -> TokenCase:
        try:
            return self.cases[case_id]
        except KeyError:
            raise KeyError(f"no token case {case_id!r}; known: {', '.join(self.cases)}") from None


def load_matrix(path: Path) -> Matrix:
    """A matrix file; ConfigError naming the file and the case if it is malformed."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the token matrix: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise ConfigError(f"{path}: a token matrix is a mapping with a 'cases' list")
    cases: dict[str, TokenCase] = {}
    for index, entry in enumerate(document["cases"]):
        try:
            case = _case(entry)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"{path}: cases[{index}]: {error}") from None
        if case.id in cases:
            raise ConfigError(f"{path}: cases[{index}]: id {case.id!r} is used twice")
        cases[case.id] = case
    return Matrix(cases)


def _case(entry: Any) -> TokenCase:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("title"), str):
        raise ValueError("a case is a mapping with an id and a title")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    if entry.get("sign", "as-configured") not in _SIGNINGS:
        raise ValueError(f"sign must be one of {', '.join(_SIGNINGS)}")
    return TokenCase(
        id=entry["id"],
        title=entry["title"],
        header=entry.get("header", _DEFAULT_HEADER),
        sign=entry.get("sign", "as-configured"),
        set=dict(entry.get("set") or {}),
        remove=tuple(entry.get("remove") or ()),
    )


def _value(value: Any, now: int) -> Any:
    """`now+N` and `now-N` as seconds since the epoch; anything else as it is."""
    if isinstance(value, str) and value.startswith("now") and value[3:4] in ("+", "-") and value[4:].isdigit():
        return now + int(value[3:])
    return value


def _walk(document: Any, pointer: str) -> tuple[Any, str | int]:
    """The container holding what `pointer` (a claim name, or `/a/0/b`) names, and its key in it."""
    parts = pointer.strip("/").split("/") if pointer.startswith("/") else [pointer]
    container = document
    for part in parts[:-1]:
        container = container[int(part)] if isinstance(container, list) else container[part]
    last = parts[-1]
    return container, int(last) if isinstance(container, list) else last


def edited_claims(claims: Mapping[str, Any], case: TokenCase, now: int) -> dict[str, Any]:
    """`claims` with the case's changes made (a missing path is a ValueError naming it)."""
    edited = copy.deepcopy(dict(claims))
    try:
        for pointer, value in case.set.items():
            container, key = _walk(edited, pointer)
            container[key] = _value(value, now)
        for pointer in case.remove:
            container, key = _walk(edited, pointer)
            del container[key]
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise ValueError(f"case {case.id}: the claims have no {error}") from None
    return edited


@dataclass(frozen=True)
class Forged:
    """A forged `Authorization` header (None: send none) and the notes saying how it was made."""

    authorization: str | None
    notes: tuple[str, ...]


class TokenForge:
    """Makes the access-token matrix's tokens from the real token of a target.

    `real_token` is the target's access token (None if it has none); `base_url` the FHIR base URL, for
    made-up claims; `trusted_key` the PEM file of the key the server signs its tokens with, if known.
    """

    def __init__(self, real_token: str | None, *, base_url: str, trusted_key: Path | None = None) -> None:
        self._real = real_token
        decoded = unverified(real_token) if real_token else None
        self._from_real = decoded is not None
        now = int(time.time())
        self._header, self._claims = decoded or (
            {"alg": "RS256", "typ": "JWT"},
            {"iss": base_url, "aud": base_url, "sub": "carecheck", "scope": "system/*.read", "iat": now, "nbf": now, "exp": now + 300, "jti": uuid.uuid4().hex},
        )
        self._trusted_key = trusted_key
        self._unknown_key: rsa.RSAPrivateKey | None = None

    @property
    def kid(self) -> str | None:
        """The `kid` of the real token's header: the key a server's JWKS should hold."""
        kid = self._header.get("kid")
        return kid if isinstance(kid, str) else None

    def forge(self, case: TokenCase, *, server_key_pem: bytes | None = None) -> Forged:
        """The header to send for `case`; `server_key_pem` is the server's public key (for key confusion)."""
        origin = "the real token's header and claims" if self._from_real else "made-up claims (the target gave no JWT to start from)"
        notes = [f"forged: {case.id}: {case.title}"]
        if case.header is None:
            return Forged(None, tuple(notes))
        token = ""
        if "{token}" in case.header:
            token = self._token(case, server_key_pem)
            notes.append(f"forged from {origin}" if case.sign != "as-issued" else "the real token, as issued")
        header = case.header.replace("{token}", token)
        while "{random}" in header:
            header = header.replace("{random}", secrets.token_urlsafe(24), 1)
        return Forged(header, tuple(notes))

    def _token(self, case: TokenCase, server_key_pem: bytes | None) -> str:
        if case.sign == "as-issued":
            if self._real is None:
                raise ForgeUnavailable("the target profile gives no token to send (auth type none)")
            return self._real
        claims = edited_claims(self._claims, case, int(time.time()))
        if case.sign == "none":
            return compact({**self._header, "alg": "none"}, claims)
        if case.sign == "altered":
            real = self._real if self._from_real and not (case.set or case.remove) else None
            return _altered(real if real is not None else self._sign(claims, self._unknown()))
        if case.sign == "unknown-key":
            return self._sign(claims, self._unknown())
        if case.sign == "hs256-public-key":
            if server_key_pem is None:
                raise ForgeUnavailable("key confusion needs the server's RSA public key, and none was given")
            return hs256({**self._header, "alg": "HS256"}, claims, server_key_pem)
        if case.sign != "trusted-key":
            raise ValueError(f"case {case.id}: sign {case.sign} is not for access tokens")
        if self._trusted_key is None:
            raise ForgeUnavailable(
                "auth.token_signing_key is not set: only a token signed with the server's own key shows that the server "
                "checks this claim (one signed with any other key is refused for its signature)"
            )
        return self._sign(claims, _private_key(self._trusted_key))

    def _unknown(self) -> rsa.RSAPrivateKey:
        if self._unknown_key is None:
            self._unknown_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self._unknown_key

    def _sign(self, claims: Mapping[str, Any], key: Any) -> str:
        algorithm = self._header.get("alg") if self._header.get("alg") in ("RS256", "RS384", "RS512") else "RS256"
        extra = {name: value for name, value in self._header.items() if name != "alg"}
        return jwt.encode(dict(claims), key, algorithm=algorithm, headers=extra)


def _altered(token: str) -> str:
    """`token` with the first byte of its signature changed, so that it no longer verifies."""
    signing_input, _, signature = token.rpartition(".")
    raw = bytearray(jwt.utils.base64url_decode(signature) or b"\x00")
    raw[0] ^= 0x01
    return f"{signing_input}.{b64url(bytes(raw))}"


def _private_key(path: Path) -> Any:
    try:
        return _loaded_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise ConfigError(f"auth.token_signing_key: {path} is not a readable, unencrypted PEM private key ({type(error).__name__})") from None


@functools.lru_cache(maxsize=8)
def _loaded_key(pem: bytes) -> Any:
    """A PEM private key, loaded once per content: loading checks the RSA key, a few milliseconds every forged token."""
    return serialization.load_pem_private_key(pem, password=None)


def public_key_pems(jwks: Mapping[str, Any], kid: str | None) -> Sequence[bytes]:
    """The PEM encodings of the RSA keys of a JWKS (the one named `kid` first): the HMAC secrets of key confusion."""
    keys = [key for key in jwks.get("keys") or [] if isinstance(key, dict) and key.get("kty") == "RSA"]
    keys.sort(key=lambda key: key.get("kid") != kid)
    pems = []
    for entry in keys:
        try:
            public = jwt.PyJWK(entry).key
        except jwt.PyJWTError:
            continue
        pems.append(public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return pems
