"""Conformance runs: resolve the targets, serve or reach each, obtain the run's facts once, run the Gherkin suites in
pytest with them, and write the reports once.

Each target's profile, waivers and baseline are loaded once, before anything runs (a bad one is a usage error). Its
owner (`carecheck.run.owner`) reaches it and obtains the CapabilityStatement, the tokens and the test data, and the
pytest process (`carecheck.run.pytest_process`) receives them on its standard input. When pytest has ended, however
it ended, the run's facts are completed and every report is written from the evidence, then sealed: here, once.
Several targets run concurrently (bounded), each with its own owner, pytest process and report folder; an index page
then links them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from carecheck.baseline import Baseline, load_baseline
from carecheck.config import Target, load_target, resolve_target_path, tested_at
from carecheck.errors import AuthError, ConfigError, TargetUnreachable, TestDataMissing, WrongServer
from carecheck.evidence import EvidenceWriter, check_report_dir, read_pack
from carecheck.exit_codes import ExitCode
from carecheck.fhir import Waiver, load_waivers
from carecheck.project import PACKAGE, PYTEST_INI, SUITES
from carecheck.report import (
    IndexEntry,
    cleanup_line,
    failing,
    failure_lines,
    headline,
    pack_entry,
    problem_entry,
    shall_tested,
    untested_shall,
    write_cleanup,
    write_index,
    write_reports,
)
from carecheck.run.context import now
from carecheck.run.facts import RunFacts
from carecheck.run.interrupts import FINISHED, Children
from carecheck.run.own_features import check_features
from carecheck.run.owner import SetUp, obtain_facts
from carecheck.run.progress import PROGRESS_FILE, Progress
from carecheck.run.selection import Selection, select, suite_definitions, suite_names
from carecheck.run.server import target_server

__all__ = ["RunOptions", "RunResult", "run", "suite_names"]

LATEST = "latest"
PYTEST_LOG = "pytest.log"
MAX_CONCURRENT_TARGETS = 4


@dataclass(frozen=True)
class RunOptions:
    targets: tuple[str, ...] = ("reference",)
    base_url: str | None = None
    report_dir: Path | None = None
    reports_root: Path = Path("reports")
    waivers: Path | None = None
    tags: str | None = None
    suite: str | None = None
    workers: int = 1
    ca_bundle: Path | None = None
    hypothesis_seed: str | None = None
    baseline: Path | None = None
    sign_off: bool = False
    """Fail (exit 4) a run that did not test every SHALL requirement, as the profile's `sign_off: true` does."""
    features: Path | None = None
    """A folder of the supplier's own `.feature` files, run beside the built-in ones."""
    suites: Path | None = None
    """A YAML file of the user's own suite definitions, added to carecheck's (a name of theirs replaces carecheck's)."""
    profiles: Path | None = None
    """A folder of the user's own target profiles, where `--target NAME` looks first."""


@dataclass(frozen=True)
class RunResult:
    name: str
    report_dir: Path
    summary: dict[str, Any] = field(default_factory=dict)
    interrupted: bool = False
    problem: str | None = None
    """Why the target could not be run at all (unreachable, credentials refused), in one line."""
    problem_code: int = 0

    @property
    def exit_code(self) -> int:
        if self.problem:
            return self.problem_code
        if self.interrupted or failing(self.summary):
            return ExitCode.FAILED
        signing_off = bool((self.summary.get("scope") or {}).get("sign_off"))
        return ExitCode.UNTESTED if signing_off and untested_shall(self.summary) else ExitCode.PASSED

    def describe(self) -> str:
        """The one-line summary printed at the end of a run."""
        if self.problem:
            return f"carecheck: {self.name}: {self.problem}"
        totals = self.summary["totals"]
        shown = ("passed", "failed", "error", "waived", "inconclusive", "not-applicable", "skipped")
        counts = ", ".join(f"{totals[k]} {k}" for k in shown if totals[k] or k == "passed")
        state = " (interrupted: incomplete)" if self.interrupted or not self.summary["complete"] else ""
        scope = self.summary.get("scope") or {}
        selected = scope.get("scenarios") or {}
        if selected and selected.get("selected") != selected.get("in_suite"):
            of = f" of {selected.get('in_suite')} (suite {scope.get('suite')}{', tags ' + repr(scope['tags']) if scope.get('tags') else ''})"
        else:
            of = ""
        verdict = headline(self.summary).status
        writes = cleanup_line(self.summary.get("write_cleanup"))
        cleanup = f" — {writes} (see report.html)" if writes else ""
        return f"carecheck: {totals['scenarios']}{of} scenarios against {self.name}: {counts}{state}; {shall_tested(self.summary)} — {verdict}{cleanup} — report: {self.report_dir}"

    def failures(self, shown: int = 20) -> list[str]:
        """What the console says about the run before its last line: banners, warnings, failure causes and the
        first `shown` failures, then how many more there are and where to read them."""
        return failure_lines(self.summary, self.report_dir, shown=shown)


