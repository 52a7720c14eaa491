"""Pinned test data the target does not hold: one line naming the profile field, before any scenario (issue 12.2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from carecheck.config import PatientData, TestData
from carecheck.http import FhirClient
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from carecheck.testdata import missing_pinned
from tests.faults import Faults

pytestmark = pytest.mark.e2e

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"
PROFILE = """name: pinned
base_url: {base_url}
auth:
  type: client-credentials
  client_id: carecheck-all
  client_secret: demo-all-64e98961bc4161b9
testdata:
  patient:
    nhs_number: "1234567890"
  records:
    Organization: NOPE
{extra}"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with EmbeddedServer(create_app(population=2, auth=SecuritySettings.load())) as running:
        yield running.base_url


@pytest.fixture(scope="module")
def open_client() -> Iterator[FhirClient]:
    with EmbeddedServer(create_app(population=2)) as running, FhirClient(running.base_url) as client:
        yield client


def carecheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carecheck.cli", *arguments], capture_output=True, text=True, timeout=180, env=dict(os.environ), check=False)


def test_what_the_target_holds_is_not_missing(open_client: FhirClient) -> None:
    pinned = TestData(patient=PatientData(id=MEAKIN, nhs_number="9658218873"), records={"Organization": "ods-c81010"})
    assert missing_pinned(open_client, pinned) == []


def test_each_missing_item_is_a_line_naming_its_field(open_client: FhirClient) -> None:
    pinned = TestData(patient=PatientData(id="nobody", nhs_number="1234567890"), records={"Organization": "NOPE", "Location": "site-rtg08"})
    assert missing_pinned(open_client, pinned) == [
        "testdata.patient.id: Patient/nobody is not on the server (answered 404)",
        (
            "testdata.patient.nhs_number: no Patient has NHS number 1234567890 "
            "(Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890 answered 200 with none)"
        ),
        "testdata.records.Organization: Organization/NOPE is not on the server (answered 404)",
    ]


def test_an_answer_that_does_not_say_not_found_is_left_to_the_scenarios() -> None:
    """A hang, a server error or a body that is not FHIR is the server's failure to judge, not missing test data."""
    broken = Faults(create_app(population=2), status_map={404: 500}, strip_error_bodies=True)
    with EmbeddedServer(broken) as running, FhirClient(running.base_url) as client:
        assert missing_pinned(client, TestData(patient=PatientData(id="nobody"), records={"Organization": "NOPE"})) == []


def test_a_run_pinning_data_the_target_lacks_stops_before_its_scenarios_with_exit_2(server: str, tmp_path: Path) -> None:
    profile = tmp_path / "pinned.yaml"
    profile.write_text(PROFILE.format(base_url=server, extra=""), encoding="utf-8")
    result = carecheck("run", "--target", str(profile), "--report-dir", str(tmp_path / "out"), "--suite", "smoke")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("carecheck: configuration error: testdata.patient.nhs_number: no Patient has NHS number 1234567890")
    assert "testdata.records.Organization: Organization/NOPE is not on the server (answered 404)" in lines[0]
    assert "testdata.if_missing: continue" in lines[0]
    assert not (tmp_path / "out" / "summary.json").exists(), "no scenario ran"


def test_a_profile_that_asks_to_continue_runs_and_says_what_was_missing_where(server: str, tmp_path: Path) -> None:
    profile = tmp_path / "pinned.yaml"
    profile.write_text(PROFILE.format(base_url=server, extra="  if_missing: continue\n"), encoding="utf-8")
    result = carecheck("run", "--target", str(profile), "--report-dir", str(tmp_path / "out"), "--tags", "patient and shall and not property")
    assert result.returncode in (0, 1), result.stdout + result.stderr
    scenarios = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["scenarios"]
    reasons = {s["message"] for s in scenarios if s["outcome"] == "not-applicable"}
    assert not [s for s in scenarios if s["outcome"] == "failed"]
    assert {s["id"] for s in scenarios if s["outcome"] == "passed"} <= {
        "patient/patient_read/an-unknown-patient-is-not-found", "patient/patient_search/a-family-name-nobody-has-finds-nobody"
    }, "only what needs no patient passes"  # fmt: skip
    where = (
        "NHS number 1234567890: no patient found (testdata.patient.nhs_number; Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890 answered 200)"
    )
    assert reasons and all(where in reason for reason in reasons), reasons
