"""carecheck's pytest plugin: run options, the fixtures steps use, and the hooks that record evidence.

Steps (in the project's `steps/`) take `client`, `verdict` and `known`; everything they send is
recorded to the scenario's evidence folder as it happens, and each scenario's outcome, findings and
judgements are written when it ends. Nothing here knows any particular check or scenario.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import allure
import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck import __version__
from carecheck.auth import TokenProvider
from carecheck.auth import token_provider as token_provider_for
from carecheck.checks import CheckFailed, Outcome, Verdict
from carecheck.config import MissingTestData, Target, TestData, fill, fill_query, load_target
from carecheck.errors import ConfigError
from carecheck.evidence import EvidenceWriter, ScenarioEvidence
from carecheck.fhir import Waiver, load_waivers
from carecheck.http import Exchange, FhirClient, Redactor
from carecheck.report import write_summary
from carecheck.run.server import target_server

__all__ = ["NOT_APPLICABLE", "REQUIREMENT_TAG", "ScenarioRun", "TestDataFiller"]

NOT_APPLICABLE = "not-applicable:"
"""Prefix of a skip reason that makes the scenario `not-applicable` rather than `skipped`."""
REQUIREMENT_TAG = "req:"
"""Gherkin tags `@req:ID` name the requirements a scenario tests; they are data, not pytest markers."""

_SCENARIO = pytest.StashKey["ScenarioRun"]()
_WRITER = pytest.StashKey[EvidenceWriter]()
_TARGET = pytest.StashKey[Target]()
_WAIVERS = pytest.StashKey[tuple[Waiver, ...]]()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "scenario"


@dataclass
class ScenarioRun:
    """One scenario while it runs: its identity, its verdict, and where its evidence goes."""

    id: str
    feature: str
    name: str
    tags: tuple[str, ...]
    requirements: tuple[str, ...]
    verdict: Verdict
    evidence: ScenarioEvidence | None
    started: str = field(default_factory=_now)

    def record(self, exchange: Exchange) -> None:
        if self.evidence is not None:
            self.evidence.record(exchange)
        allure.attach(exchange.to_json(), name=exchange.describe(), attachment_type=allure.attachment_type.JSON)

    def identity(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "feature": self.feature,
            "name": self.name,
            "tags": list(self.tags),
            "requirements": list(self.requirements),
            "started": self.started,
        }

    def result(self, outcome: str, message: str) -> dict[str, Any]:
        findings = self.verdict.findings
        requirements = dict.fromkeys((*self.requirements, *(r for f in findings for r in f.requirements)))
        return {
            **self.identity(),
            "outcome": outcome,
            "message": message,
            "requirements": list(requirements),
            "ended": _now(),
            "judgements": [judgement.to_data() for judgement in self.verdict.judgements],
        }


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("carecheck", "carecheck conformance run")
    group.addoption("--target", default="reference", help="target profile: a name in fixtures/targets/ or a YAML file")
    group.addoption("--base-url", default=None, help="test this FHIR base URL instead of the profile's")
    group.addoption("--report-dir", default=None, help="write evidence, summary.json, junit.xml and allure-results here")
    group.addoption("--waivers", default=None, help="YAML file of accepted deviations (instead of the profile's)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    report_dir = config.getoption("report_dir", default=None)
    if not report_dir:
        return
    root = Path(report_dir).resolve()
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(root / "junit.xml")
    if not getattr(config.option, "allure_report_dir", None):
        config.option.allure_report_dir = str(root / "allure-results")
    writer = EvidenceWriter(root)
    config.stash[_WRITER] = writer
    target = _target(config)
    writer.update_run(
        target={"name": target.name, "base_url": target.base_url, "profile": target.redacted()},
        harness_version=__version__,
        started=writer.run_facts().get("started") or _now(),
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    writer = session.config.stash.get(_WRITER, None)
    if writer is None:
        return
    writer.update_run(ended=_now(), interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
    write_summary(writer.report_dir)


def _target(config: pytest.Config) -> Target:
    if _TARGET not in config.stash:
        try:
            config.stash[_TARGET] = load_target(config.getoption("target"), base_url=config.getoption("base_url"))
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_TARGET]


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """`@req:ID` tags are requirement data, not markers; every other tag stays a pytest marker."""
    return True if tag.startswith(REQUIREMENT_TAG) else None


def _waivers(config: pytest.Config) -> tuple[Waiver, ...]:
    if _WAIVERS not in config.stash:
        chosen = config.getoption("waivers") or _target(config).waivers
        try:
            config.stash[_WAIVERS] = tuple(load_waivers(Path(chosen))) if chosen else ()
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_WAIVERS]


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    tags = sorted(scenario.tags | feature.tags | (scenario.rule.tags if scenario.rule else set()))
    requirements = tuple(tag.removeprefix(REQUIREMENT_TAG) for tag in tags if tag.startswith(REQUIREMENT_TAG))
    scenario_id = _scenario_id(request.node, feature, scenario)
    writer = request.config.stash.get(_WRITER, None)
    evidence = writer.scenario(scenario_id) if writer else None
    verdict = Verdict(requirements=requirements, locate=evidence.locate if evidence else None, waivers=_waivers(request.config))
    run = ScenarioRun(
        id=scenario_id,
        feature=feature.name,
        name=scenario.name,
        tags=tuple(tag for tag in tags if not tag.startswith(REQUIREMENT_TAG)),
        requirements=requirements,
        verdict=verdict,
        evidence=evidence,
    )
    request.node.stash[_SCENARIO] = run
    if evidence is not None:
        evidence.start(run.identity())


def _scenario_id(item: pytest.Item, feature: Feature, scenario: Scenario) -> str:
    """`patient/patient_search/find-a-patient-by-nhs-number`, plus the example's id for outlines."""
    features = item.config.rootpath / str(item.config.getini("bdd_features_base_dir") or "")
    path = Path(feature.filename).resolve()
    relative = path.relative_to(features.resolve()) if path.is_relative_to(features.resolve()) else Path(path.name)
    callspec = getattr(item, "callspec", None)
    example = f"--{_slug(callspec.id)}" if callspec is not None else ""
    return "/".join((*relative.with_suffix("").parts, _slug(scenario.name) + example))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    run = item.stash.get(_SCENARIO, None)
    finished = call.when == "call" or (call.when == "setup" and not report.passed)
    if run is None or not finished or run.evidence is None:
        return report
    outcome, message = _outcome(report, call, run.verdict)
    run.evidence.finish(run.result(outcome, message))
    return report


