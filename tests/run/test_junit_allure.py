"""junit.xml and the Allure results say a scenario's outcome in carecheck's words (never an exception class) and
junit.xml lists its requirement ids: the hook on its own, then a real faulty run's files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from allure_commons import model2

from carecheck.run.junit_allure import REQUIREMENT_PROPERTY, AllureOutcomes
from tests.packs import real_pack

CLASS_NAME = "carecheck.checks.verdict.CheckFailed"
MESSAGE = "[CC-READ-404] GET http://x/STU3/Patient/nope: expected status 404, got 200 (evidence: evidence/a/001.json)"


def allure_result(name: str, status: str, message: str) -> model2.TestResult:
    failed_step = model2.TestStepResult(
        name="Then the response status is 404", status=status, statusDetails=model2.StatusDetails(message=message, trace="steps/http.py:12")
    )
    return model2.TestResult(
        name=name,
        fullName=f"patient/read.feature:{name}",
        status=status,
        statusDetails=model2.StatusDetails(message=message, trace="Traceback …"),
        steps=[model2.TestStepResult(name="When the client reads", status=model2.Status.PASSED), failed_step],
    )


def test_a_failed_scenario_reads_as_the_check_wrote_it_in_the_result_and_its_failing_step() -> None:
    outcomes = AllureOutcomes()
    outcomes.expect("An unknown patient is not found", "failed", MESSAGE)
    result = allure_result("An unknown patient is not found", model2.Status.FAILED, f"{CLASS_NAME}: {MESSAGE}")
    outcomes.report_result(result)
    assert result.statusDetails.message == MESSAGE and result.statusDetails.trace is None
    assert result.steps[1].statusDetails.message == MESSAGE
    assert result.steps[0].statusDetails is None


def test_other_outcomes_say_what_they_are_and_a_harness_error_keeps_its_trace() -> None:
    outcomes = AllureOutcomes()
    outcomes.expect("by email", "not-applicable", "the known Patient/p1 has no email")
    skipped = allure_result("by email", model2.Status.SKIPPED, "Skipped: the known Patient/p1 has no email")
    outcomes.report_result(skipped)
    assert skipped.statusDetails.message == "not applicable: the known Patient/p1 has no email"
    outcomes.expect("by email", "error", "harness error while running the scenario: KeyError: 'x'")
    broken = allure_result("by email", model2.Status.BROKEN, "KeyError: 'x'")
    outcomes.report_result(broken)
    assert broken.statusDetails.message.startswith("harness error") and broken.statusDetails.trace == "Traceback …"


def test_an_outcome_applies_only_to_its_own_scenario_and_only_once() -> None:
    outcomes = AllureOutcomes()
    outcomes.expect("An unknown patient is not found", "failed", MESSAGE)
    other = allure_result("A known patient is read", model2.Status.FAILED, "AssertionError: unrelated")
    outcomes.report_result(other)
    assert other.statusDetails.message == "AssertionError: unrelated"
    late = allure_result("An unknown patient is not found", model2.Status.FAILED, f"{CLASS_NAME}: {MESSAGE}")
    outcomes.report_result(late)
    assert late.statusDetails.message.startswith(CLASS_NAME), "nothing pending any more: left as allure wrote it"


PYTHON_NAME = re.compile(r"carecheck\.(?:auth|capability|checks|config|evidence|fhir|http|probe|report|run|search|testdata)\.")
"""A module path of carecheck's (a class name in a message); searched values such as `@carecheck.invalid` are not."""


@pytest.mark.e2e
def test_a_real_faulty_run_says_each_failure_in_its_own_words_with_requirements(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = real_pack(tmp_path_factory, "faulty")
    summary = json.loads((root / "summary.json").read_text())
    failed = {s["name"]: s for s in summary["scenarios"] if s["outcome"] == "failed"}
    assert failed
    results = [json.loads(path.read_text()) for path in (root / "allure-results").glob("*-result.json")]
    for result in results:
        text = json.dumps(result.get("statusDetails")) + json.dumps(result.get("steps"))
        assert not PYTHON_NAME.search(text) and "CheckFailed" not in text, result["name"]
    by_name = {r["name"]: r for r in results if r["status"] == "failed"}
    unknown = failed["An unknown patient is not found"]
    assert by_name["An unknown patient is not found"]["statusDetails"]["message"] == unknown["message"]
    cases = ET.parse(root / "junit.xml").getroot().iter("testcase")
    case = next(c for c in cases if c.get("name") == "test_an_unknown_patient_is_not_found")
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == unknown["message"]
    properties = [(p.get("name"), p.get("value")) for p in case.iter("property")]
    assert sorted(value for name, value in properties if name == REQUIREMENT_PROPERTY) == sorted(unknown["requirements"])
    assert CLASS_NAME not in (root / "junit.xml").read_text() and CLASS_NAME not in (root / "pytest.log").read_text()


@pytest.mark.e2e
def test_every_junit_case_of_a_scenario_lists_its_requirements(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = real_pack(tmp_path_factory, "faulty")
    cases = list(ET.parse(root / "junit.xml").getroot().iter("testcase"))
    assert cases and all(any(p.get("name") == REQUIREMENT_PROPERTY for p in case.iter("property")) for case in cases)


def test_a_step_keeps_the_parameters_its_text_says_and_drops_the_fixtures() -> None:
    step = model2.TestStepResult(
        name='Then the response status is 200 and the type is "Patient"',
        parameters=[
            model2.Parameter(name="status", value="200"),
            model2.Parameter(name="resource_type", value="'Patient'"),
            model2.Parameter(name="client", value="<carecheck.http.client.FhirClient object at 0x7f3dd0c75290>"),
            model2.Parameter(name="verdict", value="<carecheck.checks.verdict.Verdict object at 0x7f3dd0c74d50>"),
        ],
    )
    result = model2.TestResult(name="s", fullName="f.feature:s", steps=[step], parameters=[model2.Parameter(name="query", value="a=1")])
    AllureOutcomes().report_result(result)
    assert [p.name for p in step.parameters] == ["status", "resource_type"]
    assert [p.name for p in result.parameters] == ["query"], "the outline's values name the test in Allure's history: kept"
