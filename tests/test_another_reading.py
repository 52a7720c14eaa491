"""The whole suite against a second server that takes other readings STU3 and the guide allow (issue 13).

`tests.another_reading` wraps the reference server so that it spells instants another way, ignores empty
parameters, refuses a one-parameter Patient search, ignores `:exact`, refuses optional prefixes, `:contains` and `_revinclude=*`
with 400 and an OperationOutcome, declares fewer optional features, carries an element STU3 does not define in
its XML and (in a run of its own) declares FHIR 4.0.1. Each difference must pass (with a warning where it is
worth saying), be not applicable with its reason, or fail only where the specification says so: never a false
failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests.another_reading import AnotherReading

pytestmark = pytest.mark.e2e

Report = dict[str, dict[str, Any]]
SIGNING_KEY = data_path("keys", "carecheck-refserver-rs256.private.pem")
PATIENTS = "patient/patient_search_parameters/"


def run(report_dir: Path, fhir_version: str = "3.0.1", *options: str) -> tuple[int, Report]:
    app = AnotherReading(create_app(auth=SecuritySettings.load(signing_key=SIGNING_KEY)), fhir_version=fhir_version)
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir), *options]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    scenarios = {scenario["id"]: scenario for scenario in summary["scenarios"]}
    return result.returncode, {i: {**s, "findings": _findings(report_dir, i), "warnings": _findings(report_dir, i, "warn")} for i, s in scenarios.items()}


def _findings(report_dir: Path, scenario_id: str, outcome: str | None = None) -> list[str]:
    """The messages of a scenario's findings (of one outcome), from its recorded result."""
    result = report_dir / "evidence" / scenario_id / "result.json"
    judgements = json.loads(result.read_text(encoding="utf-8")).get("judgements", []) if result.is_file() else []
    return [f["message"] for judgement in judgements for f in judgement.get("findings", []) if outcome in (None, f.get("outcome"))]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    yield run(tmp_path_factory.mktemp("another-reading"))[1]


def one(report: Report, prefix: str) -> dict[str, Any]:
    found = [scenario for scenario_id, scenario in report.items() if scenario_id.startswith(prefix)]
    assert len(found) == 1, f"{prefix}: {len(found)} scenarios"
    return found[0]


def not_applicable_saying(*parts: str) -> Callable[[dict[str, Any]], bool]:
    return lambda scenario: scenario["outcome"] == "not-applicable" and all(part in scenario["message"] for part in parts)


def passed_saying(part: str) -> Callable[[dict[str, Any]], bool]:
    return lambda scenario: scenario["outcome"] == "passed" and any(part in finding for finding in scenario["findings"])


