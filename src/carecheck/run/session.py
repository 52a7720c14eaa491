"""One conformance run: resolve the target, serve or reach it, run the Gherkin suites in pytest, summarise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from carecheck.config import load_target, resolve_target_path
from carecheck.errors import ConfigError
from carecheck.fhir import load_waivers
from carecheck.project import ROOT
from carecheck.report import failing, write_summary
from carecheck.run.preflight import check_credentials, check_reachable
from carecheck.run.server import target_server

__all__ = ["RunOptions", "RunResult", "run"]

SUITES = ROOT / "suites"
LATEST = "latest"


@dataclass(frozen=True)
class RunOptions:
    target: str = "reference"
    base_url: str | None = None
    report_dir: Path | None = None
    reports_root: Path = Path("reports")
    waivers: Path | None = None
    tags: str | None = None


@dataclass(frozen=True)
class RunResult:
    report_dir: Path
    summary: dict[str, Any]
    interrupted: bool

    @property
    def exit_code(self) -> int:
        return 1 if self.interrupted or failing(self.summary) else 0

    def describe(self) -> str:
        """The one-line summary printed at the end of a run."""
        totals = self.summary["totals"]
        counts = ", ".join(f"{totals[k]} {k}" for k in ("passed", "failed", "error", "not-applicable", "skipped") if totals[k] or k == "passed")
        state = " (interrupted: incomplete)" if self.interrupted or not self.summary["complete"] else ""
        return f"carecheck: {totals['scenarios']} scenarios against {self.summary['target'].get('name')}: {counts}{state} — report: {self.report_dir}"


def run(options: RunOptions) -> RunResult:
    """Run the suites against the target; raises ConfigError or TargetUnreachable before anything runs."""
    target_file = resolve_target_path(options.target).resolve()
    target = load_target(str(target_file), base_url=options.base_url)
    if options.waivers is not None:
        load_waivers(options.waivers)  # a bad waiver file is a usage error now, not 40 errored scenarios
    if options.tags:
        _check_tags(options.tags)
    if not SUITES.is_dir():
        raise ConfigError(f"no suites/ folder in {ROOT}; run carecheck from its project checkout or set CARECHECK_HOME")
    report_dir = options.report_dir or _timestamped(options.reports_root, target.name)
    with target_server(target) as base_url:
        check_reachable(base_url)
        check_credentials(target, base_url)
        code = _pytest(target_file, base_url, report_dir.resolve(), options)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise ConfigError(f"no scenario matches --tags {options.tags!r}")
    interrupted = code == pytest.ExitCode.INTERRUPTED
    summary = write_summary(report_dir)
    if options.report_dir is None:
        _point_latest(options.reports_root, report_dir)
    return RunResult(report_dir, summary, interrupted)


def _check_tags(expression: str) -> None:
    """Every word of a --tags expression must be a Gherkin tag the suites use (a registered marker)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        markers = tomllib.load(handle)["tool"]["pytest"]["ini_options"]["markers"]
    known = {marker.split(":", 1)[0].strip() for marker in markers}
    words = set(re.findall(r"[A-Za-z_][\w-]*", expression)) - {"and", "or", "not"}
    unknown = sorted(words - known)
    if unknown:
        raise ConfigError(f"--tags names unknown tag(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _timestamped(root: Path, target_name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return root / target_name / stamp


def _pytest(target_file: Path, base_url: str, report_dir: Path, options: RunOptions) -> int:
    command = [
        sys.executable, "-m", "pytest", str(SUITES),
        "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
        "--target", str(target_file), "--base-url", base_url, "--report-dir", str(report_dir),
        "-p", "no:cacheprovider", "-q", "--no-header", "--tb=line", "-W", "default", "--assert=plain",
    ]  # fmt: skip
    if options.waivers is not None:
        command += ["--waivers", str(options.waivers.resolve())]
    if options.tags:
        command += ["-m", options.tags]
    with subprocess.Popen(command, cwd=ROOT) as child:
        try:
            return child.wait()
        except KeyboardInterrupt:
            # pytest got the same Ctrl-C: give it time to record what it finished, then stop it.
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
            return 2


def _point_latest(root: Path, report_dir: Path) -> None:
    """Make `reports/latest` point at the newest run (a relative symlink, replaced atomically)."""
    link = root / LATEST
    temporary = root / f".{LATEST}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(report_dir.resolve().relative_to(root.resolve()), target_is_directory=True)
    os.replace(temporary, link)
