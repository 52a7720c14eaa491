"""The Allure report of a run: refused for a pack that does not match its manifest, built with the real Allure 3
command line into one file, and opened from disk in a real headless Chromium showing the environment, the
categories and the trend of two runs, loading nothing from anywhere."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from carecheck.errors import ConfigError, EvidenceError
from carecheck.evidence import EvidenceWriter, verify, write_json
from carecheck.project import ALLURE_TOOL
from carecheck.report import write_reports
from carecheck.report.allure_site import HISTORY_FILE, HISTORY_LIMIT, allure_command, build_allure_site
from tests.packs import real_pack, synthetic_pack

NOT_INSTALLED = "the Allure 3 command line is not installed (make allure: npm ci in tools/allure; needs Node.js)"


def with_allure_results(root: Path) -> Path:
    """A sealed synthetic pack with an (empty-looking) Allure result, enough for the checks before Allure runs."""
    synthetic_pack(root)
    (root / "allure-results").mkdir()
    write_json(root / "allure-results" / "0-result.json", {"name": "x", "status": "passed"})
    write_reports(root)
    return root


def test_a_pack_that_does_not_match_its_manifest_gets_no_allure_report(tmp_path: Path) -> None:
    pack = with_allure_results(tmp_path / "pack")
    (pack / "allure-results" / "0-result.json").write_text('{"name": "x", "status": "failed"}')
    with pytest.raises(EvidenceError, match="not the one its manifest describes"):
        build_allure_site(pack, command=["allure-is-never-run"])
    with pytest.raises(EvidenceError, match="no such report folder"):
        build_allure_site(tmp_path / "nothing-here", command=["allure-is-never-run"])
    with pytest.raises(EvidenceError, match="no Allure results"):
        build_allure_site(synthetic_pack(tmp_path / "no-results"), command=["allure-is-never-run"])


def test_the_report_never_goes_inside_the_sealed_pack(tmp_path: Path) -> None:
    pack = with_allure_results(tmp_path / "pack")
    with pytest.raises(ConfigError, match="cannot go inside the pack"):
        build_allure_site(pack, out=pack / "allure", command=["allure-is-never-run"])
    assert verify(pack).ok


def test_no_allure_or_another_allure_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"does not exist: the Allure report needs Allure 3 and Node.js"):
        allure_command(tmp_path / "no-allure")
    old = tmp_path / "allure"
    old.write_text("#!/bin/sh\necho 2.30.0\n")
    old.chmod(old.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(ConfigError, match=r"is not Allure 3 \(it says '2.30.0'\)"):
        allure_command(old)


@pytest.fixture(scope="module")
def allure() -> list[str]:
    try:
        return allure_command(ALLURE_TOOL) if ALLURE_TOOL.is_file() else allure_command()
    except ConfigError:
        if os.environ.get("CI"):
            pytest.fail(f"{NOT_INSTALLED}: .ci/run installs it")
        pytest.skip(NOT_INSTALLED)


def second_night(first: Path, folder: Path) -> Path:
    """The same target's next run: the first run's pack, started a day later and sealed again."""
    shutil.copytree(first, folder)
    writer = EvidenceWriter(folder)
    writer.update_run(started="2099-01-02T02:30:00.000+00:00")
    write_reports(folder)
    return folder


@pytest.mark.e2e
def test_the_allure_report_opens_from_disk_with_environment_categories_and_trend(
    allure: list[str], browser: Any, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    first = real_pack(tmp_path_factory, "faulty")
    second = second_night(first, tmp_path / "nights" / "second")
    history = tmp_path / HISTORY_FILE
    built = build_allure_site(first, tmp_path / "site-1", history, allure)
    assert (built.runs, built.warnings) == (1, ())
    site = build_allure_site(second, tmp_path / "site-2", history, allure)
    assert site.runs == 2 and site.index == tmp_path / "site-2" / "index.html"
    assert len(history.read_text().splitlines()) == 2 and (tmp_path / "site-2" / "history.jsonl").read_text() == history.read_text()
    again = [sys.executable, "-m", "carecheck.cli", "allure", str(second), "--out", str(tmp_path / "site-2"), "--history", str(history), "--allure", allure[0]]
    done = subprocess.run(again, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"carecheck allure: {site.index} (one file: open it from disk) — trend of 2 run(s), history in {history}\n", (
        "again: its entry replaced"
    )
    assert verify(first).ok and verify(second).ok, "the packs stay as sealed"
    assert {p.name for p in site.index.parent.iterdir()} >= {"index.html", "history.jsonl"}

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith(("file:", "data:", "blob:")) else elsewhere.append(request.url))
    page.goto(site.index.as_uri())
    page.wait_for_selector("text=Environment")
    overview = page.inner_text("body")
    for shown in ("target", "reference", "fhir.version.declared", "3.0.1", "base.url", "http://127.0.0.1:"):
        assert shown in overview, shown
    assert "500" not in overview and "Failed to fetch" not in overview
    assert "#1" in overview and "#2" in overview, "the trend shows both nights"
    page.goto(f"{site.index.as_uri()}#categories")
    page.wait_for_selector("text=search:")
    categories = page.inner_text("body")
    assert (
        "general, read, errors: expected status #, got #; OperationOutcome says: Patient/… is not known to this server (status_code; 1 scenario(s))"
        in categories
    )
    assert "search: Patient/… does not satisfy" in categories
    for category in page.get_by_text("general, read, errors: expected status #, got #; OperationOutcome says: Patient/…").all():
        category.click()  # two causes start alike (an unknown patient, an unknown version): open both
    for group in page.get_by_text("GET http://127.0.0.1").all():
        group.click()  # each category's scenarios, grouped by message
    page.get_by_text("An unknown patient is not found").first.click()
    page.wait_for_selector("text=Test body")
    shown = page.inner_text("body")
    assert "expected status 404, got 200; OperationOutcome says" in shown and "Categories: general, read, errors:" in shown
    assert "CheckFailed" not in shown and "carecheck.checks" not in shown
    page.screenshot(path=str(tmp_path / "allure.png"))
    assert problems == [] and elsewhere == []


def test_the_history_keeps_the_newest_runs_and_drops_lines_it_cannot_read(tmp_path: Path) -> None:
    from carecheck.report.allure_site import _history

    lines = [json.dumps({"name": f"carecheck: reference {n}", "timestamp": n}) for n in range(HISTORY_LIMIT + 5)]
    source = tmp_path / HISTORY_FILE
    source.write_text("\n".join([*lines, "{broken", json.dumps({"name": "carecheck: reference this"})]) + "\n")
    kept = _history(source, "carecheck: reference this")
    assert kept == lines[-(HISTORY_LIMIT - 1) :]
    assert _history(tmp_path / "none.jsonl", "x") == []


def test_an_allure_that_cannot_run_asks_for_node(tmp_path: Path) -> None:
    broken = tmp_path / "allure"
    broken.write_text("#!/bin/sh\necho 'env: node: No such file or directory' >&2\nexit 127\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(ConfigError, match=r"does not run \(env: node: No such file or directory\): is Node.js installed\?"):
        allure_command(broken)
