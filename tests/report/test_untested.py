"""Why a requirement went untested, precisely, and which requirements do not apply to a target at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carecheck.evidence import Pack, ScenarioRecord
from carecheck.report.traceability import RequirementEvidence
from carecheck.report.untested import not_applicable, why_untested
from carecheck.requirements import catalogue
from tests.packs import STATEMENT


def pack(profile: dict[str, Any] | None = None, scope: dict[str, Any] | None = None, statement: dict[str, Any] | None = None) -> Pack:
    run = {"target": {"name": "t", "profile": profile or {}}, **({"scope": scope} if scope else {})}
    return Pack(Path("."), run, [], statement)


def scenario(outcome: str, message: str = "", requirement: str = "CC-READ") -> ScenarioRecord:
    return ScenarioRecord(f"area/{outcome}", "F", outcome, (), (requirement,), (requirement,), outcome, message, f"evidence/area/{outcome}")


@pytest.mark.parametrize(
    ("requirement", "profile", "reason"),
    [
        ("CC-SEC-SPINE-JWT", {"auth": {"type": "client-credentials"}}, "the target takes no Spine Security Proxy audit JWT (auth.type is client-credentials)"),
        ("CC-SEC-SPINE-JWT", {"auth": {"type": "spine-jwt"}}, None),
        ("CC-ERR-SPINE-CODES", {}, "the target follows plain FHIR errors (expectations.error_codes is fhir)"),
        ("CC-ERR-SPINE-CODES", {"expectations": {"error_codes": "spine"}}, None),
        (
            "CC-SEC-AUTHORIZATION",
            {"auth": {"type": "spine-jwt"}},
            "the target authenticates with Spine Security Proxy audit JWTs, not access tokens (CC-SEC-SPINE-JWT applies instead)",
        ),
        ("CC-SEC-AUTHORIZATION", {"auth": {"type": "none"}}, None),
        ("CC-SEARCH-CONDITION-CODE", {}, "not a requirement at the IG conformance level in force (CORE: SHOULD)"),
        ("CC-SEARCH-CONDITION-CODE", {"expectations": {"conformance": "core"}}, None),
        ("CC-SEC-TLS", {}, None),
    ],
)
def test_a_requirement_does_not_apply_only_where_the_profile_or_level_rules_it_out(requirement: str, profile: dict[str, Any], reason: str | None) -> None:
    assert not_applicable(catalogue()[requirement], pack(profile)) == reason


def test_a_scenario_that_could_not_judge_leaves_its_requirement_untested() -> None:
    entry = RequirementEvidence(scenarios=[scenario("passed"), scenario("inconclusive", "the referenced patient could not be read")])
    untested = why_untested("CC-READ", entry, pack())
    assert untested.category == "could not be judged"
    assert untested.describe() == "could not be judged in 1 scenario(s): area/inconclusive: the referenced patient could not be read"


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("no known Condition record (none was configured or discovered)", "no test data"),
        ("the known Condition/c1 has no onset-date value usable as year", "no test data"),
        ("the target profile names no Patient-only client (auth.patient_only)", "not configured in the target profile"),
        ("the server's CapabilityStatement does not declare the XML format (application/fhir+json)", "not declared by the server"),
        ("the base URL http://x/STU3 is not https: the TLS scenarios apply to https targets", "not applicable to this target"),
        ("the server refuses GET http://x/STU3/Patient?birthdate=sa1927 as unsupported (400, OperationOutcome not-supported)", "not supported by the server"),
        ("the server ignored name:exact=MEAKIN: its self link http://x/STU3/Patient?gender=male leaves it out", "not supported by the server"),
        ("the server refuses GET http://x/STU3/Patient?family=X with 400: ... (expectations.patient_search_minimum: either)", "not supported by the server"),
        ("none of the 3 known AllergyIntolerance records gives a value for date as year: AllergyIntolerance/a1 lacks it", "no test data"),
    ],
)
def test_a_not_applicable_scenario_gives_its_category_and_its_own_message(message: str, category: str) -> None:
    untested = why_untested("CC-READ", RequirementEvidence(scenarios=[scenario("not-applicable", message)]), pack())
    assert untested.category == category
    assert untested.describe() == f"{category}: area/not-applicable: {message}"


def test_a_search_requirement_the_capability_statement_leaves_out_is_not_declared_by_the_server() -> None:
    entry = RequirementEvidence(scenarios=[scenario("not-applicable", "whatever the step said", "CC-SEARCH-PATIENT-BIRTHDATE")])
    untested = why_untested("CC-SEARCH-PATIENT-BIRTHDATE", entry, pack(statement=STATEMENT))
    assert untested.describe() == "not declared by the server: the CapabilityStatement does not declare the Patient search parameter(s) birthdate"
    combination = why_untested(
        "CC-SEARCH-CONDITION-PATIENT+CATEGORY", RequirementEvidence(scenarios=[scenario("not-applicable", "x")]), pack(statement=STATEMENT)
    )
    assert combination.describe() == "not declared by the server: the CapabilityStatement does not declare Condition"


def test_a_harness_error_or_a_skip_is_said_so() -> None:
    assert why_untested("CC-READ", RequirementEvidence(scenarios=[scenario("error", "boom")]), pack()).describe() == "harness error: area/error: boom"
    assert why_untested("CC-READ", RequirementEvidence(scenarios=[scenario("skipped", "why")]), pack()).category == "skipped"


def test_a_requirement_no_scenario_of_the_run_named_was_not_selected_or_is_tested_by_nothing() -> None:
    partial = {"scenarios": {"selected": 5, "in_suite": 545}, "requirements": {"CC-READ-404": {"selected": 0, "in_suite": 15}}}
    left_out = why_untested("CC-READ-404", None, pack(scope=partial))
    assert (left_out.category, left_out.reason) == (
        "not selected",
        "not selected: 15 scenario(s) of the full suite name it; this run's selection left them out",
    )
    judged_only = why_untested("CC-SEARCH-PATIENT-GENDER", None, pack(scope=partial))
    assert judged_only.reason == "not selected: no scenario of this run's selection (5 of 545 scenarios) judged it"
    full = {"scenarios": {"selected": 545, "in_suite": 545}, "requirements": {}}
    assert why_untested("CC-SEARCH-PATIENT-GENDER", None, pack(scope=full)).category == "no scenario tests it"
    assert why_untested("CC-READ", None, pack()).category == "not in this run"
