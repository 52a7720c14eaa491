"""The fixtures steps use: the target, a recording client per scenario, the verdict, and the known data.

Session fixtures hold what a run fetches once (token, CapabilityStatement, discovered test data); their
exchanges are recorded under `evidence/_run/`. Scenario fixtures hold everything else.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from carecheck.auth import TokenProvider
from carecheck.auth import token_provider as token_provider_for
from carecheck.capability import Capabilities
from carecheck.checks import Verdict
from carecheck.config import Target
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, FhirClient, Pacer, Redactor, trust_store
from carecheck.run.clients import client_settings, connection_pool
from carecheck.run.context import target_of, writer_of
from carecheck.run.known import KnownData
from carecheck.run.references import ReferenceReads, ScenarioReferences
from carecheck.run.scenario import ScenarioRun
from carecheck.run.server import target_server
from carecheck.testdata import Known, discover

__all__ = [
    "KnownData",
    "capabilities",
    "client",
    "client_options",
    "exploration_seed",
    "fhir_base_url",
    "http_pool",
    "known",
    "known_data",
    "redactor",
    "reference_reads",
    "references",
    "scenario_run",
    "share_with_workers",
    "target",
    "token_provider",
    "trust",
    "verdict",
]

SCENARIO = pytest.StashKey[ScenarioRun]()
SHARED = "carecheck_shared"
"""The key of `workerinput` under which a parallel run's controller hands shared state to its workers."""


def _ignore(exchange: Exchange) -> None:
    return None


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    """The target profile of this run."""
    return target_of(request.config)


@pytest.fixture(scope="session")
def fhir_base_url(target: Target) -> Iterator[str]:
    """The FHIR base URL under test; an embedded target is served for the whole session."""
    with target_server(target) as base_url:
        yield base_url


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
def exploration_seed(request: pytest.FixtureRequest) -> int | str | None:
    """The seed of the searches hypothesis generates: its own `--hypothesis-seed` option, else None (derandomized)."""
    value = request.config.getoption("hypothesis_seed", default=None)
    if value is None:
        return None
    return int(value) if str(value).lstrip("-").isdigit() else str(value)


@pytest.fixture(scope="session")
def redactor(target: Target) -> Redactor:
    """The run's redactor: the profile's secrets from the start, tokens as they are obtained."""
    return Redactor.of(target.secrets())


def _run_folder(config: pytest.Config, name: str) -> str:
    """`_run/auth`, or `_run/gw0/auth` in a parallel worker, so processes never write over each other's files."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    return f"_run/{worker}/{name}" if worker else f"_run/{name}"


def _session_client(request: pytest.FixtureRequest, name: str, base_url: str, options: dict[str, Any], redactor: Redactor) -> FhirClient:
    writer = writer_of(request.config)
    record = writer.scenario(_run_folder(request.config, name)).record if writer else _ignore
    return FhirClient(base_url, record=record, redactor=redactor, **options)


def _shared(config: pytest.Config) -> dict[str, Any] | None:
    """What the controller of a parallel run fetched once for every worker (see `share_with_workers`)."""
    workerinput = getattr(config, "workerinput", None)
    return json.loads(workerinput[SHARED]) if workerinput and SHARED in workerinput else None


@pytest.fixture(scope="session")
def token_provider(
    request: pytest.FixtureRequest, target: Target, fhir_base_url: str, redactor: Redactor, client_options: dict[str, Any]
) -> Iterator[TokenProvider]:
    """The run's token provider; its token requests are recorded under `evidence/_run/auth/`."""
    with _session_client(request, "auth", fhir_base_url, client_options, redactor) as auth_client:
        provider = token_provider_for(target.auth, auth_client)
        shared = _shared(request.config)
        if shared and shared.get("token") and hasattr(provider, "adopt"):
            provider.adopt(*shared["token"])
        yield provider


def _scoped_client(
    request: pytest.FixtureRequest, name: str, base_url: str, options: dict[str, Any], redactor: Redactor, provider: TokenProvider
) -> FhirClient:
    writer = writer_of(request.config)
    record = writer.scenario(_run_folder(request.config, name)).record if writer else _ignore
    return FhirClient(base_url, record=record, redactor=redactor, authorize=provider.authorization, **options)


def fetch_capabilities(client: FhirClient) -> Capabilities:
    """The target's CapabilityStatement, in JSON or XML as the profile speaks (empty when it cannot be read; the
    capability scenarios say why)."""
    exchange = client.capabilities().first
    try:
        statement = parse_resource(exchange) if exchange.response else {}
    except BodyError:
        statement = {}
    return Capabilities(statement if statement.get("resourceType") == "CapabilityStatement" else {})


@pytest.fixture(scope="session")
def capabilities(
    request: pytest.FixtureRequest,
    fhir_base_url: str,
    redactor: Redactor,
    token_provider: TokenProvider,
    client_options: dict[str, Any],
) -> Capabilities:
    """The target's CapabilityStatement, read once per run (exchanges under `_run/capability`)."""
    shared = _shared(request.config)
    if shared is not None:
        return Capabilities(shared["capability"])
    with _scoped_client(request, "capability", fhir_base_url, client_options, redactor, token_provider) as session:
        return fetch_capabilities(session)


@pytest.fixture(scope="session")
def known_data(
    request: pytest.FixtureRequest,
    target: Target,
    fhir_base_url: str,
    redactor: Redactor,
    token_provider: TokenProvider,
    capabilities: Capabilities,
    client_options: dict[str, Any],
) -> Known:
    """The known patient and records, from the profile's test data and discovery (exchanges under `_run/discovery`)."""
    shared = _shared(request.config)
    if shared is not None:
        return Known.load(shared["known"])
    with _scoped_client(request, "discovery", fhir_base_url, client_options, redactor, token_provider) as session:
        found = discover(session, target.testdata, capabilities)
    writer = writer_of(request.config)
    if writer is not None:
        writer.update_run(testdata=found.to_data())
    return found


def share_with_workers(config: pytest.Config, base_url: str) -> str:
    """Fetch once, in the controller of a parallel run, what every worker needs: token, statement, test data."""
    target = target_of(config)
    writer = writer_of(config)
    redactor = Redactor.of(target.secrets())

    def recorder(name: str) -> Callable[[Exchange], None]:
        return writer.scenario(f"_run/{name}").record if writer else _ignore

    options = client_settings(target)
    with FhirClient(base_url, record=recorder("auth"), redactor=redactor, **options) as auth_client:
        provider = token_provider_for(target.auth, auth_client)
        with FhirClient(base_url, record=recorder("capability"), redactor=redactor, authorize=provider.authorization, **options) as client:
            capabilities = fetch_capabilities(client)
        with FhirClient(base_url, record=recorder("discovery"), redactor=redactor, authorize=provider.authorization, **options) as client:
            found = discover(client, target.testdata, capabilities)
        token = provider.share() if hasattr(provider, "share") else None
    if writer is not None:
        writer.update_run(testdata=found.to_data())
    return json.dumps({"token": token, "capability": dict(capabilities.statement), "known": found.dump()})


@pytest.fixture
def scenario_run(request: pytest.FixtureRequest) -> ScenarioRun:
    run = request.node.stash.get(SCENARIO, None)
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
    target: Target,
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
    """The run's reads of records that chained searches' results refer to, each read once (see `run.references`)."""
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
