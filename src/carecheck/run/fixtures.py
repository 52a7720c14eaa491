"""The fixtures steps use: the target, a recording client per scenario, the verdict, and the known data.

Session fixtures hold what a run fetches once (token, CapabilityStatement, discovered test data); their
exchanges are recorded under `evidence/_run/`. Scenario fixtures hold everything else.

Size: the fixtures and `KnownData`, the steps' one view of the target's data, belong together.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx
import pytest

from carecheck.auth import TokenProvider
from carecheck.auth import token_provider as token_provider_for
from carecheck.capability import Capabilities, not_applicable_reason
from carecheck.checks import Verdict
from carecheck.config import Expectations, MissingTestData, Target, TestData, fill, fill_query
from carecheck.http import Exchange, FhirClient, Pacer, Redactor, trust_store
from carecheck.run.clients import client_settings, connection_pool
from carecheck.run.context import target_of, writer_of
from carecheck.run.references import ReferenceReads, ScenarioReferences
from carecheck.run.scenario import NOT_APPLICABLE, ScenarioRun
from carecheck.run.server import target_server
from carecheck.probe import unexplorable
from carecheck.search import default_registry
from carecheck.search.examples import example
from carecheck.search.strategies import SearchSpace
from carecheck.testdata import DIRECTORY, Known, discover

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
    """The target's CapabilityStatement (empty when it cannot be read; the capability scenarios say why)."""
    exchange = client.capabilities().first
    try:
        statement = json.loads(exchange.response.body) if exchange.response else {}
    except ValueError:
        statement = {}
    return Capabilities(statement if isinstance(statement, dict) else {})


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


class KnownData:
    """What the target is known to hold, as steps use it; anything missing makes the scenario not applicable."""

    def __init__(self, known: Known, *, base_url: str, capabilities: Capabilities, expectations: Expectations) -> None:
        self._known = known
        self._testdata: TestData = known.testdata()
        self._base_url = base_url
        self._capabilities = capabilities
        self._expectations = expectations
        self._conformance = expectations.conformance
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

    def require_single_parameter_patient_search(self) -> None:
        """Not applicable where the profile expects one-parameter Patient searches to be refused (the IG's client rule)."""
        if self._expectations.patient_search_minimum != "one":
            pytest.skip(
                f"{NOT_APPLICABLE} expectations.patient_search_minimum is {self._expectations.patient_search_minimum}: "
                "the server may refuse a Patient search by one parameter other than identifier"
            )

    def require_resource(self, resource_type: str) -> None:
        """Make the scenario not applicable if the server does not declare the resource type (Patient is never optional)."""
        if resource_type != "Patient" and self._capabilities.resource_types() and not self._capabilities.declares(resource_type):
            pytest.skip(f"{NOT_APPLICABLE} the server does not declare {resource_type} in its CapabilityStatement")

    def require_interaction(self, resource_type: str, interaction: str) -> None:
        """Make the scenario not applicable unless the CapabilityStatement declares `interaction` (vread...) for the type."""
        if interaction not in self._capabilities.interactions(resource_type):
            pytest.skip(f"{NOT_APPLICABLE} the server does not declare {interaction} for {resource_type} in its CapabilityStatement")

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

    def search_space(self, resource_type: str, exploring: str) -> SearchSpace:
        """Where the searches hypothesis generates for property `exploring` come from: the known record, the
        known patient as the base criterion (family and gender for Patient), the parameters the target declares.
        Not applicable when the known record holds nothing the property can build searches from."""
        record = self.record(resource_type)
        if resource_type == "Patient":
            base = tuple(self.query("family={patient.family}&gender={patient.gender}"))
        else:
            base = (("patient", f"Patient/{self.record('Patient').get('id')}"),)
        declared = tuple(sorted(self._capabilities.search_parameters(resource_type)))
        space = SearchSpace(resource_type, base, (record,), declared, self._base_url, tuple(self.related()))
        reason = unexplorable(exploring, space)
        if reason:
            pytest.skip(f"{NOT_APPLICABLE} {reason}")
        return space

    def formats(self) -> tuple[str, ...]:
        """The formats (json, xml) the CapabilityStatement declares; both when it lists none."""
        declared = [str(item).lower() for item in self._capabilities.statement.get("format") or []]
        return tuple(name for name in ("json", "xml") if not declared or any(name in item for item in declared))

    def require_format(self, format: str) -> None:
        """Make the scenario not applicable if the CapabilityStatement lists its formats and `format` (json, xml) is not one."""
        if format in ("json", "xml") and format not in self.formats():
            declared = ", ".join(str(item) for item in self._capabilities.statement.get("format") or [])
            pytest.skip(f"{NOT_APPLICABLE} the server's CapabilityStatement does not declare the {format.upper()} format ({declared})")

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
    return KnownData(known_data, base_url=fhir_base_url, capabilities=capabilities, expectations=target.expectations)


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
