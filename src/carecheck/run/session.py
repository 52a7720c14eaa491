"""Conformance runs: resolve the targets, serve or reach each, run the Gherkin suites in pytest, summarise.

Several targets run concurrently (bounded), each in its own pytest process with its own report folder;
an index page then links them. Every target's configuration is checked before anything runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from carecheck.baseline import load_baseline
from carecheck.config import Target, load_target, resolve_target_path
from carecheck.errors import AuthError, ConfigError, TargetUnreachable
from carecheck.fhir import load_waivers
from carecheck.project import ROOT
from carecheck.report import failing, write_index, write_reports
from carecheck.run.preflight import check_credentials, check_reachable
from carecheck.run.progress import PROGRESS_FILE, Progress
from carecheck.run.server import target_server

__all__ = ["EXIT_UNREACHABLE", "EXIT_USAGE", "RunOptions", "RunResult", "run", "suite_names"]

SUITES = ROOT / "suites"
SUITE_DEFINITIONS = SUITES / "suites.yaml"
LATEST = "latest"
PYTEST_LOG = "pytest.log"
MAX_CONCURRENT_TARGETS = 4
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3


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
        return 1 if self.interrupted or failing(self.summary) else 0

    def describe(self) -> str:
        """The one-line summary printed at the end of a run."""
        if self.problem:
            return f"carecheck: {self.name}: {self.problem}"
        totals = self.summary["totals"]
        shown = ("passed", "failed", "error", "waived", "not-applicable", "skipped")
        counts = ", ".join(f"{totals[k]} {k}" for k in shown if totals[k] or k == "passed")
        state = " (interrupted: incomplete)" if self.interrupted or not self.summary["complete"] else ""
        return f"carecheck: {totals['scenarios']} scenarios against {self.name}: {counts}{state} — report: {self.report_dir}"

    def failures(self) -> list[str]:
        """One line per failed or errored scenario: its id and the first line of its reason."""
        bad = [s for s in self.summary.get("scenarios", []) if s["outcome"] in ("failed", "error")]
        return [f"  {s['outcome']}: {s['id']}: {str(s['message']).splitlines()[0][:240]}" for s in bad]


@dataclass(frozen=True)
class _Planned:
    name: str
    file: Path
    target: Target
    report_dir: Path


def suite_names() -> list[str]:
    return sorted(_suites())


def _suites() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(SUITE_DEFINITIONS.read_text(encoding="utf-8"))
    return data


def run(options: RunOptions, progress: Progress | None = None) -> list[RunResult]:
    """Run the suites against every target; ConfigError before anything runs if any input is bad."""
    if not SUITES.is_dir():
        raise ConfigError(f"no suites/ folder in {ROOT}; run carecheck from its project checkout or set CARECHECK_HOME")
    tags = _selection(options)
    if options.waivers is not None:
        load_waivers(options.waivers)  # a bad waiver file is a usage error now, not 40 errored scenarios
    if options.baseline is not None:
        load_baseline(options.baseline)
    if options.workers < 1:
        raise ConfigError("-n must be 1 or more")
    plans = _plan(options)
    progress = progress or Progress(stream=sys.stdout)
    with progress.watching([(plan.name, plan.report_dir / PROGRESS_FILE) for plan in plans]):
        if len(plans) == 1:
            results = [_run_one(plans[0], options, tags)]
        else:
            with ThreadPoolExecutor(max_workers=min(MAX_CONCURRENT_TARGETS, len(plans))) as pool:
                results = list(pool.map(lambda plan: _run_one(plan, options, tags), plans))
    if len(plans) > 1:
        write_index(options.report_dir or options.reports_root, [_index_entry(result) for result in results])
    return results


def _selection(options: RunOptions) -> str | None:
    """The pytest marker expression: the suite's tags and --tags together."""
    parts = []
    if options.suite is not None:
        suites = _suites()
        if options.suite not in suites:
            raise ConfigError(f"no suite named {options.suite!r}; suites: {', '.join(sorted(suites))}")
        if suites[options.suite].get("tags"):
            parts.append(f"({suites[options.suite]['tags']})")
    if options.tags:
        _check_tags(options.tags)
        parts.append(f"({options.tags})")
    return " and ".join(parts) or None