DIFFERENCES: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = [
    ("an empty parameter ignored", "errors/search_parameters/a-search-parameter-without-a-value-is-ignored-or-refused",
     passed_saying("ignored (expectations.empty_parameter: either): the same")),
    ("a one-parameter Patient search refused: the IG's client rule", "errors/search_parameters/a-patient-search-by-one-parameter-other-than-identifier",
     passed_saying("refused with 400 (expectations.patient_search_minimum: either)")),
    ("... so a search by family alone does not apply", "patient/patient_search/find-a-patient-by-family-name-whatever-its-case--family-patient-family-lower",
     not_applicable_saying("refuses GET", "Patient?family=meakin with 400", "Client systems SHALL provide at least two parameters")),
    ("the sa prefix refused", f"{PATIENTS}find-a-patient-by-name-birthdate-given-as-value-sa--",
     not_applicable_saying('The prefix "sa" of parameter "birthdate" is not supported', "birthdate given as sa (not asked for in the IG")),
    ("the eb prefix refused", "clinical/observation/find-a-patient-s-observations-by-date-given-as-eb",
     not_applicable_saying('The prefix "eb" of parameter "date" is not supported', "date given as eb (not asked for in the IG")),
    ("the sa prefix refused in a story", "stories/results_review/one-test-s-results-for-the-patient-between-two-dates-given-as-system-code-sa",
     not_applicable_saying("refuses GET", "as unsupported (400, OperationOutcome not-supported", "date given as sa")),
    ("a prefix the IG names still passes", f"{PATIENTS}find-a-patient-by-name-birthdate-given-as-value-ge--", lambda s: s["outcome"] == "passed"),
    ("the :exact modifier ignored, as its self link says", f"{PATIENTS}find-a-patient-by-name-gender-given-as-exact-code",
     not_applicable_saying("the server ignored name:exact=MEAKIN: its self link", "leaves it out", "name given as exact (not asked for")),
    ("the :contains modifier refused", "directory/organization/search-organization-by-name-given-as-contains",
     not_applicable_saying('the modifier "contains" which is not supported', "name given as contains (not asked for")),
    ("_revinclude=* refused and not declared", "stories/get_record/a-patient-with-everything-that-refers-to-them",
     not_applicable_saying("does not declare _revinclude=* for Patient", "CC-SEARCH-INCLUDE, MAY")),
    ("an include not declared", "stories/get_record/a-patient-s-medicationstatement-records-with-the-medicines",
     not_applicable_saying("does not declare _include=MedicationStatement:medication for MedicationStatement")),
    ("a declared include still judged", "stories/get_record/a-patient-s-medicationrequest-records-with-the-medicines", lambda s: s["outcome"] == "passed"),
    ("a MAY parameter not declared", f"{PATIENTS}find-a-patient-by-family-email-given-as-value-code",
     not_applicable_saying("does not declare the MAY Patient search parameter email (IG)")),
    ("a MAY clinical parameter not declared", "clinical/condition/find-a-patient-s-conditions-by-asserted-date-given-as-ge",
     not_applicable_saying("does not declare the MAY Condition search parameter asserted-date (IG)")),
    ("instants spelt +00:00 with microseconds: searches by date", "clinical/observation/find-a-patient-s-observations-by-date-given-as-ge",
     lambda s: s["outcome"] == "passed"),
]  # fmt: skip


@pytest.mark.parametrize(("difference", "scenario", "expected"), DIFFERENCES, ids=[d[0] for d in DIFFERENCES])
def test_each_difference_passes_or_is_not_applicable_with_its_reason(
    report: Report, difference: str, scenario: str, expected: Callable[[dict[str, Any]], bool]
) -> None:
    found = one(report, scenario)
    assert expected(found), f"{difference}: {found['outcome']}: {found['message']} {found['findings'][:3]}"


def warned(report: Report, prefix: str) -> list[str]:
    return [warning for scenario_id, scenario in report.items() if scenario_id.startswith(prefix) for warning in scenario["warnings"]]


def test_instants_spelt_another_way_are_the_same_instants_in_json_and_xml(report: Report) -> None:
    parity = one(report, "formats/parity/the-known-patient-reads-the-same-in-json-and-xml")
    assert parity["outcome"] == "passed", parity["message"]
    assert any("spells /meta/lastUpdated differently (the same moment)" in warning for warning in parity["warnings"]), parity["warnings"]


def test_an_element_stu3_does_not_define_in_the_xml_is_said_but_fails_nothing(report: Report) -> None:
    said = warned(report, "formats/parity/")
    assert any("meta.source: <source> is not an element of Meta in STU3" in warning for warning in said), said[:3]


def test_no_false_failure(report: Report) -> None:
    """Every difference passes or is not applicable: no scenario fails, errs or goes unjudged."""
    bad = {i: f"{s['outcome']}: {s['message']}" for i, s in report.items() if s["outcome"] in ("failed", "error", "inconclusive")}
    assert not bad, bad


def test_everything_the_reference_server_passes_still_runs_unless_a_reason_says_why(report: Report) -> None:
    not_applicable = [s for s in report.values() if s["outcome"] == "not-applicable"]
    assert all(s["message"] and len(s["message"]) > 40 for s in not_applicable)
    assert sum(1 for s in report.values() if s["outcome"] == "passed") > 450, "the second server is still mostly tested"


def test_another_fhir_version_fails_only_the_version_requirement(tmp_path: Path) -> None:
    code, report = run(tmp_path, "4.0.1", "--tags", "capability")
    assert code == 1
    failed = {i: s["message"] for i, s in report.items() if s["outcome"] == "failed"}
    assert list(failed) == ["capability/capability_statement/the-server-implements-fhir-stu3"], failed
    assert 'expected fhirVersion 3.0.x, got "4.0.1"' in next(iter(failed.values()))
    banners = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["banners"]
    assert any("this server declares FHIR 4.0.1" in str(banner) for banner in banners), banners
