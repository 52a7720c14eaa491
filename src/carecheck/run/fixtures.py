"""The fixtures steps use: the target, a recording client per scenario, the verdict, and the known data.

Session fixtures hold what a run fetches once (token, CapabilityStatement, discovered test data); their
exchanges are recorded under `evidence/_run/`. Scenario fixtures hold everything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx
import pytest

from carecheck.auth import TokenProvider
from carecheck.auth import token_provider as token_provider_for
from carecheck.capability import Capabilities, not_applicable_reason
from carecheck.checks import Verdict
from carecheck.config import MissingTestData, Target, TestData, fill, fill_query
from carecheck.http import Exchange, FhirClient, Redactor, shared_http_client
from carecheck.run.context import target_of, writer_of
from carecheck.run.scenario import NOT_APPLICABLE, ScenarioRun
from carecheck.run.server import target_server
from carecheck.search import default_registry
from carecheck.search.examples import example
from carecheck.testdata import DIRECTORY, Known, discover

__all__ = [
    "KnownData",
    "capabilities",
    "client",
    "fhir_base_url",
    "http_pool",
    "known",
    "known_data",
    "redactor",
    "scenario_run",
    "target",
    "token_provider",
    "verdict",
]

SCENARIO = pytest.StashKey[ScenarioRun]()


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
def http_pool(target: Target) -> Iterator[httpx.Client]:
    """One connection pool for the whole run (keep-alive, one TLS set-up), shared by every client."""
    with shared_http_client(timeout=target.timeout) as pool:
        yield pool


@pytest.fixture(scope="session")
def redactor(target: Target) -> Redactor:
    """The run's redactor: the profile's secrets from the start, tokens as they are obtained."""
    return Redactor.of(target.secrets())


def _session_client(request: pytest.FixtureRequest, name: str, base_url: str, target: Target, redactor: Redactor) -> FhirClient:
    writer = writer_of(request.config)
    record = writer.scenario(f"_run/{name}").record if writer else _ignore
    return FhirClient(base_url, record=record, redactor=redactor, timeout=target.timeout)


@pytest.fixture(scope="session")
def token_provider(request: pytest.FixtureRequest, target: Target, fhir_base_url: str, redactor: Redactor) -> Iterator[TokenProvider]:
    """The run's token provider; its token requests are recorded under `evidence/_run/auth/`."""
    with _session_client(request, "auth", fhir_base_url, target, redactor) as auth_client:
        yield token_provider_for(target.auth, auth_client)


def _scoped_client(request: pytest.FixtureRequest, name: str, base_url: str, target: Target, redactor: Redactor, provider: TokenProvider) -> FhirClient:
    writer = writer_of(request.config)
    record = writer.scenario(f"_run/{name}").record if writer else _ignore
    return FhirClient(base_url, record=record, redactor=redactor, authorize=provider.authorization, timeout=target.timeout)


@pytest.fixture(scope="session")
def capabilities(
    request: pytest.FixtureRequest, target: Target, fhir_base_url: str, redactor: Redactor, token_provider: TokenProvider
) -> Capabilities:
    """The target's CapabilityStatement, read once (empty when it cannot be read; the capability scenarios say why)."""
    with _scoped_client(request, "capability", fhir_base_url, target, redactor, token_provider) as session:
        exchange = session.capabilities().first
    try:
        statement = json.loads(exchange.response.body) if exchange.response else {}
    except ValueError:
        statement = {}
    return Capabilities(statement if isinstance(statement, dict) else {})


@pytest.fixture(scope="session")
def known_data(
    request: pytest.FixtureRequest,
    target: Target,
    fhir_base_url: str,
    redactor: Redactor,
    token_provider: TokenProvider,
    capabilities: Capabilities,
) -> Known:
    """The known patient and records, from the profile's test data and discovery (exchanges under `_run/discovery`)."""
    with _scoped_client(request, "discovery", fhir_base_url, target, redactor, token_provider) as session:
        found = discover(session, target.testdata, capabilities)
    writer = writer_of(request.config)
    if writer is not None:
        writer.update_run(testdata=found.to_data())
    return found


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
) -> Iterator[FhirClient]:
    """A FHIR client for the scenario that records every exchange into its evidence."""
    with FhirClient(
        fhir_base_url,
        record=scenario_run.record,
        redactor=redactor,
        authorize=token_provider.authorization,
        timeout=target.timeout,
        http=http_pool,
    ) as fhir_client:
        yield fhir_client


