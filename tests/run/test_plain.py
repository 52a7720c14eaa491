"""The suites under plain pytest (`pytest <suites> --target … --report-dir …`, as the README shows): the plugin owns
the run, obtaining each fact once (also with two workers) and writing a sealed pack when the session ends; a target
that cannot be run is one usage line; collecting the suites reaches no target."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.project import SUITES
from tests.run.test_owner import MEAKIN, Counting, counted, secret_profile

pytestmark = pytest.mark.e2e

__all__ = ["counted"]  # the fixture, shared with test_owner.py


def _plain_pytest(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The suites under plain pytest, as the README shows, from a folder of the user's."""
    command = [sys.executable, "-m", "pytest", str(SUITES), "-q", "-p", "no:cacheprovider", *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300, check=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_under_plain_pytest_the_plugin_owns_the_run_obtaining_each_fact_once_and_writing_the_reports(
    counted: tuple[Counting, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    app, base_url = counted
    profile = secret_profile(tmp_path, monkeypatch)
    parallel = ["-n", str(workers)] if workers > 1 else []
    result = _plain_pytest("--target", str(profile), "--base-url", base_url, "--report-dir", str(tmp_path / "run"), "-m", "scope", *parallel, cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["complete"] and summary["totals"]["passed"] == summary["totals"]["scenarios"] == 32
    assert (tmp_path / "run" / "manifest.json").is_file() and (tmp_path / "run" / "report.html").is_file()
    assert app.count("GET", "/STU3/metadata") == 1
    for client in ("carecheck-all", "carecheck-patient-only", "carecheck-patient-context"):
        assert app.count("POST", "/auth/token", client=client) == 1, f"{client}'s token, obtained once for the session and its workers"
    assert app.count("GET", f"/STU3/Patient/{MEAKIN}", client="carecheck-all") == 1
    assert sorted(path.name for path in (tmp_path / "run" / "evidence" / "_run").iterdir()) == [
        "auth",
        "auth-patient-context",
        "auth-patient-only",
        "capability",
        "discovery",
    ]
    assert summary["scope"]["base_url"]["override"] == base_url
    assert (summary["scope"]["tags"], summary["scope"]["scenarios"]["selected"], summary["scope"]["runner"]) == ("scope", 32, "pytest")
    assert summary["scope"]["scenarios"]["in_suite"] > 800 and "narrowed_by_pytest_options" not in summary["scope"]


def test_under_plain_pytest_the_scope_says_what_pytest_s_own_options_narrowed(tmp_path: Path) -> None:
    result = _plain_pytest("--report-dir", str(tmp_path / "run"), "-m", "smoke", "-k", "capability", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    ran = summary["totals"]["scenarios"]
    assert 0 < ran < 5 and summary["scope"]["scenarios"]["selected"] == ran and summary["scope"]["narrowed_by_pytest_options"] is True
    assert f"{ran} of {summary['scope']['scenarios']['in_suite']} scenarios of the full suite (narrowed by pytest's own options" in summary["headline"]["text"]


def test_under_plain_pytest_an_unknown_tag_is_one_usage_line(tmp_path: Path) -> None:
    result = _plain_pytest("--report-dir", str(tmp_path / "run"), "-m", "smoke and nonsense", cwd=tmp_path)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR and "names unknown tag(s) nonsense" in result.stderr, result.stdout + result.stderr
    assert not (tmp_path / "run").exists()


def test_under_plain_pytest_a_target_that_cannot_be_run_is_one_usage_line(tmp_path: Path) -> None:
    result = _plain_pytest("--base-url", "http://127.0.0.1:9/STU3", "--report-dir", str(tmp_path / "run"), "-m", "smoke", cwd=tmp_path)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "carecheck: " in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "run").exists()


def test_collecting_the_suites_reaches_no_target(tmp_path: Path) -> None:
    result = _plain_pytest("--base-url", "http://127.0.0.1:9/STU3", "--collect-only", "-m", "smoke", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b5/\d+ tests collected", result.stdout), result.stdout
