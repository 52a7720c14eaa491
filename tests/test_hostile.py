"""The harness survives hostile servers: each run ends in time with complete reports, the affected scenario
fails with a readable reason and evidence, the others still pass, and no token leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests import hostile

pytestmark = pytest.mark.e2e

MEAKIN = "/STU3/Patient/2f88064f-8dc3-4763-af75-94faf6b08b18"
READ = "patient/patient_read/a-known-patient-is-returned-whole"
UNKNOWN = "patient/patient_read/an-unknown-patient-is-not-found"
NHS_SEARCH = "patient/patient_search/find-a-patient-by-their-nhs-number"
BUDGET_SECONDS = 60


def profile(tmp_path: Path) -> Path:
    text = data_path("targets", "reference.yaml").read_text()
    target = tmp_path / "hostile.yaml"
    keys = data_path("keys")  # the profile's key files, relative to its own folder
    target.write_text(text.replace("name: reference", "name: hostile\ntimeout: 2").replace("../keys/", f"{keys}/"))
    return target


def run_against(app: Any, tmp_path: Path, tags: str) -> tuple[subprocess.CompletedProcess[str], dict[str, dict[str, Any]], float]:
    report_dir = tmp_path / "report"
    with EmbeddedServer(app) as server:
        started = time.monotonic()
        command = [
            sys.executable,
            "-m",
            "carecheck.cli",
            "run",
            "--target",
            str(profile(tmp_path)),
            "--base-url",
            server.base_url,
            "--report-dir",
            str(report_dir),
            "--tags",
            tags,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=BUDGET_SECONDS * 2, check=False, env=dict(os.environ))
        elapsed = time.monotonic() - started
    summary = json.loads((report_dir / "summary.json").read_text())
    assert summary["complete"], "the reports are complete"
    assert (report_dir / "junit.xml").is_file()
    return result, {s["id"]: s for s in summary["scenarios"]}, elapsed


def secured() -> Any:
    return create_app(auth=SecuritySettings.load())


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (hostile.never_answers, "ReadTimeout"),
        (hostile.one_byte_a_second, "not complete within 2 s"),
        (hostile.closes_mid_body, "while reading the body"),
        (hostile.fifty_megabytes, "larger than"),
        (hostile.invalid_json, "not valid JSON"),
        (hostile.invalid_xml, "got application/fhir+xml"),
        (hostile.json_declared_xml_sent, "Content-Type says application/fhir+json but the body is XML"),
        (hostile.redirect_loop, "expected status 200, got 302"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_hostile_read_fails_its_scenario_and_nothing_else(tmp_path: Path, behaviour: hostile.Behaviour, reason: str) -> None:
    result, scenarios, elapsed = run_against(hostile.Hostile(secured(), MEAKIN, behaviour), tmp_path, "patient and read")
    assert elapsed < BUDGET_SECONDS
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert scenarios[READ]["outcome"] == "failed", scenarios[READ]
    assert reason in scenarios[READ]["message"], scenarios[READ]["message"]
    assert "(evidence: evidence/" in scenarios[READ]["message"]
    assert scenarios[UNKNOWN]["outcome"] == "passed"


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [(hostile.pages_forever, "still links to another page"), (hostile.huge_total, "Bundle.total is 1000000000000")],
    ids=["pages_forever", "huge_total"],
)
def test_a_hostile_search_fails_its_scenario_and_nothing_else(tmp_path: Path, behaviour: hostile.Behaviour, reason: str) -> None:
    result, scenarios, elapsed = run_against(hostile.Hostile(secured(), "/STU3/Patient", behaviour), tmp_path, "patient and smoke")
    assert elapsed < BUDGET_SECONDS and result.returncode == 1
    assert scenarios[NHS_SEARCH]["outcome"] == "failed" and reason in scenarios[NHS_SEARCH]["message"]
    assert scenarios[READ]["outcome"] == "passed"


@pytest.fixture
def elsewhere() -> Iterator[tuple[EmbeddedServer, list[dict[str, str]]]]:
    """Another host that records what reaches it."""
    seen: list[dict[str, str]] = []

    async def record(request: Request) -> PlainTextResponse:
        seen.append(dict(request.headers))
        return PlainTextResponse("captured")

    with EmbeddedServer(Starlette(routes=[Route("/{path:path}", record)]), host="127.0.0.2") as server:
        yield server, seen


def test_a_redirect_to_another_host_takes_no_token_there(tmp_path: Path, elsewhere: tuple[EmbeddedServer, list[dict[str, str]]]) -> None:
    other, seen = elsewhere
    app = hostile.Hostile(secured(), MEAKIN, hostile.redirect_to(f"http://127.0.0.2:{other.port}/STU3/Patient/stolen"))
    result, scenarios, _ = run_against(app, tmp_path, "patient and read")
    assert scenarios[READ]["outcome"] == "failed" and "got 302" in scenarios[READ]["message"]
    assert not [headers for headers in seen if "authorization" in headers], "the token followed the redirect"
    assert "Traceback" not in result.stderr


def test_a_certificate_for_another_name_stops_the_run_with_one_line(tmp_path: Path) -> None:
    from carecheck.refserver.tls import ServerTls

    wrong = ServerTls.generate(tmp_path / "tls", names=("elsewhere.example",))
    with EmbeddedServer(secured(), tls=wrong) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--target", str(profile(tmp_path)), "--base-url", server.base_url,
                   "--ca-bundle", str(wrong.ca_certificate), "--report-dir", str(tmp_path / "report")]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=BUDGET_SECONDS, check=False)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "CERTIFICATE_VERIFY_FAILED" in result.stderr
    assert "Traceback" not in result.stderr
