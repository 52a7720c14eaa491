"""The fixtures that hand the steps their probes (`carecheck.probe`) and the baseline's replay, each sending through
the scenario's recording client: `security`, `tls`, `write_probes` and `pinned`."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import pytest

from carecheck.auth import SPINE_CASES, TOKEN_CASES, Matrix, TokenProvider, load_matrix
from carecheck.baseline import PinnedSearches
from carecheck.capability import Capabilities
from carecheck.config import Target
from carecheck.http import FhirClient, Redactor
from carecheck.probe import SecurityProbes, TlsProbes, WriteProbes
from carecheck.run.facts import RunFacts
from carecheck.run.fixtures import shared_provider

__all__ = ["patient_context_provider", "patient_only_provider", "pinned", "security", "spine_matrix", "tls", "token_matrix", "write_probes"]


@pytest.fixture(scope="session")
def token_matrix() -> Matrix:
    """How each forged access token is made (`fixtures/security/tokens.yaml`)."""
    return load_matrix(TOKEN_CASES)


@pytest.fixture(scope="session")
def spine_matrix() -> Matrix:
    """How each defective Spine audit JWT is made (`fixtures/security/spine.yaml`)."""
    return load_matrix(SPINE_CASES)


@pytest.fixture(scope="session")
def patient_only_provider(
    request: pytest.FixtureRequest, facts: RunFacts, redactor: Redactor, client_options: dict[str, Any]
) -> Iterator[TokenProvider | None]:
    """The token provider of the profile's Patient-only client (None without one), with the token the owner obtained."""
    with shared_provider(request, facts.target.auth.patient_only, "auth-patient-only", facts, redactor, client_options) as provider:
        yield provider


@pytest.fixture(scope="session")
def patient_context_provider(
    request: pytest.FixtureRequest, facts: RunFacts, redactor: Redactor, client_options: dict[str, Any]
) -> Iterator[TokenProvider | None]:
    """The token provider of the profile's patient-context client (None without one), with the token the owner obtained."""
    with shared_provider(request, facts.target.auth.patient_context, "auth-patient-context", facts, redactor, client_options) as provider:
        yield provider


@pytest.fixture
def security(
    client: FhirClient,
    target: Target,
    token_provider: TokenProvider,
    patient_only_provider: TokenProvider | None,
    patient_context_provider: TokenProvider | None,
    capabilities: Capabilities,
    token_matrix: Matrix,
    spine_matrix: Matrix,
) -> SecurityProbes:
    """The security scenarios' requests: `security.forged_everywhere("alg-none")` and friends."""
    return SecurityProbes(
        client=client,
        target=target,
        provider=token_provider,
        patient_only=patient_only_provider,
        patient_context=patient_context_provider,
        capabilities=capabilities,
        tokens=token_matrix,
        spine=spine_matrix,
    )


@pytest.fixture
def tls(client: FhirClient, trust: ssl.SSLContext, target: Target) -> TlsProbes:
    """The TLS scenarios' probes: `tls.old_versions()`, `tls.weak_suites()`, `tls.plain_http()`..."""
    return TlsProbes(client=client, trust=trust, timeout=target.timeout)


@pytest.fixture
def write_probes(client: FhirClient, target: Target) -> WriteProbes:
    """The scenario's write probes: `write_probes.send("PUT", "Patient")`, then `write_probes.cleanup_of(interaction)`."""
    return WriteProbes(client, allowed=target.writes != "never")


@pytest.fixture(scope="session")
def pinned(facts: RunFacts) -> PinnedSearches:
    """The target's pinned search results (`baseline:` in the profile, or `--baseline`)."""
    return PinnedSearches(facts.baseline, facts.target.name)
