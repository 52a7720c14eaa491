"""Authentication: token providers for the target profile's auth type, token endpoint discovery, and the token forge."""

from carecheck.auth.configure import token_provider
from carecheck.auth.discovery import OAUTH_URIS, discover_token_url, token_url_in
from carecheck.auth.forge import (
    SPINE_CASES,
    TOKEN_CASES,
    Forged,
    ForgeUnavailable,
    Matrix,
    TokenCase,
    TokenForge,
    edited_claims,
    load_matrix,
    public_key_pems,
)
from carecheck.auth.jws import unverified
from carecheck.auth.providers import ClientCredentials, NoAuth, SmartBackend, StaticBearer, TokenProvider
from carecheck.auth.spine import SpineJwt

__all__ = [
    "OAUTH_URIS",
    "SPINE_CASES",
    "TOKEN_CASES",
    "ClientCredentials",
    "ForgeUnavailable",
    "Forged",
    "Matrix",
    "NoAuth",
    "SmartBackend",
    "SpineJwt",
    "StaticBearer",
    "TokenCase",
    "TokenForge",
    "TokenProvider",
    "discover_token_url",
    "edited_claims",
    "load_matrix",
    "public_key_pems",
    "token_provider",
    "token_url_in",
    "unverified",
]
