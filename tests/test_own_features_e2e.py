"""A supplier's own scenarios (`carecheck run --features DIR`) run, are judged and reported like carecheck's:
in summary.json, the checklist (their requirement ids as their own) and the Allure results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from carecheck.project import FEATURES
from carecheck.provenance import features_digest, harness_facts
from carecheck.run.selection import suite_scenarios

pytestmark = pytest.mark.e2e

OURS = """\
@acme
Feature: Our demo patients
  As a supplier, I check the records our sandbox is known to hold, in carecheck's step vocabulary.

  @req:ACME-DEMO-PATIENT @req:CC-READ
  Scenario: Our demo patient is served
    When the client reads Patient "2f88064f-8dc3-4763-af75-94faf6b08b18"
    Then the response status is 200
    And the response is a FHIR resource of type Patient

  @req:ACME-TEAPOT
  Scenario: Our demo patient is a teapot
    When the client reads Patient "2f88064f-8dc3-4763-af75-94faf6b08b18"
    Then the response status is 418
"""
PASSED = "own/sandbox/demo_patients/our-demo-patient-is-served"
FAILED = "own/sandbox/demo_patients/our-demo-patient-is-a-teapot"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    own = tmp_path_factory.mktemp("supplier") / "features"
    (own / "sandbox").mkdir(parents=True)
    (own / "sandbox" / "demo_patients.feature").write_text(OURS, encoding="utf-8")
    report_dir = tmp_path_factory.mktemp("own-run")
    command = [sys.executable, "-m", "carecheck", "run", "--features", str(own), "--tags", "acme or smoke", "--report-dir", str(report_dir)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=own.parent, env=os.environ, check=False)
    return result, report_dir, own


def summary(report_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    return data


def test_the_suppliers_scenarios_run_and_are_judged_beside_carecheck(run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    result, report_dir, own = run
    assert result.returncode == 1, result.stdout + result.stderr  # their teapot scenario fails, judged like any other
    scenarios = {s["id"]: s for s in summary(report_dir)["scenarios"]}
    assert scenarios[PASSED]["outcome"] == "passed" and scenarios[PASSED]["feature"] == "Our demo patients"
    assert scenarios[PASSED]["requirements"][:2] == ["ACME-DEMO-PATIENT", "CC-READ"]
    assert scenarios[FAILED]["outcome"] == "failed"
    assert "expected status 418, got 200" in scenarios[FAILED]["message"]
    assert (report_dir / scenarios[FAILED]["evidence"]).is_dir()
    assert {s["outcome"] for i, s in scenarios.items() if not i.startswith("own/")} == {"passed"}, "carecheck's smoke scenarios ran too"
    assert f"failed: {FAILED}" in result.stdout
    scope = summary(report_dir)["scope"]
    assert scope["features"] == str(own.resolve())
    assert scope["scenarios"]["in_suite"] == len(suite_scenarios()) + 2, "their scenarios are part of this run's full suite"
    run_facts = json.loads((report_dir / "run.json").read_text(encoding="utf-8"))
    assert run_facts["features_sha256"] == features_digest([FEATURES, own.resolve()]) != harness_facts()["features_sha256"]


def test_the_checklist_lists_their_requirement_ids_as_their_own(run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    _, report_dir, _ = run
    checklist = (report_dir / "checklist.md").read_text(encoding="utf-8")
    section = checklist.split("## The supplier's own requirements", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("**")[1]: line for line in section.splitlines() if line.startswith("| **")}
    assert set(rows) == {"ACME-DEMO-PATIENT", "ACME-TEAPOT"}
    assert "| met |" in rows["ACME-DEMO-PATIENT"] and "| **not met** |" in rows["ACME-TEAPOT"]
    assert "the supplier's own" in rows["ACME-TEAPOT"]
    assert "CC-READ" not in section, "a carecheck requirement stays in its own section"


def test_allure_shows_their_scenarios_under_own(run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    _, report_dir, _ = run
    results = [json.loads(path.read_text(encoding="utf-8")) for path in (report_dir / "allure-results").glob("*-result.json")]
    ours = {r["name"]: r for r in results if r["titlePath"][0] == "own"}
    assert set(ours) == {"Our demo patient is served", "Our demo patient is a teapot"}
    assert ours["Our demo patient is served"]["titlePath"] == ["own", "sandbox", "Our demo patients"]
    assert ours["Our demo patient is served"]["status"] == "passed"
    assert ours["Our demo patient is a teapot"]["status"] == "failed"
    assert "ACME-TEAPOT" in ours["Our demo patient is a teapot"]["statusDetails"]["message"]
    assert "expected status 418, got 200; body is a Patient" in ours["Our demo patient is a teapot"]["statusDetails"]["message"]
    assert {r["titlePath"][0] for r in results} == {"own", "features"}
