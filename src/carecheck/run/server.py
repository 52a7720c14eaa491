"""The server a run tests: the profile's URL, or the embedded reference server started for the run.

This is the one place the harness reaches into `carecheck.refserver` (docs/architecture.md, "Independence rule").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from carecheck.config import Target

__all__ = ["target_server"]


@contextmanager
def target_server(target: Target) -> Iterator[str]:
    """Yield the base URL to test; for an embedded target, serve the reference server (security on) meanwhile.

    The embedded server signs its access tokens with the profile's `auth.token_signing_key` when it
    names one, so that the token scenarios can forge validly signed tokens with bad claims.
    """
    if not target.embedded:
        yield target.base_url
        return
    from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app

    with EmbeddedServer(create_app(auth=SecuritySettings.load(signing_key=target.auth.token_signing_key))) as server:
        yield server.base_url
