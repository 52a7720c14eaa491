"""carecheck's pytest plugin: run options, the scenario lifecycle hooks that record evidence, and the fixtures.

Steps (`carecheck.steps`) take `client`, `verdict` and `known` (see `carecheck.run.fixtures`);
everything they send is recorded to the scenario's evidence folder as it happens, and each scenario's
outcome, findings, judgements and steps are written when it ends; when the session ends every report is
written from that evidence (`carecheck.report.write_reports`). Nothing here knows any particular check.

It is loaded explicitly (`carecheck run` passes `-p carecheck.plugin`; the suites' conftest.py names it in
`pytest_plugins`), never through an entry point, so installing carecheck changes no other pytest session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck.checks import INCONCLUSIVE, CheckFailed, Verdict
from carecheck.evidence import EvidenceWriter, StepLog, read_pack
from carecheck.provenance import executor_facts, harness_facts
from carecheck.report import write_cleanup, write_reports
from carecheck.run import fixtures, pinned, security, tls, writes
from carecheck.run.context import WRITER, now, target_of, waivers_of, writer_of
from carecheck.run.interrupts import interrupt_like_ctrl_c
from carecheck.run.junit_allure import AllureOutcomes, record_requirements, state_failure
from carecheck.run.markers import register_markers
from carecheck.run.own_features import OPTION, own_folder, require_under_rootdir
from carecheck.run.progress import PROGRESS_FILE
from carecheck.run.scenario import INCONCLUSIVE_SKIP, REQUIREMENT_TAG, ScenarioRun, outcome_of, scenario_id

__all__: list[str] = []

_SHARED = pytest.StashKey[str]()
_COLLECTED = pytest.StashKey[int]()
_STEPS = pytest.StashKey[StepLog]()
_FINISHED = frozenset({pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED})
_ALLURE = pytest.StashKey[AllureOutcomes | None]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("carecheck", "carecheck conformance run")
    group.addoption("--target", default="reference", help="target profile: a name of carecheck's (reference...) or a YAML file")
    group.addoption("--base-url", default=None, help="test this FHIR base URL instead of the profile's")
    group.addoption("--report-dir", default=None, help="write evidence, summary.json, junit.xml and allure-results here")
    group.addoption("--waivers", default=None, help="YAML file of accepted deviations (instead of the profile's)")
    group.addoption("--ca-bundle", default=None, help="PEM file of CA certificates to trust besides the default ones")
    group.addoption("--baseline", default=None, help="YAML file of pinned search results (instead of the profile's baseline)")
    group.addoption("--features", dest=OPTION, default=None, help="a folder of your own .feature files (carecheck's step vocabulary) to run beside the built-in ones")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(fixtures, "carecheck.fixtures")
    config.pluginmanager.register(security, "carecheck.security")
    config.pluginmanager.register(tls, "carecheck.tls")
    config.pluginmanager.register(writes, "carecheck.writes")
    config.pluginmanager.register(pinned, "carecheck.pinned")
    register_markers(config, own_folder(config))
    require_under_rootdir(config)
    report_dir = config.getoption("report_dir", default=None)
    if not report_dir:
        return
    interrupt_like_ctrl_c()
    root = Path(report_dir).resolve()
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(root / "junit.xml")
    if not getattr(config.option, "allure_report_dir", None):
        config.option.allure_report_dir = str(root / "allure-results")
    config.stash[_ALLURE] = AllureOutcomes.follow(config)
    writer = EvidenceWriter(root)
    config.stash[WRITER] = writer
    if _is_worker(config):
        return
    target = target_of(config)
    writer.update_run(
        target={"name": target.name, "base_url": target.base_url, "profile": target.redacted()},
        **harness_facts(own_folder(config)),
        executor=executor_facts(),
        started=writer.run_facts().get("started") or now(),
    )
    waivers = config.getoption("waivers") or target.waivers
    if waivers:
        writer.keep_waivers(Path(waivers))


def _is_worker(config: pytest.Config) -> bool:
    """True in a pytest-xdist worker: the controller alone keeps run.json, progress totals and the summary."""
    return hasattr(config, "workerinput")


def _progress(config: pytest.Config, event: dict[str, Any]) -> None:
    writer = writer_of(config)
    if writer is not None:
        with (writer.report_dir / PROGRESS_FILE).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")


def pytest_collection_finish(session: pytest.Session) -> None:
    if not _is_worker(session.config) and session.items:
        _progress(session.config, {"collected": len(session.items)})


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: Sequence[str]) -> None:
    if _COLLECTED not in node.config.stash:
        node.config.stash[_COLLECTED] = len(ids)
        _progress(node.config, {"collected": len(ids)})


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """A parallel run's controller fetches token, CapabilityStatement and test data once for every worker."""
    config = node.config
    base_url = config.getoption("base_url")
    if not base_url:
        return  # not a carecheck run (e.g. the project's own tests under xdist): workers fetch what they need
    if _SHARED not in config.stash:
        config.stash[_SHARED] = fixtures.share_with_workers(config, base_url)
    node.workerinput[fixtures.SHARED] = config.stash[_SHARED]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Last, so junit.xml and the Allure results are complete when the reports and the manifest are written."""
    writer = writer_of(session.config)
    if writer is None or _is_worker(session.config):
        return
    writes = write_cleanup(read_pack(writer.report_dir))
    # Anything but a finished session (Ctrl-C, SIGTERM, an INTERNALERROR, a worker lost) stopped early: the pack says so.
    writer.update_run(ended=now(), interrupted=exitstatus not in _FINISHED, write_cleanup=writes)
    write_reports(writer.report_dir)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """`@req:ID` tags are requirement data, not markers; every other tag stays a pytest marker. First, before
    pytest-bdd's own, whichever of the two was loaded first."""
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
    request.node.stash[_STEPS] = StepLog((step.keyword, step.type, step.name, step.line_number) for step in scenario.steps)
    if evidence is not None:
        evidence.start(run.identity())


