"""Conformance runs: resolve the targets, serve or reach each, run the Gherkin suites in pytest, summarise.

Several targets run concurrently (bounded), each in its own pytest process with its own report folder;
an index page then links them. Every target's configuration is checked before anything runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from carecheck.baseline import load_baseline
from carecheck.config import Target, load_target, resolve_target_path
from carecheck.errors import AuthError, ConfigError, TargetUnreachable, TestDataMissing, WrongServer
from carecheck.evidence import EvidenceWriter
from carecheck.exit_codes import ExitCode
from carecheck.fhir import load_waivers
from carecheck.project import PACKAGE, PYTEST_INI, SUITES
from carecheck.report import IndexEntry, cleanup_line, failing, failure_lines, headline, pack_entry, problem_entry, shall_tested, untested_shall, write_index, write_reports
from carecheck.run.interrupts import Children
from carecheck.run.own_features import check_features
from carecheck.run.preflight import check_credentials, check_fhir_version, check_reachable, check_testdata
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
    report_dir: Path


def run(options: RunOptions, progress: Progress | None = None) -> list[RunResult]:
    """Run the suites against every target; ConfigError before anything runs if any input is bad."""
    features = check_features(options.features) if options.features is not None else None
    selection = select(options.suite, options.tags, suite_definitions(options.suites), features)
    if options.waivers is not None:
        load_waivers(options.waivers)  # a bad waiver file is a usage error now, not 40 errored scenarios
    if options.baseline is not None:
        load_baseline(options.baseline)
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
    plans: list[_Planned] = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    for number, name in enumerate(options.targets):
        file = resolve_target_path(name, options.profiles).resolve()
        target = load_target(str(file), base_url=options.base_url, ca_bundle=options.ca_bundle)
        if target.baseline is not None and options.baseline is None:
            load_baseline(target.baseline)  # a bad baseline is a usage error now, not an errored scenario
        if len(options.targets) == 1 and options.report_dir is not None:
            report_dir = options.report_dir
        else:
            root = options.report_dir or options.reports_root
            report_dir = root / target.name / stamp
            if any(plan.report_dir == report_dir for plan in plans):
                report_dir = report_dir.with_name(f"{stamp}-{number}")
        plans.append(_Planned(target.name, file, target, report_dir))
    return plans


def _run_one(plan: _Planned, options: RunOptions, selection: Selection, children: Children) -> RunResult:
    try:
        with target_server(plan.target) as base_url:
            banner = check_fhir_version(check_reachable(base_url, ca_bundle=plan.target.ca_bundle), plan.target)
            check_credentials(plan.target, base_url)
            check_testdata(plan.target, base_url)
            _record_scope(plan, options, selection, base_url, banner)
            code = _pytest(plan, base_url, options, selection.expression, children)
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
    summary = write_reports(plan.report_dir)
    if options.report_dir is None:
        _point_latest(options.reports_root, plan.report_dir)
    return RunResult(plan.name, plan.report_dir, summary, interrupted=code == pytest.ExitCode.INTERRUPTED)


def _could_not_run(plan: _Planned, options: RunOptions, error: Exception, problem: str, code: int) -> RunResult:
    if len(options.targets) == 1:
        raise error
    return RunResult(plan.name, plan.report_dir, problem=problem, problem_code=code)


def _index_entry(result: RunResult) -> IndexEntry:
    if result.problem:
        return problem_entry(result.name, result.report_dir, result.problem, result.exit_code)
    return pack_entry(result.report_dir)


def _record_scope(plan: _Planned, options: RunOptions, selection: Selection, base_url: str, banner: str | None) -> None:
    """Write what the run was asked to cover into `run.json` before it starts: the selection, the workers, the
    overrides of the profile, and whether it runs in sign-off mode; a FHIR version banner goes to the live
    progress at once."""
    profile_url = load_target(str(plan.file), ca_bundle=options.ca_bundle).base_url if options.base_url else plan.target.base_url
    scope = {
        **selection.to_data(),
        "workers": {"asked": options.workers, "used": _workers(plan, options)},
        "profile": str(plan.file),
        "base_url": {"tested": base_url, "profile": profile_url, "override": options.base_url},
        "sign_off": options.sign_off or plan.target.sign_off,
    }
    writer = EvidenceWriter(plan.report_dir.resolve())
    writer.update_run(scope=scope)
    if banner is not None:
        with (writer.report_dir / PROGRESS_FILE).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"banner": banner}) + "\n")


def _workers(plan: _Planned, options: RunOptions) -> int:
    return min(options.workers, plan.target.limits.concurrency)


def _pytest(plan: _Planned, base_url: str, options: RunOptions, tags: str | None, children: Children) -> int:
    report_dir = plan.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pytest", str(SUITES),
        "--rootdir", str(_rootdir(options)), "-c", str(PYTEST_INI), "-p", "carecheck.plugin",
        "--target", str(plan.file), "--base-url", base_url, "--report-dir", str(report_dir),
        "-p", "no:cacheprovider", "-q", "--no-header", "--tb=line", "-W", "default", "--assert=plain",
    ]  # fmt: skip
    if options.waivers is not None:
        command += ["--waivers", str(options.waivers.resolve())]
    if options.ca_bundle is not None:
        command += ["--ca-bundle", str(options.ca_bundle.resolve())]
    if options.baseline is not None:
        command += ["--baseline", str(options.baseline.resolve())]
    if options.features is not None:
        command += ["--features", str(options.features.resolve())]
    if options.hypothesis_seed is not None:
        command += ["--hypothesis-seed", options.hypothesis_seed]
    if tags:
        command += ["-m", tags]
    workers = _workers(plan, options)
    if workers > 1:
        command += ["-n", str(workers), "--dist", "loadfile"]
    if children.interrupted:
        return pytest.ExitCode.INTERRUPTED  # interrupted before this target's turn: nothing of it runs
    # From the report folder: no folder of the user's (or of carecheck's source) on the session's import path.
    with (report_dir / PYTEST_LOG).open("wb") as log, subprocess.Popen(command, cwd=report_dir, stdout=log, stderr=subprocess.STDOUT) as child:
        code = children.wait(child)
    return code if code >= 0 else pytest.ExitCode.INTERRUPTED  # killed: what it finished is in the pack


def _rootdir(options: RunOptions) -> Path:
    """The package, or the folder holding both it and the supplier's own features: allure-pytest-bdd places
    every feature file by its path under the rootdir (the Allure results then show it from `features/` or `own/`)."""
    if options.features is None:
        return PACKAGE
    return Path(os.path.commonpath([PACKAGE.resolve(), options.features.resolve()]))


def _point_latest(root: Path, report_dir: Path) -> None:
    """Make `reports/latest` point at the newest run (a relative symlink, replaced atomically)."""
    link = root / LATEST
    temporary = root / f".{LATEST}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(report_dir.resolve().relative_to(root.resolve()), target_is_directory=True)
    os.replace(temporary, link)
