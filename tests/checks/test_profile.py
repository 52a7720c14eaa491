"""The profile check: valid Care Connect resources pass, broken ones fail with the rule and location."""

from __future__ import annotations

import copy
import json
from typing import Any

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.project import data_path
from tests.exchanges import exchange, interaction, searchset

PATIENT: dict[str, Any] = json.loads(data_path("testdata", "interopen-patients.json").read_text())[0]


def run(body: Any) -> list[Finding]:
    return CHECKS.get("profile_valid").run(interaction(exchange(body)))


def test_a_care_connect_patient_is_valid() -> None:
    assert {f.outcome for f in run(PATIENT) if f.outcome is not Outcome.WARN} == {Outcome.PASS}


def test_valid_nhs_numbers_are_a_finding_of_their_own_so_the_requirement_counts_as_tested() -> None:
    passes = [f for f in run(searchset(PATIENT, {**PATIENT, "id": "b"})) if "CC-GEN-NHS-NUMBER" in f.requirements]
    assert [f.outcome for f in passes] == [Outcome.PASS] and passes[0].message.startswith("2 NHS number(s)")
    broken = copy.deepcopy(PATIENT)
    broken["identifier"][0]["value"] = "9658218874"
    assert {f.outcome for f in run(broken) if "CC-GEN-NHS-NUMBER" in f.requirements} == {Outcome.FAIL}
    anonymous = {k: v for k, v in PATIENT.items() if k != "identifier"}
    assert not [f for f in run(anonymous) if "CC-GEN-NHS-NUMBER" in f.requirements], "no NHS number, no verdict on it"


def test_an_invalid_nhs_number_fails_naming_the_rule_and_location() -> None:
    broken = copy.deepcopy(PATIENT)
    broken["identifier"][0]["value"] = "9658218874"
    failures = [f for f in run(broken) if f.outcome is Outcome.FAIL]
    assert failures
    assert any(f.message.startswith("[nhs-number]") and "CC-GEN-NHS-NUMBER" in f.requirements for f in failures)
    assert all(f.pointer and f.pointer.startswith("Patient.identifier") for f in failures)
    assert all(f.resource_type == "Patient" for f in failures)


def test_a_bad_entry_in_a_searchset_fails_and_says_where() -> None:
    broken = copy.deepcopy(PATIENT)
    broken["gender"] = "banana"
    failures = [f for f in run(searchset(PATIENT, {**broken, "id": "b"})) if f.outcome is Outcome.FAIL]
    assert failures and all(f.pointer and f.pointer.startswith("Bundle.entry[1]") for f in failures)


def test_a_resource_without_meta_profile_fails_the_profile_claim() -> None:
    unclaimed = {k: v for k, v in PATIENT.items() if k != "meta"}
    assert any(f.outcome is Outcome.FAIL and "CC-GEN-META-PROFILE" in f.requirements for f in run(unclaimed))


def test_a_body_that_is_not_fhir_fails() -> None:
    assert [f.outcome for f in run(b"<html>no</html>")] == [Outcome.FAIL]