class KnownData:
    """What the target is known to hold, as steps use it; anything missing makes the scenario not applicable."""

    def __init__(self, known: Known, *, base_url: str, capabilities: Capabilities, conformance: str) -> None:
        self._known = known
        self._testdata: TestData = known.testdata()
        self._base_url = base_url
        self._capabilities = capabilities
        self._conformance = conformance
        self._registry = default_registry()

    def value(self, template: str) -> str:
        """`{patient.id}` and friends, filled from the test data."""
        try:
            return fill(template, self._testdata)
        except MissingTestData as missing:
            pytest.skip(f"{NOT_APPLICABLE} {missing}")

    def query(self, template: str) -> list[tuple[str, str]]:
        """`family={patient.family}&gender={patient.gender}` as the (name, value) pairs to send."""
        try:
            return fill_query(template, self._testdata)
        except MissingTestData as missing:
            pytest.skip(f"{NOT_APPLICABLE} {missing}")

    def record(self, resource_type: str) -> Mapping[str, Any]:
        """The known record of a type, as the target returned it."""
        found = self._known.record(resource_type)
        if found is None:
            reasons = "; ".join(n for n in self._known.notes if resource_type in n) or "none was configured or discovered"
            pytest.skip(f"{NOT_APPLICABLE} no known {resource_type} record ({reasons})")
        return found

    def require_resource(self, resource_type: str) -> None:
        """Make the scenario not applicable if the server does not declare the resource type (Patient is never optional)."""
        if resource_type != "Patient" and self._capabilities.resource_types() and not self._capabilities.declares(resource_type):
            pytest.skip(f"{NOT_APPLICABLE} the server does not declare {resource_type} in its CapabilityStatement")

    def require_search(self, resource_type: str, parameters: Sequence[str]) -> None:
        """Make the scenario not applicable if the server does not declare an optional parameter it needs."""
        reason = not_applicable_reason(self._capabilities, resource_type, parameters, conformance=self._conformance, registry=self._registry)
        if reason:
            pytest.skip(f"{NOT_APPLICABLE} {reason}")

    def example_query(self, resource_type: str, parameters: Sequence[str], forms: Sequence[str], *, for_patient: bool = False) -> list[tuple[str, str]]:
        """A query built from the known record's own values, one parameter per form (`family` as `prefix`...)."""
        record = self.record(resource_type)
        query: list[tuple[str, str]] = []
        if for_patient:
            query.append(("patient", f"Patient/{self.record('Patient').get('id')}"))
        for name, form in zip(parameters, forms, strict=True):
            built = example(record, self._registry.parameter(resource_type, name), form, base_url=self._base_url, resolve=self._resolve)
            if built is None:
                pytest.skip(f"{NOT_APPLICABLE} the known {resource_type}/{record.get('id')} has no {name} value usable as {form}")
            query.append((built.key, built.value))
        return query

    def related(self) -> list[dict[str, Any]]:
        """The known records chained criteria can point at (`patient.identifier=`, `medication.code=`),
        so the oracle can judge them: the patient and the directory records, not the clinical ones."""
        known = [self._known.patient, *(self._known.records.get(kind) for kind in DIRECTORY)]
        return [dict(record) for record in known if record is not None]

    def records_referring_to(self, resource_type: str) -> list[dict[str, Any]]:
        """The known records whose references point at the known record of `resource_type`."""
        target = self.record(resource_type)
        wanted = f"{resource_type}/{target.get('id')}"
        return [dict(r) for r in self._known.records.values() if any(_points_at(ref, wanted) for ref in _references(r))]

    def _resolve(self, reference: str) -> Mapping[str, Any] | None:
        kind, _, identity = reference.rpartition("/")
        found = self._known.record(kind.rsplit("/", 1)[-1])
        return found if found is not None and found.get("id") == identity else None


@pytest.fixture
def known(known_data: Known, fhir_base_url: str, capabilities: Capabilities, target: Target) -> KnownData:
    """What the target is known to hold: `known.value("{patient.id}")`, `known.record("Condition")`."""
    return KnownData(known_data, base_url=fhir_base_url, capabilities=capabilities, conformance=target.expectations.conformance)


def _references(value: object) -> Iterator[str]:
    """Every `reference` string anywhere inside a resource."""
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _points_at(reference: str, wanted: str) -> bool:
    return reference == wanted or reference.endswith(f"/{wanted}")