def _plan(options: RunOptions) -> list[_Planned]:
    plans: list[_Planned] = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    for number, name in enumerate(options.targets):
        file = resolve_target_path(name).resolve()
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


def _run_one(plan: _Planned, options: RunOptions, tags: str | None) -> RunResult:
    try:
        with target_server(plan.target) as base_url:
            check_reachable(base_url, ca_bundle=plan.target.ca_bundle)
            check_credentials(plan.target, base_url)
            code = _pytest(plan, base_url, options, tags)
    except TargetUnreachable as error:
        return _could_not_run(plan, options, f"target unreachable: {error}", EXIT_UNREACHABLE)
    except AuthError as error:
        return _could_not_run(plan, options, f"authentication failed: {error}", EXIT_USAGE)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise ConfigError(f"no scenario matches {tags!r}")
    summary = write_reports(plan.report_dir)
    if options.report_dir is None:
        _point_latest(options.reports_root, plan.report_dir)
    return RunResult(plan.name, plan.report_dir, summary, interrupted=code == pytest.ExitCode.INTERRUPTED)


def _could_not_run(plan: _Planned, options: RunOptions, problem: str, code: int) -> RunResult:
    if len(options.targets) == 1:
        raise (TargetUnreachable if code == EXIT_UNREACHABLE else AuthError)(problem.split(": ", 1)[1])
    return RunResult(plan.name, plan.report_dir, problem=problem, problem_code=code)


def _index_entry(result: RunResult) -> dict[str, Any]:
    return {"target": result.name, "report_dir": str(result.report_dir), "status": result.describe(), "exit_code": result.exit_code}


def _check_tags(expression: str) -> None:
    """Every word of a --tags expression must be a Gherkin tag the suites use (a registered marker)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        markers = tomllib.load(handle)["tool"]["pytest"]["ini_options"]["markers"]
    known = {marker.split(":", 1)[0].strip() for marker in markers}
    words = set(re.findall(r"[A-Za-z_][\w-]*", expression)) - {"and", "or", "not"}
    unknown = sorted(words - known)
    if unknown:
        raise ConfigError(f"--tags names unknown tag(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _pytest(plan: _Planned, base_url: str, options: RunOptions, tags: str | None) -> int:
    report_dir = plan.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pytest", str(SUITES),
        "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
        "--target", str(plan.file), "--base-url", base_url, "--report-dir", str(report_dir),
        "-p", "no:cacheprovider", "-q", "--no-header", "--tb=line", "-W", "default", "--assert=plain",
    ]  # fmt: skip
    if options.waivers is not None:
        command += ["--waivers", str(options.waivers.resolve())]
    if options.ca_bundle is not None:
        command += ["--ca-bundle", str(options.ca_bundle.resolve())]
    if options.baseline is not None:
        command += ["--baseline", str(options.baseline.resolve())]
    if options.hypothesis_seed is not None:
        command += ["--hypothesis-seed", options.hypothesis_seed]
    if tags:
        command += ["-m", tags]
    workers = min(options.workers, plan.target.limits.concurrency)
    if workers > 1:
        command += ["-n", str(workers), "--dist", "loadfile"]
    with (report_dir / PYTEST_LOG).open("wb") as log, subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT) as child:
        try:
            return child.wait()
        except KeyboardInterrupt:
            # pytest got the same Ctrl-C: give it time to record what it finished, then stop it.
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
            return pytest.ExitCode.INTERRUPTED


def _point_latest(root: Path, report_dir: Path) -> None:
    """Make `reports/latest` point at the newest run (a relative symlink, replaced atomically)."""
    link = root / LATEST
    temporary = root / f".{LATEST}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(report_dir.resolve().relative_to(root.resolve()), target_is_directory=True)
    os.replace(temporary, link)
