"""Regression baselines end to end: record one from an accepted run, hold it on a second run of a fresh reference
server, and fail it (and nothing else) when one record of the dataset is changed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from carecheck.refserver import app as refserver_app
from carecheck.refserver.seed import seed_resources

pytestmark = pytest.mark.e2e

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"
MOVED = f"Observation/{MEAKIN}-observation-1"
TAGS = "observation and not property and not versions"
BASELINE_SCENARIO = "regression/baseline/every-pinned-search-returns-what-the-baseline-pins"


def carecheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carecheck.cli", *arguments], capture_output=True, text=True, timeout=600, check=False)


def scenarios(report_dir: Path) -> dict[str, dict[str, Any]]:
    return {scenario["id"]: scenario for scenario in json.loads((report_dir / "summary.json").read_text())["scenarios"]}


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A run of the Observation scenarios, accepted, and the baseline recorded from it."""
    root = tmp_path_factory.mktemp("baseline")
    run = carecheck("run", "--tags", TAGS, "--report-dir", str(root / "accepted"))
    assert run.returncode == 0, run.stdout + run.stderr
    recorded = carecheck(
        "baseline", str(root / "accepted"), "--owner", "qa@example.org", "--reason", "the reference seed, population 100", "-o", str(root / "baseline.yaml")
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    return root / "accepted", root / "baseline.yaml", recorded.stdout


def test_the_baseline_pins_every_search_of_the_run_from_its_evidence(accepted: tuple[Path, Path, str]) -> None:
    _, file, printed = accepted
    document = yaml.safe_load(file.read_text())
    assert document["baseline"]["owner"] == "qa@example.org" and document["baseline"]["reason"] == "the reference seed, population 100"
    assert document["baseline"]["target"] == "reference"
    pins = document["pins"]
    assert len(pins) > 50
    assert all(pin["search"].startswith("Observation?") and ("ids" in pin or "at_least" in pin) for pin in pins)
    by_search = {pin["search"]: pin for pin in pins}
    url_form = f"Observation?patient={{base}}/Patient/{MEAKIN}"
    assert url_form in by_search, "a reference given as a URL is pinned with {base}, not the run's port"
    assert MOVED in by_search[url_form]["ids"] and by_search[url_form]["total"] == len(by_search[url_form]["ids"])
    assert not [search for search in by_search if "=ap" in search], "ap searches depend on today"
    assert any("ap prefix" in line for line in document["baseline"]["left_out"])
    assert f"search(es) of {accepted[0]} pinned — written to {file}" in printed and "not pinned:" in printed


def test_a_second_run_of_a_fresh_server_holds_the_baseline(accepted: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, file, _ = accepted
    result = carecheck("run", "--tags", "baseline", "--baseline", str(file), "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    scenario = scenarios(tmp_path)[BASELINE_SCENARIO]
    assert scenario["outcome"] == "passed" and scenario["requirements"] == ["CARECHECK-BASELINE"]
    judged = json.loads((tmp_path / scenario["evidence"] / "result.json").read_text())["judgements"][0]["findings"]
    assert [finding["outcome"] for finding in judged] == ["pass"]
    assert "return what the baseline pins (pinned by qa@example.org (the reference seed, population 100" in judged[0]["message"]


def _one_record_moved(population: int) -> Iterator[dict[str, Any]]:
    """The seed with one of MEAKIN's Observations filed under another patient."""
    for resource in seed_resources(population):
        if f"{resource['resourceType']}/{resource['id']}" == MOVED:
            resource = {**resource, "subject": {"reference": "Patient/pop-1"}}
        yield resource


@pytest.fixture
def changed_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(refserver_app, "seed_resources", _one_record_moved)
    with EmbeddedServer(create_app(auth=SecuritySettings.load())) as server:
        yield server.base_url


def test_one_record_changed_fails_the_baseline_and_nothing_else(accepted: tuple[Path, Path, str], changed_server: str, tmp_path: Path) -> None:
    _, file, _ = accepted
    result = carecheck(
        "run", "--base-url", changed_server, "--tags", "baseline or (observation and combinations)", "--baseline", str(file), "--report-dir", str(tmp_path)
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found = scenarios(tmp_path)
    assert [i for i, s in found.items() if s["outcome"] != "passed"] == [BASELINE_SCENARIO], "a conformant server with other data fails only the baseline"
    message = found[BASELINE_SCENARIO]["message"]
    lines = message.splitlines()
    assert all(line.startswith("[CARECHECK-BASELINE] GET http") and "(evidence: evidence/regression/baseline/" in line for line in lines)
    assert f"the pinned search Observation?patient=Patient/{MEAKIN}&_count=100 changed: 1 disappeared: {MOVED}; Bundle.total is" in message
    assert "(pinned by qa@example.org (the reference seed, population 100" in message
    assert not any(MOVED not in line for line in lines), "only searches that found the moved record changed"


def test_a_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("baseline: {owner: qa@example.org}\npins: []\n")
    result = carecheck("run", "--tags", "baseline", "--baseline", str(bad), "--report-dir", str(tmp_path / "run"))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"carecheck: configuration error: {bad}: baseline.reason is required: pins are reviewed like waivers (who accepted them, and why)"
    )


def test_a_tampered_run_cannot_be_accepted(accepted: tuple[Path, Path, str], tmp_path: Path) -> None:
    import shutil

    run_dir = tmp_path / "run"
    shutil.copytree(accepted[0], run_dir)
    (run_dir / "summary.json").write_text("{}")
    result = carecheck("baseline", str(run_dir), "--owner", "qa@example.org", "--reason", "r", "-o", str(tmp_path / "b.yaml"))
    assert result.returncode == 2 and "does not match its manifest" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "b.yaml").exists()
