"""The fixtures steps use: the target, a recording client per scenario, the verdict, and the known data.

Session fixtures are built from the run's facts (`carecheck.run.facts`), which the owner obtained once before pytest
started: nothing here reads the profile, the CapabilityStatement or the test data from the target, and a token is
asked for again only when the one handed over is due for renewal (those requests are recorded under
`evidence/_run/<process>/`). Scenario fixtures hold everything else.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from carecheck.auth import TokenProvider, token_provider
from carecheck.capability import Capabilities
from carecheck.checks import Verdict
from carecheck.config import Auth, Target
from carecheck.http import Exchange, FhirClient, Pacer, Redactor, trust_store
from carecheck.probe import ReferenceReads, ScenarioReferences
from carecheck.run.clients import client_settings, connection_pool
from carecheck.run.context import facts_of, writer_of
from carecheck.run.facts import RunFacts
from carecheck.run.scenario import SCENARIO, ScenarioRun
from carecheck.testdata import Known, KnownData

__all__ = [
    "capabilities",
    "client",
    "client_options",
    "exploration_seed",
    "facts",
    "fhir_base_url",
    "http_pool",
    "known",
    "known_data",
    "redactor",
    "reference_reads",
    "references",
    "run_token_provider",
    "scenario_run",
    "shared_provider",
    "target",
    "trust",
    "verdict",
]


def _ignore(exchange: Exchange) -> None:
    return None


@pytest.fixture(scope="session")
def facts(request: pytest.FixtureRequest) -> RunFacts:
    """What the run obtained once, before its scenarios (see `carecheck.run.facts`)."""
    return facts_of(request.config)


@pytest.fixture(scope="session")
def target(facts: RunFacts) -> Target:
    """The target profile of this run."""
    return facts.target


@pytest.fixture(scope="session")
def fhir_base_url(facts: RunFacts) -> str:
    """The FHIR base URL under test (an embedded target is served by `carecheck run` for the whole run)."""
    return facts.base_url


@pytest.fixture(scope="session")
def trust(target: Target) -> ssl.SSLContext:
    """The certificates the run verifies the target with: the default CAs and the profile's `ca_bundle`."""
    return trust_store(target.ca_bundle)


@pytest.fixture(scope="session")
def client_options(request: pytest.FixtureRequest, target: Target, trust: ssl.SSLContext) -> dict[str, Any]:
    """What every client of the run takes from the profile; parallel workers share the request rate out."""
    workers = int(getattr(request.config, "workerinput", {}).get("workercount", 1))
    rate = target.limits.requests_per_second / workers
    return {**client_settings(target, pacer=Pacer(rate)), "verify": trust}


@pytest.fixture(scope="session")
def http_pool(target: Target) -> Iterator[httpx.Client]:
    """One connection pool for the whole run (keep-alive, one TLS set-up), shared by every client."""
    with connection_pool(target) as pool:
        pool.event_hooks["request"].append(_omit_empty_accept)
        yield pool


def _omit_empty_accept(request: httpx.Request) -> None:
    """An Accept header set empty is left out: how a scenario sends no Accept at all (a FhirClient always adds one)."""
    if request.headers.get("accept") == "":
        del request.headers["accept"]


@pytest.fixture(scope="session")
def exploration_seed(facts: RunFacts) -> int | str | None:
    """The seed of the searches hypothesis generates (`--hypothesis-seed`), else None (derandomized)."""
    return facts.hypothesis_seed


@pytest.fixture(scope="session")
def redactor(target: Target) -> Redactor:
    """The run's redactor: the profile's secrets from the start, tokens as they are obtained."""
    return Redactor.of(target.secrets())


@contextmanager
def shared_provider(
    request: pytest.FixtureRequest, auth: Auth | None, name: str, facts: RunFacts, redactor: Redactor, options: dict[str, Any]
) -> Iterator[TokenProvider | None]:
    """The token provider of one of the profile's clients (None when the profile names none), holding the token the
    owner obtained for it under `name`; the requests renewing it are recorded under `_run/<process>/<name>`."""
    if auth is None:
        yield None
        return
    writer = writer_of(request.config)
    process = getattr(request.config, "workerinput", {}).get("workerid", "pytest")
    record = writer.scenario(f"_run/{process}/{name}").record if writer else _ignore
    with FhirClient(facts.base_url, record=record, redactor=redactor, **options) as client:
        provider = token_provider(auth, client, statement=facts.statement)
        shared = facts.tokens.get(name)
        if shared is not None and hasattr(provider, "adopt"):
            provider.adopt(*shared)
        yield provider


@pytest.fixture(scope="session", name="token_provider")
def run_token_provider(request: pytest.FixtureRequest, facts: RunFacts, redactor: Redactor, client_options: dict[str, Any]) -> Iterator[TokenProvider]:
    """The run's token provider, holding the token the owner obtained."""
    with shared_provider(request, facts.target.auth, "auth", facts, redactor, client_options) as provider:
        assert provider is not None
        yield provider


@pytest.fixture(scope="session")
def capabilities(facts: RunFacts) -> Capabilities:
    """The target's CapabilityStatement, as the owner read it (`_run/capability`)."""
    return facts.capabilities


@pytest.fixture(scope="session")
def known_data(facts: RunFacts) -> Known:
    """The known patient and records, pinned and discovered by the owner (`_run/discovery`)."""
    return facts.known_data()


@pytest.fixture
def scenario_run(request: pytest.FixtureRequest) -> ScenarioRun:
    run: ScenarioRun | None = request.node.stash.get(SCENARIO, None)
    if run is None:
        raise RuntimeError("carecheck fixtures are for Gherkin scenarios only")
    return run


@pytest.fixture
def verdict(scenario_run: ScenarioRun) -> Verdict:
    """The scenario's verdict: steps call `verdict.judge(check_name, interaction, **arguments)`."""
    return scenario_run.verdict


@pytest.fixture
def client(
    scenario_run: ScenarioRun,
    fhir_base_url: str,
    redactor: Redactor,
    token_provider: TokenProvider,
    http_pool: httpx.Client,
    client_options: dict[str, Any],
) -> Iterator[FhirClient]:
    """A FHIR client for the scenario that records every exchange into its evidence."""
    with FhirClient(
        fhir_base_url,
        record=scenario_run.record,
        redactor=redactor,
        authorize=token_provider.authorization,
        http=http_pool,
        **client_options,
    ) as fhir_client:
        yield fhir_client


@pytest.fixture(scope="session")
def reference_reads(fhir_base_url: str) -> ReferenceReads:
    """The run's reads of records that chained searches' results refer to, each read once (see `probe.references`)."""
    return ReferenceReads(fhir_base_url)


@pytest.fixture
def references(reference_reads: ReferenceReads, client: FhirClient, scenario_run: ScenarioRun) -> ScenarioReferences:
    """What judging needs read, read through the scenario's client so the reads are in its evidence."""
    evidence = scenario_run.evidence
    return ScenarioReferences(reference_reads, client, evidence.locate if evidence is not None else lambda exchange: None)


@pytest.fixture
def known(known_data: Known, fhir_base_url: str, capabilities: Capabilities, target: Target) -> KnownData:
    """What the target is known to hold: `known.value("{patient.id}")`, `known.record("Condition")`."""
    return KnownData(known_data, base_url=fhir_base_url, capabilities=capabilities, expectations=target.expectations)
