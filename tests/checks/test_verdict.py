"""The verdict: records every judgement and fails a step at its first failed finding, with a readable reason."""

from __future__ import annotations

import pytest

from carecheck.checks import INCONCLUSIVE, CheckFailed, Outcome, Registry, Verdict, passed, unjudged, warned
from carecheck.checks.registry import Check
from tests.exchanges import BASE, exchange, interaction, patient, searchset


def test_a_passing_judgement_is_recorded_with_the_scenario_requirements() -> None:
    verdict = Verdict(requirements=("CC-SEARCH-PATIENT-FAMILY",))
    findings = verdict.judge("status_code", interaction(exchange(patient())), expected=[200])
    assert [f.outcome for f in findings] == [Outcome.PASS]
    assert findings[0].requirements == ("CC-GEN-REST", "CC-SEARCH-PATIENT-FAMILY")
    assert verdict.judgements[0].to_data()["arguments"] == {"expected": [200]}
    assert verdict.judgements[0].to_data()["interaction"]["exchanges"] == ["001"]


def test_a_failure_names_requirement_request_problem_and_evidence() -> None:
    verdict = Verdict(requirements=("CC-READ-404",), locate=lambda e: f"evidence/x/{e.id}.json")
    with pytest.raises(CheckFailed) as failure:
        verdict.judge("status_code", interaction(exchange(patient(), url=f"{BASE}/Patient/nope")), expected=[404])
    message = str(failure.value)
    assert message == (f"[CC-GEN-REST, CC-READ-404] GET {BASE}/Patient/nope: expected status 404, got 200; body is a Patient (evidence: evidence/x/001.json)")
    assert [f.outcome for f in verdict.findings] == [Outcome.FAIL]


def test_warnings_do_not_fail_the_step() -> None:
    verdict = Verdict()
    found = verdict.judge("fhir_content_type", interaction(exchange(patient(), content_type="application/json+fhir")))
    assert [f.outcome for f in found] == [Outcome.WARN]


def test_a_failure_a_waiver_covers_is_waived_and_does_not_fail() -> None:
    import datetime

    from carecheck.fhir import parse_waivers

    waivers = parse_waivers(
        "waivers:\n  - message: 'expected status 404, got 200'\n    check: status_code\n    reason: Supplier fix due in 4.2\n    owner: qa@supplier.example\n    expires: 2030-01-01\n"
    )
    verdict = Verdict(waivers=waivers, today=datetime.date(2029, 12, 31))
    found = verdict.judge("status_code", interaction(exchange(patient())), expected=[404])
    assert [f.outcome for f in found] == [Outcome.WAIVED]
    assert found[0].waiver == "Supplier fix due in 4.2 (qa@supplier.example, until 2030-01-01)"
    expired = Verdict(waivers=waivers, today=datetime.date(2030, 1, 2))
    with pytest.raises(CheckFailed):
        expired.judge("status_code", interaction(exchange(patient())), expected=[404])


def test_a_scenario_whose_steps_all_ran_settles_as_passed_or_waived_with_its_notes() -> None:
    verdict = Verdict()
    assert verdict.settled() == ("passed", "")
    verdict.judge("fhir_content_type", interaction(exchange(patient(), content_type="application/json+fhir")))
    outcome, message = verdict.settled()
    assert outcome == "passed" and message.startswith("warning: Content-Type is the DSTU2 type")


def test_a_profile_failure_is_judged_under_the_profile_requirements_not_the_scenario_ones() -> None:
    """Issue 13, item 10: a search that worked is not "not met" because a resource it returned failed its profile."""
    verdict = Verdict(requirements=("CC-SEARCH-PATIENT-FAMILY",))
    searched = interaction(exchange(searchset(patient(gender="nonsense"))))
    status = verdict.judge("status_code", searched, expected=[200])
    assert "CC-SEARCH-PATIENT-FAMILY" in status[0].requirements, "the search's own checks judge the search requirement"
    with pytest.raises(CheckFailed) as failure:
        verdict.judge("profile_valid", searched)
    failed = [f for f in verdict.findings if f.outcome is Outcome.FAIL]
    assert failed and all("CC-SEARCH-PATIENT-FAMILY" not in f.requirements for f in failed)
    assert all("CC-PROFILE-VALID" in f.requirements for f in failed)
    assert "CC-SEARCH-PATIENT-FAMILY" not in str(failure.value)
    with pytest.raises(CheckFailed):
        verdict.judge("meta_profile", searched, resource_type="Patient", profile="https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1")
    assert verdict.findings[-1].requirements == ("CC-GEN-META-PROFILE",)


def test_a_scenario_with_something_not_judged_is_inconclusive_never_passed() -> None:
    registry = Registry()
    registry.register(Check("half", "judges half", ("R-1",), lambda _i: [passed("one judged"), unjudged("Patient/x could not be read"), warned("a note")]))
    verdict = Verdict(requirements=("R-1",), registry=registry)
    verdict.judge("half", interaction(exchange({"resourceType": "Patient", "id": "x"})))
    outcome, message = verdict.settled()
    assert outcome == INCONCLUSIVE == "inconclusive"
    assert message.startswith("not judged: Patient/x could not be read; warning: a note")


def test_a_failure_quoting_text_that_is_not_text_can_always_be_written() -> None:
    """A lone surrogate from a `\\ud800` in the server's JSON is kept as its escape in findings and messages."""
    verdict = Verdict()
    with pytest.raises(CheckFailed) as failure:
        verdict.judge("resource_type", interaction(exchange(b'{"resourceType": "Pat\\ud800ient", "id": "p1"}')), expected="Patient")
    assert "Pat\\ud800ient" in str(failure.value)
    str(failure.value).encode("utf-8")
    verdict.findings[0].message.encode("utf-8")
