"""Before a run: can the target be reached, and do the profile's credentials get a token? If not, one clear line."""

from __future__ import annotations

from pathlib import Path

import httpx

from carecheck.auth import token_provider
from carecheck.config import Target
from carecheck.errors import TargetUnreachable
from carecheck.run.clients import client_settings
from carecheck.http import FhirClient, Redactor, shared_http_client, trust_store
from carecheck.http.deadline import within

__all__ = ["check_credentials", "check_reachable"]


def check_reachable(base_url: str, *, timeout: float = 10.0, ca_bundle: Path | None = None) -> None:
    """Raise TargetUnreachable unless `[base]/metadata` answers with any HTTP status over a verified connection.

    Only the status line and headers are read, within one deadline: a body (a bomb) or a trickle cannot hold the run.
    """
    url = f"{base_url.rstrip('/')}/metadata"
    try:
        with shared_http_client(timeout=timeout, verify=trust_store(ca_bundle)) as client, within(timeout):
            with client.stream("GET", url, headers={"Accept": "application/fhir+json"}):
                pass
    except httpx.TimeoutException:
        raise TargetUnreachable(f"{url}: no answer within {timeout:g} s") from None
    except httpx.HTTPError as error:
        reason = str(error) or type(error).__name__
        if "CERTIFICATE_VERIFY_FAILED" in reason:
            reason += " (to trust a private CA, give its certificate with --ca-bundle FILE or the profile's ca_bundle)"
        raise TargetUnreachable(f"{url}: {reason}") from None


def check_credentials(target: Target, base_url: str) -> None:
    """Obtain one token with the profile's credentials; raises AuthError (a usage error) if that fails."""
    with FhirClient(base_url, redactor=Redactor.of(target.secrets()), **client_settings(target)) as client:
        token_provider(target.auth, client).authorization()