def _outcome(report: pytest.TestReport, call: pytest.CallInfo[None], verdict: Verdict) -> tuple[str, str]:
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(NOT_APPLICABLE):
            return "not-applicable", reason.removeprefix(NOT_APPLICABLE).strip()
        return "skipped", reason
    if report.passed:
        waived = [f"waived: {f.message} ({f.waiver})" for f in verdict.findings if f.outcome is Outcome.WAIVED]
        warnings = [f"warning: {f.message}" for f in verdict.findings if f.outcome is Outcome.WARN]
        notes = [*waived, *warnings]
        more = f"; and {len(notes) - 5} more (see result.json)" if len(notes) > 5 else ""
        return ("waived" if waived else "passed"), "; ".join(notes[:5]) + more
    error = call.excinfo.value if call.excinfo else None
    if isinstance(error, CheckFailed):
        return "failed", str(error)
    where = "setting up the scenario" if call.when == "setup" else "running the scenario"
    return "error", f"harness error while {where}: {type(error).__name__}: {error}"


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    """The target profile of this run."""
    return _target(request.config)


@pytest.fixture(scope="session")
def fhir_base_url(target: Target) -> Iterator[str]:
    """The FHIR base URL under test; an embedded target is served for the whole session."""
    with target_server(target) as base_url:
        yield base_url


@pytest.fixture
def scenario_run(request: pytest.FixtureRequest) -> ScenarioRun:
    run = request.node.stash.get(_SCENARIO, None)
    if run is None:
        raise RuntimeError("carecheck fixtures are for Gherkin scenarios only")
    return run


@pytest.fixture
def verdict(scenario_run: ScenarioRun) -> Verdict:
    """The scenario's verdict: steps call `verdict.judge(check_name, interaction, **arguments)`."""
    return scenario_run.verdict


@pytest.fixture(scope="session")
def redactor(target: Target) -> Redactor:
    """The run's redactor: the profile's secrets from the start, tokens as they are obtained."""
    return Redactor.of(target.secrets())


@pytest.fixture(scope="session")
def token_provider(request: pytest.FixtureRequest, target: Target, fhir_base_url: str, redactor: Redactor) -> Iterator[TokenProvider]:
    """The run's token provider; its token requests are recorded under `evidence/_run/auth/`."""
    writer = request.config.stash.get(_WRITER, None)
    record = writer.scenario("_run/auth").record if writer else _ignore
    with FhirClient(fhir_base_url, record=record, redactor=redactor, timeout=target.timeout) as auth_client:
        yield token_provider_for(target.auth, auth_client)


def _ignore(exchange: Exchange) -> None:
    return None


@pytest.fixture
def client(
    scenario_run: ScenarioRun, target: Target, fhir_base_url: str, redactor: Redactor, token_provider: TokenProvider
) -> Iterator[FhirClient]:
    """A FHIR client for the scenario that records every exchange into its evidence."""
    with FhirClient(
        fhir_base_url,
        record=scenario_run.record,
        redactor=redactor,
        authorize=token_provider.authorization,
        timeout=target.timeout,
    ) as fhir_client:
        yield fhir_client


@pytest.fixture
def testdata(target: Target) -> TestData:
    return target.testdata


class TestDataFiller:
    """Fills `{patient.family}`-style placeholders; missing test data makes the scenario not applicable."""

    __test__ = False

    def __init__(self, testdata: TestData) -> None:
        self._testdata = testdata

    def value(self, template: str) -> str:
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


@pytest.fixture
def known(testdata: TestData) -> TestDataFiller:
    """What the target is known to hold: `known.value("{patient.id}")`, `known.query("family={patient.family}")`."""
    return TestDataFiller(testdata)
