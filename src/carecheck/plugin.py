"""carecheck's pytest plugin: run options, the scenario lifecycle hooks that record evidence, and the fixtures.

Steps (in the project's `steps/`) take `client`, `verdict` and `known` (see `carecheck.run.fixtures`);
everything they send is recorded to the scenario's evidence folder as it happens, and each scenario's
outcome, findings and judgements are written when it ends. Nothing here knows any particular check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck import __version__
from carecheck.checks import Verdict
from carecheck.evidence import EvidenceWriter
from carecheck.report import write_summary
from carecheck.run import fixtures
from carecheck.run.context import WRITER, now, target_of, waivers_of, writer_of
from carecheck.run.scenario import REQUIREMENT_TAG, ScenarioRun, outcome_of, scenario_id

__all__: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("carecheck", "carecheck conformance run")
    group.addoption("--target", default="reference", help="target profile: a name in fixtures/targets/ or a YAML file")
    group.addoption("--base-url", default=None, help="test this FHIR base URL instead of the profile's")
    group.addoption("--report-dir", default=None, help="write evidence, summary.json, junit.xml and allure-results here")
    group.addoption("--waivers", default=None, help="YAML file of accepted deviations (instead of the profile's)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(fixtures, "carecheck.fixtures")
    report_dir = config.getoption("report_dir", default=None)
    if not report_dir:
        return
    root = Path(report_dir).resolve()
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(root / "junit.xml")
    if not getattr(config.option, "allure_report_dir", None):
        config.option.allure_report_dir = str(root / "allure-results")
    writer = EvidenceWriter(root)
    config.stash[WRITER] = writer
    target = target_of(config)
    writer.update_run(
        target={"name": target.name, "base_url": target.base_url, "profile": target.redacted()},
        harness_version=__version__,
        started=writer.run_facts().get("started") or now(),
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    writer = writer_of(session.config)
    if writer is None:
        return
    writer.update_run(ended=now(), interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
    write_summary(writer.report_dir)


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """`@req:ID` tags are requirement data, not markers; every other tag stays a pytest marker."""
    return True if tag.startswith(REQUIREMENT_TAG) else None


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    tags = sorted(scenario.tags | feature.tags | (scenario.rule.tags if scenario.rule else set()))
    requirements = tuple(tag.removeprefix(REQUIREMENT_TAG) for tag in tags if tag.startswith(REQUIREMENT_TAG))
    identity = scenario_id(request.node, feature, scenario)
    writer = writer_of(request.config)
    evidence = writer.scenario(identity) if writer else None
    run = ScenarioRun(
        id=identity,
        feature=feature.name,
        name=scenario.name,
        tags=tuple(tag for tag in tags if not tag.startswith(REQUIREMENT_TAG)),
        requirements=requirements,
        verdict=Verdict(requirements=requirements, locate=evidence.locate if evidence else None, waivers=waivers_of(request.config)),
        evidence=evidence,
    )
    request.node.stash[fixtures.SCENARIO] = run
    if evidence is not None:
        evidence.start(run.identity())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    run = item.stash.get(fixtures.SCENARIO, None)
    finished = call.when == "call" or (call.when == "setup" and not report.passed)
    if run is None or not finished or run.evidence is None:
        return report
    outcome, message = outcome_of(report, call, run.verdict)
    run.evidence.finish(run.result(outcome, message))
    return report
