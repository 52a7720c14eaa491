"""carecheck's pytest plugin: the scenario lifecycle hooks that record evidence, and the fixtures.

Steps (`carecheck.steps`) take `client`, `verdict` and `known` (see `carecheck.run.fixtures`); everything they send
is recorded to the scenario's evidence folder as it happens, and each scenario's outcome, findings, judgements and
steps are written when it ends. A scenario a step finds not applicable (`carecheck.checks.NotApplicable`) or that
ends inconclusive is recorded so as data, and shown skipped to pytest, junit.xml and Allure. Nothing here knows any
particular check.

It is loaded explicitly (`carecheck run` passes `-p carecheck.plugin`; the suites' conftest.py names it in
`pytest_plugins`), never through an entry point, so installing carecheck changes no other pytest session.
`carecheck run` hands the pytest process the run's facts (`carecheck.run.facts`) and writes the reports once, after
pytest has ended; a parallel run's controller passes the facts on to its workers. Started as plain pytest, the
plugin owns the run itself (`carecheck.run.plain`): it obtains the facts once from its options and writes the
reports when the session ends.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Generator, Sequence
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck.checks import INCONCLUSIVE, NOT_APPLICABLE, CheckFailed, NotApplicable, Verdict
from carecheck.evidence import EvidenceWriter, StepLog
from carecheck.fhir import Waiver
from carecheck.run import fixtures, probes, step_lookup
from carecheck.run.context import FACTS, WRITER, received_facts, writer_of
from carecheck.run.facts import HANDOVER
from carecheck.run.interrupts import interrupt_like_ctrl_c
from carecheck.run.junit_allure import AllureOutcomes, record_requirements, state_failure
from carecheck.run.markers import register_markers
from carecheck.run.own_features import OPTION, own_folder, require_under_rootdir
from carecheck.run.plain import PlainRun
from carecheck.run.progress import PROGRESS_FILE
from carecheck.run.scenario import REQUIREMENT_TAG, SCENARIO, ScenarioRun, outcome_of, scenario_id

__all__: list[str] = []

_COLLECTED = pytest.StashKey[int]()
_STEPS = pytest.StashKey[StepLog]()
_ALLURE = pytest.StashKey[AllureOutcomes | None]()
_PLAIN = pytest.StashKey[PlainRun]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The options of a plain pytest session (`carecheck run` hands its pytest process the facts instead)."""
    group = parser.getgroup("carecheck", "carecheck conformance run")
    group.addoption("--target", default="reference", help="target profile: a name of carecheck's (reference...) or a YAML file")
    group.addoption("--base-url", default=None, help="test this FHIR base URL instead of the profile's")
    group.addoption("--report-dir", default=None, help="write evidence, summary.json, junit.xml and allure-results here")
    group.addoption("--waivers", default=None, help="YAML file of accepted deviations (instead of the profile's)")
    group.addoption("--ca-bundle", default=None, help="PEM file of CA certificates to trust besides the default ones")
    group.addoption("--baseline", default=None, help="YAML file of pinned search results (instead of the profile's baseline)")
    group.addoption(
        "--features", dest=OPTION, default=None, help="a folder of your own .feature files (carecheck's step vocabulary) to run beside the built-in ones"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(fixtures, "carecheck.fixtures")
    config.pluginmanager.register(probes, "carecheck.probes")
    step_lookup.install()
    register_markers(config, own_folder(config))
    require_under_rootdir(config)
    facts = received_facts(config)
    if facts is None and not _is_worker(config) and _runs_scenarios(config):
        plain = PlainRun.start(config)
        config.stash[_PLAIN] = plain
        facts = plain.facts
    if facts is None:
        return  # collecting only, or a worker of a session that is not a run: the fixtures say so if a scenario runs
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


def _runs_scenarios(config: pytest.Config) -> bool:
    """False for a session that only collects or only answers a question (`--collect-only`, `--help`, `--fixtures`,
    `--markers`): it reaches no target."""
    option = config.option
    return not any(getattr(option, name, False) for name in ("collectonly", "help", "showfixtures", "show_fixtures_per_test", "markers", "version"))


def pytest_unconfigure(config: pytest.Config) -> None:
    step_lookup.uninstall()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A plain pytest session's reports: last, so junit.xml and the Allure results are complete when they are written."""
    plain = session.config.stash.get(_PLAIN, None)
    if plain is not None:
        plain.finish(exitstatus)


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
    """After collection, a run's process freezes what it holds for good (modules, FHIR models, collected scenarios:
    over 300,000 objects) out of the garbage collector's sight: each full collection would walk them all again,
    about 2 s of a full run. Objects made later are collected as before; a cycle among the frozen ones is freed when the
    process ends, which is soon."""
    if writer_of(session.config) is not None:
        gc.freeze()
    if not _is_worker(session.config) and session.items:
        _progress(session.config, {"collected": len(session.items)})
        _collected_by_plain_run(session.config, len(session.items))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: Sequence[str]) -> None:
    if _COLLECTED not in node.config.stash:
        node.config.stash[_COLLECTED] = len(ids)
        _progress(node.config, {"collected": len(ids)})
        _collected_by_plain_run(node.config, len(ids))


def _collected_by_plain_run(config: pytest.Config, count: int) -> None:
    plain = config.stash.get(_PLAIN, None)
    if plain is not None:
        plain.collected(count)


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


def _examples_tags(item: pytest.Item) -> set[str]:
    """The tags of the Examples block an outline's scenario comes from: pytest-bdd gives them to its parameter as marks."""
    callspec = getattr(item, "callspec", None)
    return {mark.name for mark in getattr(callspec, "marks", ())}


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    tags = sorted(scenario.tags | feature.tags | (scenario.rule.tags if scenario.rule else set()) | _examples_tags(request.node))
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
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
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
