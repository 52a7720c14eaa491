"""Authentication: token providers for the target profile's auth type, and token endpoint discovery."""

from carecheck.auth.configure import token_provider
from carecheck.auth.discovery import OAUTH_URIS, discover_token_url, token_url_in
from carecheck.auth.providers import ClientCredentials, NoAuth, SmartBackend, StaticBearer, TokenProvider

__all__ = [
    "OAUTH_URIS",
    "ClientCredentials",
    "NoAuth",
    "SmartBackend",
    "StaticBearer",
    "TokenProvider",
    "discover_token_url",
    "token_provider",
    "token_url_in",
]
