"""The FHIR client settings a target profile implies: timeouts, trust, limits, pacing, format."""

from __future__ import annotations

from typing import Any

import httpx

from carecheck.config import Target
from carecheck.http import FHIR_JSON, FHIR_XML, Pacer, shared_http_client, trust_store

__all__ = ["client_settings", "connection_pool"]


def client_settings(target: Target, *, pacer: Pacer | None = None) -> dict[str, Any]:
    """Keyword arguments for `FhirClient` from the profile. Clients that share `pacer` share its rate."""
    limits = target.limits
    return {
        "timeout": target.timeout,
        "verify": trust_store(target.ca_bundle),
        "accept": FHIR_XML if target.format == "xml" else FHIR_JSON,
        "max_body_bytes": int(limits.max_body_mb * 1024 * 1024),
        "max_pages": limits.max_pages,
        "max_depth": limits.max_depth,
        "retries": limits.retries,
        "max_retry_wait": limits.max_retry_wait,
        "pacer": pacer or Pacer(limits.requests_per_second),
    }


def connection_pool(target: Target) -> httpx.Client:
    """The run's shared connection pool, with the profile's connect and read timeouts and trust store."""
    timeout = httpx.Timeout(target.timeout, connect=target.limits.connect_timeout)
    return shared_http_client(timeout=timeout, verify=trust_store(target.ca_bundle))
