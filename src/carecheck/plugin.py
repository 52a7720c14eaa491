"""carecheck's pytest plugin: the scenario lifecycle hooks that record evidence, and the fixtures.

`carecheck run` loads it explicitly (`-p carecheck.plugin`) into the pytest process it starts, and hands that
process the run's facts (`carecheck.run.facts`); a parallel run's controller passes them on to its workers. Steps
(in the project's `steps/`) take `client`, `verdict` and `known` (see `carecheck.run.fixtures`); everything they send
is recorded to the scenario's evidence folder as it happens, and each scenario's outcome, findings, judgements and
steps are written when it ends. The reports are written once, by `carecheck run`, after pytest has ended. A scenario
a step finds not applicable (`carecheck.checks.NotApplicable`) or that ends inconclusive is recorded so as data, and
shown skipped to pytest, junit.xml and Allure. Nothing here knows any particular check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck.checks import INCONCLUSIVE, NOT_APPLICABLE, CheckFailed, NotApplicable, Verdict
from carecheck.evidence import EvidenceWriter, StepLog
from carecheck.fhir import Waiver
from carecheck.run import fixtures, probes
from carecheck.run.context import FACTS, WRITER, received_facts, writer_of
from carecheck.run.facts import HANDOVER
from carecheck.run.interrupts import interrupt_like_ctrl_c
from carecheck.run.junit_allure import AllureOutcomes, record_requirements, state_failure
from carecheck.run.progress import PROGRESS_FILE
from carecheck.run.scenario import REQUIREMENT_TAG, SCENARIO, ScenarioRun, outcome_of, scenario_id

__all__: list[str] = []

_COLLECTED = pytest.StashKey[int]()
_STEPS = pytest.StashKey[StepLog]()
_ALLURE = pytest.StashKey[AllureOutcomes | None]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(fixtures, "carecheck.fixtures")
    config.pluginmanager.register(probes, "carecheck.probes")
    facts = received_facts(config)
    if facts is None:
        return  # not a carecheck run (e.g. collecting the suites): the fixtures say so if a scenario runs
    config.stash[FACTS] = facts
    if facts.report_dir is None:
        return
    interrupt_like_ctrl_c()
    root = facts.report_dir
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(root / "junit.xml")
    if not getattr(config.option, "allure_report_dir", None):
        config.option.allure_report_dir = str(root / "allure-results")
    config.stash[_ALLURE] = AllureOutcomes.follow(config)
    config.stash[WRITER] = EvidenceWriter(root)


def _waivers(config: pytest.Config) -> tuple[Waiver, ...]:
    facts = config.stash.get(FACTS, None)
    return facts.waivers if facts is not None else ()


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
    """A parallel run's controller hands each worker the run's facts, as it received them."""
    facts = node.config.stash.get(FACTS, None)
    if facts is not None:
        node.workerinput[HANDOVER] = facts.dumps()


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """`@req:ID` tags are requirement data, not markers; every other tag stays a pytest marker (pytest-bdd's own
    implementation, which this one must come before: the hook stops at the first answer)."""
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
        verdict=Verdict(requirements=requirements, locate=evidence.locate if evidence else None, waivers=_waivers(request.config)),
        evidence=evidence,
    )
    request.node.stash[SCENARIO] = run
    request.node.stash[_STEPS] = StepLog((step.keyword, step.type, step.name, step.line_number) for step in scenario.steps)
    if evidence is not None:
        evidence.start(run.identity())


def _counts(run: ScenarioRun) -> tuple[int, int]:
    """How many judgements the scenario has made and exchanges it has recorded so far."""
    return len(run.verdict.judgements), len(run.evidence.files) if run.evidence else 0


def pytest_bdd_before_step(request: pytest.FixtureRequest) -> None:
    run, steps = request.node.stash.get(SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is not None and steps is not None:
        steps.started(*_counts(run))


def pytest_bdd_after_step(request: pytest.FixtureRequest) -> None:
    run, steps = request.node.stash.get(SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is not None and steps is not None:
        steps.ended("passed", *_counts(run))


@pytest.hookimpl(trylast=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """A scenario whose steps all passed but whose checks could not judge part of the answer ends skipped, so
    pytest, junit.xml and Allure never count it passed; its result says `inconclusive` and why."""
    run, steps = request.node.stash.get(SCENARIO, None), request.node.stash.get(_STEPS, None)
    if run is None or steps is None or not steps.completed:
        return
    outcome, message = run.verdict.settled()
    if outcome == INCONCLUSIVE:
        run.settled = (INCONCLUSIVE, message)
        pytest.skip(message)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    """A step that found the scenario not applicable ends it so: recorded with its reason, shown skipped."""
    run, steps = request.node.stash.get(SCENARIO, None), request.node.stash.get(_STEPS, None)
    if isinstance(exception, NotApplicable) and run is not None:
        run.settled = (NOT_APPLICABLE, exception.reason)
        pytest.skip(exception.reason)
    if run is not None and steps is not None:
        steps.ended("failed" if isinstance(exception, CheckFailed) else "error", *_counts(run))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    run = item.stash.get(SCENARIO, None)
    finished = call.when == "call" or (call.when == "setup" and not report.passed)
    if run is None or not finished:
        return report
    outcome, message = outcome_of(report, call, run)
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