def _counts(run: ScenarioRun) -> tuple[int, int]:
    """How many judgements the scenario has made and exchanges it has recorded so far."""
    return len(run.verdict.judgements), len(run.evidence.files) if run.evidence else 0


def pytest_bdd_before_step(request: pytest.FixtureRequest) -> None:
    run, steps = request.node.stash.get(fixtures.SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is not None and steps is not None:
        steps.started(*_counts(run))


def pytest_bdd_after_step(request: pytest.FixtureRequest) -> None:
    run, steps = request.node.stash.get(fixtures.SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is not None and steps is not None:
        steps.ended("passed", *_counts(run))


@pytest.hookimpl(trylast=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """A scenario whose steps all passed but whose checks could not judge part of the answer ends skipped, so
    pytest, junit.xml and Allure never count it passed; its result says `inconclusive` and why."""
    run, steps = request.node.stash.get(fixtures.SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is None or steps is None or not steps.completed:
        return
    outcome, message = run.verdict.settled()
    if outcome == INCONCLUSIVE:
        pytest.skip(f"{INCONCLUSIVE_SKIP} {message}")


def pytest_bdd_step_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    run, steps = request.node.stash.get(fixtures.SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is not None and steps is not None:
        steps.ended("failed" if isinstance(exception, CheckFailed) else "error", *_counts(run))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    run = item.stash.get(fixtures.SCENARIO, None)
    finished = call.when == "call" or (call.when == "setup" and not report.passed)
    if run is None or not finished:
        return report
    outcome, message = outcome_of(report, call, run.verdict)
    result = run.result(outcome, message)
    record_requirements(item, result["requirements"])
    state_failure(report, outcome, message)
    allure_outcomes = item.config.stash.get(_ALLURE, None)
    if allure_outcomes is not None:
        allure_outcomes.expect(run.name, outcome, message)
    if run.evidence is None:
        return report
    steps = item.stash.get(_STEPS, None)
    recorded = steps.to_data(outcome, *_counts(run)) if steps is not None else []
    run.evidence.finish({**result, "steps": recorded})
    _progress(item.config, {"id": run.id, "outcome": outcome})
    return report
