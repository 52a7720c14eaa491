"""Before a run: can the target be reached at all? If not, one clear line and exit code 3, not 40 red scenarios."""

from __future__ import annotations

import httpx

from carecheck.errors import TargetUnreachable

__all__ = ["check_reachable"]


def check_reachable(base_url: str, *, timeout: float = 10.0) -> None:
    """Raise TargetUnreachable unless `[base]/metadata` answers with any HTTP status."""
    url = f"{base_url.rstrip('/')}/metadata"
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            client.get(url, headers={"Accept": "application/fhir+json"})
    except httpx.TimeoutException:
        raise TargetUnreachable(f"{url}: no answer within {timeout:g} s") from None
    except httpx.HTTPError as error:
        reason = str(error) or type(error).__name__
        raise TargetUnreachable(f"{url}: {reason}") from None