@dataclass(frozen=True)
class _Planned:
    name: str
    file: Path
    target: Target
    profile_url: str
    """The base URL the profile names (`target.base_url` is the one tested: `--base-url` when given)."""
    report_dir: Path
    waivers: tuple[Waiver, ...]
    baseline: Baseline | None


def run(options: RunOptions, progress: Progress | None = None) -> list[RunResult]:
    """Run the suites against every target; ConfigError before anything runs if any input is bad."""
    features = check_features(options.features) if options.features is not None else None
    selection = select(options.suite, options.tags, suite_definitions(options.suites), features)
    if options.workers < 1:
        raise ConfigError("-n must be 1 or more")
    plans = _plan(options)
    progress = progress or Progress(stream=sys.stdout)
    children = Children()
    with progress.watching([(plan.name, plan.report_dir / PROGRESS_FILE) for plan in plans]), children.forwarding():
        if len(plans) == 1:
            results = [_run_one(plans[0], options, selection, children)]
        else:
            with ThreadPoolExecutor(max_workers=min(MAX_CONCURRENT_TARGETS, len(plans))) as pool:
                results = list(pool.map(lambda plan: _run_one(plan, options, selection, children), plans))
    if len(plans) > 1:
        write_index(options.report_dir or options.reports_root, [_index_entry(result) for result in results])
    return results


def _plan(options: RunOptions) -> list[_Planned]:
    """Every target's profile, waivers and baseline, each loaded once (a bad one is a usage error now, before anything
    runs, not 40 errored scenarios later)."""
    waivers = tuple(load_waivers(options.waivers)) if options.waivers is not None else None
    baseline = load_baseline(options.baseline) if options.baseline is not None else None
    plans: list[_Planned] = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    for number, name in enumerate(options.targets):
        file = resolve_target_path(name, options.profiles).resolve()
        profile = load_target(str(file), ca_bundle=options.ca_bundle)
        target = tested_at(profile, options.base_url, file)
        own_waivers = waivers if waivers is not None else tuple(load_waivers(target.waivers)) if target.waivers else ()
        own_baseline = baseline if options.baseline is not None else load_baseline(target.baseline) if target.baseline else None
        if len(options.targets) == 1 and options.report_dir is not None:
            report_dir = options.report_dir
        else:
            root = options.report_dir or options.reports_root
            report_dir = root / target.name / stamp
            if any(plan.report_dir == report_dir for plan in plans):
                report_dir = report_dir.with_name(f"{stamp}-{number}")
        check_report_dir(report_dir)
        plans.append(_Planned(target.name, file, target, profile.base_url, report_dir, own_waivers, own_baseline))
    return plans


def _run_one(plan: _Planned, options: RunOptions, selection: Selection, children: Children) -> RunResult:
    started = now()
    try:
        with target_server(plan.target) as base_url:
            setup = obtain_facts(
                plan.target,
                base_url,
                report_dir=plan.report_dir.resolve(),
                waivers=plan.waivers,
                baseline=plan.baseline,
                hypothesis_seed=_seed(options.hypothesis_seed),
            )
            writer = _start_pack(plan, options, selection, setup, started)
            code = _pytest(plan, setup.facts, options, selection.expression, children)
    except WrongServer as error:
        return _could_not_run(plan, options, error, f"wrong server: {error}", ExitCode.UNREACHABLE)
    except TargetUnreachable as error:
        return _could_not_run(plan, options, error, f"target unreachable: {error}", ExitCode.UNREACHABLE)
    except AuthError as error:
        return _could_not_run(plan, options, error, f"authentication failed: {error}", ExitCode.USAGE)
    except TestDataMissing as error:
        return _could_not_run(plan, options, error, f"configuration error: {error}", ExitCode.USAGE)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise ConfigError(f"no scenario matches {selection.expression!r}")
    interrupted = code not in FINISHED
    pack = read_pack(plan.report_dir)
    writer.update_run(ended=now(), interrupted=interrupted, write_cleanup=write_cleanup(pack))
    summary = write_reports(plan.report_dir, pack)
    if options.report_dir is None:
        _point_latest(options.reports_root, plan.report_dir)
    return RunResult(plan.name, plan.report_dir, summary, interrupted=code == pytest.ExitCode.INTERRUPTED)


