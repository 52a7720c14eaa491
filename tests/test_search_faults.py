"""The search scenario library against a server with nine classic search bugs: each bug fails the right scenarios.

One faulty server carries all nine, each confined to one resource, so one run shows every bug caught and
nothing else red: the harness is never the reason for a failure.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests.faults import Faults, Query

pytestmark = pytest.mark.e2e


def strip_prefix(name: str) -> Callable[[Query], Query]:
    """The server ignores date prefixes: `ge2010-01-01` is read as `2010-01-01`."""
    return lambda pairs: [(k, re.sub(r"^(ge|le|gt|lt|sa|eb|ne|ap)", "", v) if k == name else v) for k, v in pairs]


def full_dates(name: str) -> Callable[[Query], Query]:
    """The server reads a partial date as its first day: `1927` as `1927-01-01`."""

    def widen(value: str) -> str:
        return {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)

    return lambda pairs: [(k, widen(v) if k == name else v) for k, v in pairs]


def exact_only(name: str) -> Callable[[Query], Query]:
    """The server matches strings exactly: `name=the` is read as `name:exact=the`."""
    return lambda pairs: [(f"{k}:exact" if k == name else k, v) for k, v in pairs]


def drop(name: str) -> Callable[[Query], Query]:
    """The server ignores a parameter."""
    return lambda pairs: [(k, v) for k, v in pairs if k.split(":")[0].split(".")[0] != name]


def looping_next(bundle: dict[str, Any]) -> dict[str, Any]:
    """Every page's next link points back at the page itself (other answers, e.g. a 401's outcome, pass untouched)."""
    if bundle.get("resourceType") != "Bundle":
        return bundle
    self_link = next(link["url"] for link in bundle.get("link", []) if link["relation"] == "self")
    links = [link for link in bundle.get("link", []) if link["relation"] != "next"]
    return {**bundle, "link": [*links, {"relation": "next", "url": self_link}]}


def without_procedure_date(statement: dict[str, Any]) -> dict[str, Any]:
    """The CapabilityStatement leaves out the SHALL parameter Procedure date."""
    for rest in statement.get("rest", []):
        for resource in rest.get("resource", []):
            if resource["type"] == "Procedure":
                resource["searchParam"] = [p for p in resource.get("searchParam", []) if p["name"] != "date"]
    return statement


FAULTY = {
    "/STU3/Procedure": strip_prefix("date"),
    "/STU3/Patient": full_dates("birthdate"),
    "/STU3/Organization": exact_only("name"),
    "/STU3/Condition": drop("clinical-status"),
    "/STU3/Immunization": drop("patient"),
    "/STU3/Observation": drop("_count"),
    "/STU3/MedicationRequest": drop("_include"),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    app = Faults(
        create_app(auth=SecuritySettings.load()),
        rewrite_query=FAULTY,
        rewrite_body={"/STU3/Encounter": looping_next, "/STU3/metadata": without_procedure_date},
    )
    report_dir = tmp_path_factory.mktemp("faulty")
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    summary = json.loads((report_dir / "summary.json").read_text())
    return {scenario["id"]: scenario for scenario in summary["scenarios"]}


def failed(report: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {i: s["message"] for i, s in report.items() if s["outcome"] == "failed"}


@pytest.mark.parametrize(
    ("fault", "scenario", "reason"),
    [
        ("a date prefix ignored", "clinical/procedure/find-a-patient-s-procedures-by-date-given-as-ge--date-ge", "satisfies patient="),
        (
            "partial dates read as full dates",
            "patient/patient_search/find-a-patient-by-name-and-date-of-birth--name-patient-family-birthdate-patient-birth-year",
            "is not among",
        ),
        ("exact-only string matching", "directory/organization/search-organization-by-name-given-as-prefix--name-prefix", "but was not returned"),
        (
            "a declared parameter ignored",
            "clinical/condition/find-a-patient-s-conditions-by-clinical-status-given-as-code--clinical-status-code",
            "does not satisfy",
        ),
        (
            "another patient's records returned",
            "clinical/immunization/find-a-patient-s-immunisations-by-the-patient-reference-given-as-id--patient-id",
            "does not satisfy patient=",
        ),
        ("_count ignored", "clinical/paging/a-patient-s-observation-records-in-pages-of-two--observation", "_count=2"),
        ("a next link that loops", "clinical/paging/a-patient-s-encounter-records-in-pages-of-two--encounter", "is returned twice"),
        (
            "_include ignored",
            "stories/get_record/a-patient-s-medicationrequest-records-with-the-medicines-they-refer-to--medicationrequest-medicationrequest-medication",
            "not in the Bundle as includes",
        ),
        (
            "a SHALL parameter missing from the CapabilityStatement",
            "capability/capability_statement/every-shall-search-parameter-of-procedure-is-declared--procedure",
            "does not declare the SHALL search parameter date",
        ),
    ],
)
def test_each_fault_fails_its_scenario_with_the_reason(report: dict[str, dict[str, Any]], fault: str, scenario: str, reason: str) -> None:
    assert scenario in report, f"{fault}: no scenario {scenario}"
    assert report[scenario]["outcome"] == "failed", f"{fault} was not caught: {report[scenario]}"
    assert reason in report[scenario]["message"], report[scenario]["message"]


AFFECTED = (
    "procedure", "birthdate", "birth-year", "birth-month", "organization", "condition", "immunization", "immunisations",
    "observation", "encounter", "medicationrequest", "medication_reconciliation", "typical_summary",
)  # fmt: skip


def test_nothing_outside_the_faulty_areas_fails(report: dict[str, dict[str, Any]]) -> None:
    unexpected = {i: m for i, m in failed(report).items() if not any(area in i for area in AFFECTED)}
    assert not unexpected
    assert not [i for i, s in report.items() if s["outcome"] == "error"]


def test_every_failure_names_requirement_request_and_evidence(report: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    for scenario_id, message in failed(report).items():
        assert re.match(r"^\[[A-Z][A-Z0-9+\-, ]+\] (GET|POST) http", message), f"{scenario_id}: {message}"
        assert "(evidence: evidence/" in message, f"{scenario_id}: {message}"
