"""Which server certificates the harness trusts: the default trust store plus the target's CA bundle.

Certificates are always verified: there is no way to turn verification off, only to add a CA (a
sandbox's, or the reference server's `serve --tls` one) with `--ca-bundle` or the profile's `ca_bundle`.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from carecheck.errors import ConfigError

__all__ = ["trust_store"]


def trust_store(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A verifying client context: httpx's default CAs, and the certificates in `ca_bundle` too."""
    context = httpx.create_ssl_context()
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as error:
            raise ConfigError(f"ca_bundle: {ca_bundle} is not a readable PEM file of CA certificates ({error})") from None
    return context