def _seed(value: str | None) -> int | str | None:
    """`--hypothesis-seed` as hypothesis takes it: a number when it is one."""
    if value is None:
        return None
    return int(value) if value.lstrip("-").isdigit() else value


def _could_not_run(plan: _Planned, options: RunOptions, error: Exception, problem: str, code: int) -> RunResult:
    if len(options.targets) == 1:
        raise error
    return RunResult(plan.name, plan.report_dir, problem=problem, problem_code=code)


def _index_entry(result: RunResult) -> IndexEntry:
    if result.problem:
        return problem_entry(result.name, result.report_dir, result.problem, result.exit_code)
    return pack_entry(result.report_dir)


def _start_pack(plan: _Planned, options: RunOptions, selection: Selection, setup: SetUp, started: str) -> EvidenceWriter:
    """Open the run's report folder, with what the run was asked to cover: the selection, the workers, the overrides of
    the profile, sign-off mode."""
    scope = {
        **selection.to_data(),
        "workers": {"asked": options.workers, "used": _workers(plan, options)},
        "profile": str(plan.file),
        "base_url": {"tested": setup.facts.base_url, "profile": plan.profile_url, "override": options.base_url},
        "sign_off": options.sign_off or setup.facts.target.sign_off,
    }
    own_features = options.features.resolve() if options.features else None
    return setup.open_pack(plan.report_dir, scope=scope, started=started, own_features=own_features, waivers_file=options.waivers or setup.facts.target.waivers)


def _workers(plan: _Planned, options: RunOptions) -> int:
    return min(options.workers, plan.target.limits.concurrency)


def _pytest(plan: _Planned, facts: RunFacts, options: RunOptions, tags: str | None, children: Children) -> int:
    """Run the suites in a pytest process of their own, handing it the facts on its standard input."""
    command = [
        sys.executable, "-m", "carecheck.run.pytest_process", str(SUITES),
        "--rootdir", str(_rootdir(options)), "-c", str(PYTEST_INI), "-p", "carecheck.plugin",
        "-p", "no:cacheprovider", "-q", "--no-header", "--tb=line", "-W", "default", "--assert=plain",
    ]  # fmt: skip
    if options.features is not None:
        command += ["--features", str(options.features.resolve())]
    if tags:
        command += ["-m", tags]
    workers = _workers(plan, options)
    if workers > 1:
        # Scenario by scenario, an idle worker taking over another's queue: by file, the property scenarios (one
        # file, 40 % of the HTTP time of a run) kept one worker busy while three sat idle.
        command += ["-n", str(workers), "--dist", "worksteal"]
    if children.interrupted:
        return pytest.ExitCode.INTERRUPTED  # interrupted before this target's turn: nothing of it runs
    # From the report folder: no folder of the user's (or of carecheck's source) on the session's import path.
    with (
        (plan.report_dir / PYTEST_LOG).open("wb") as log,
        subprocess.Popen(command, cwd=plan.report_dir, env=_environment(), stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT) as child,
    ):
        _hand_over(child, facts)
        code = children.wait(child)
    return code if code >= 0 else pytest.ExitCode.INTERRUPTED  # killed: what it finished is in the pack


def _environment() -> dict[str, str]:
    """The pytest process's environment: carecheck's, with hypothesis keeping its caches (the constants it reads from
    source files, Unicode tables) in the user's cache folder, not `.hypothesis/` in the report folder, where they would
    be sealed into the pack and built again by every run. A HYPOTHESIS_STORAGE_DIRECTORY of the user's is kept."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "carecheck" / "hypothesis"
    return {"HYPOTHESIS_STORAGE_DIRECTORY": str(cache), **os.environ}


def _rootdir(options: RunOptions) -> Path:
    """The package, or the folder holding both it and the supplier's own features: allure-pytest-bdd places
    every feature file by its path under the rootdir (the Allure results then show it from `features/` or `own/`)."""
    if options.features is None:
        return PACKAGE
    return Path(os.path.commonpath([PACKAGE.resolve(), options.features.resolve()]))


def _hand_over(child: subprocess.Popen[bytes], facts: RunFacts) -> None:
    """Write the facts to the child's standard input and close it (a child that died first has them no more)."""
    assert child.stdin is not None
    try:
        child.stdin.write(facts.dumps().encode("ascii"))
        child.stdin.close()
    except BrokenPipeError:
        pass


def _point_latest(root: Path, report_dir: Path) -> None:
    """Make `reports/latest` point at the newest run (a relative symlink, replaced atomically)."""
    link = root / LATEST
    temporary = root / f".{LATEST}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(report_dir.resolve().relative_to(root.resolve()), target_is_directory=True)
    os.replace(temporary, link)
