"""Before a run: can the target be reached, do the profile's credentials get a token, does the target hold the
test data the profile pins? If not, one clear line."""

from __future__ import annotations

from pathlib import Path

import httpx

from carecheck.auth import token_provider
from carecheck.config import Target
from carecheck.errors import TargetUnreachable, TestDataMissing
from carecheck.run.clients import client_settings
from carecheck.http import FhirClient, Redactor, trust_store
from carecheck.testdata import missing_pinned

__all__ = ["check_credentials", "check_reachable", "check_testdata"]


def check_reachable(base_url: str, *, timeout: float = 10.0, ca_bundle: Path | None = None) -> None:
    """Raise TargetUnreachable unless `[base]/metadata` answers with any HTTP status over a verified connection."""
    url = f"{base_url.rstrip('/')}/metadata"
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, verify=trust_store(ca_bundle)) as client:
            client.get(url, headers={"Accept": "application/fhir+json"})
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


def check_testdata(target: Target, base_url: str) -> None:
    """Raise TestDataMissing, naming each profile field, when the target lacks test data the profile pins (unless
    `testdata.if_missing: continue`)."""
    if target.testdata.if_missing == "continue" or (target.testdata.patient is None and not target.testdata.records):
        return
    settings = client_settings(target)
    redactor = Redactor.of(target.secrets())
    with FhirClient(base_url, redactor=redactor, **settings) as auth_client:
        provider = token_provider(target.auth, auth_client)
        with FhirClient(base_url, redactor=redactor, authorize=provider.authorization, **settings) as client:
            missing = missing_pinned(client, target.testdata)
    if missing:
        raise TestDataMissing(f"{'; '.join(missing)} — the profile pins test data the target does not hold (testdata.if_missing: continue runs without it)")
