"""Failures grouped by cause: what varies from scenario to scenario is normalised away, the cause stays."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from carecheck.evidence import Pack, ScenarioRecord
from carecheck.report import failure_causes, normalise


def finding(
    message: str,
    *,
    check: str = "profile_valid",
    pointer: str | None = None,
    resource_type: str | None = None,
    requirements: tuple[str, ...] = ("CC-PROFILE-VALID",),
) -> dict[str, Any]:
    return {
        "outcome": "fail",
        "message": message,
        "check": check,
        "requirements": list(requirements),
        "pointer": pointer,
        "resource_type": resource_type,
        "exchange": None,
    }


def scenario(name: str, *findings: dict[str, Any], outcome: str = "failed", message: str = "x") -> ScenarioRecord:
    judgements = ({"check": "c", "interaction": {}, "findings": [*findings, {"outcome": "pass", "message": "fine", "requirements": []}]},)
    return ScenarioRecord(f"a/{name}", "F", name, (), ("CC-READ",), ("CC-READ",), outcome, message, f"evidence/a/{name}", judgements=judgements)


def test_numbers_ids_quoted_values_and_criteria_are_normalised_away() -> None:
    cases = {
        "[binding] 'banana' is not in the required value set https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-AdministrativeGender-1": "[binding] '…' is not in the required value set https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-AdministrativeGender-1",
        (
            "Patient/2f88064f-8dc3-4763-af75-94faf6b08b18 does not satisfy name=MEAKIN&birthdate=lt1927-06-19: "
            "birthdate=lt1927-06-19: birthDate 1927-06-19 is not lt1927-06-19"
        ): "Patient/… does not satisfy … birthdate=…: birthDate # is not #",
        "expected status 404, got 200; OperationOutcome says: Patient/carecheck-no-such-patient-0 is not known": "expected status #, got #; OperationOutcome says: Patient/… is not known",
        "next link http://x/STU3/Patient?page=3&_count=10 repeats page 2": "next link http://x/STU3/Patient?… repeats page #",
        'an "encounter" element of 3 entries': 'an "…" element of # entries',
    }
    for message, template in cases.items():
        shown, pattern = normalise(message)
        assert shown == template
        assert re.fullmatch(pattern, message), pattern


def test_the_same_problem_in_many_scenarios_is_one_cause_with_its_count_and_an_example() -> None:
    encounter = [
        scenario(
            f"s{n}",
            finding(
                f"[cardinality] 'encounter' has {n} values, at most 1 allowed", pointer=f"Bundle.entry[{n}].resource.encounter", resource_type="Observation"
            ),
        )
        for n in range(3)
    ]
    read = scenario("read", finding("[cardinality] 'encounter' has 2 values, at most 1 allowed", pointer="Observation.encounter", resource_type="Observation"))
    status = scenario("status", finding("expected status 404, got 200", check="status_code", requirements=("CC-GEN-REST", "CC-READ-404")))
    twice = scenario(
        "twice",
        finding("expected status 404, got 500", check="status_code", requirements=("CC-GEN-REST", "CC-ERR-CLIENT-ERROR")),
        finding("expected status 404, got 200", check="status_code"),
    )
    passed = ScenarioRecord("a/ok", "F", "ok", (), (), (), "passed", "", "evidence/a/ok")
    errored = ScenarioRecord(
        "a/err", "F", "err", (), ("CC-READ",), ("CC-READ",), "error", "harness error while running the scenario: KeyError: 'x'\ntraceback", "evidence/a/err"
    )
    causes = failure_causes(Pack(Path("."), {}, [*encounter, read, status, twice, passed, errored], None))
    described = [(len(c.scenarios), c.findings, c.check, c.path, c.message) for c in causes]
    assert described == [
        (4, 4, "profile_valid", "Observation.encounter", "[cardinality] '…' has # values, at most # allowed"),
        (2, 3, "status_code", None, "expected status #, got #"),
        (1, 1, "harness error", None, "harness error while running the scenario: KeyError: '…'"),
    ]
    first = causes[0].to_data()
    assert first["example"] == {"scenario": "a/s0", "message": "[cardinality] 'encounter' has 0 values, at most 1 allowed", "evidence": "evidence/a/s0"}
    assert causes[1].requirements == ("CC-ERR-CLIENT-ERROR", "CC-GEN-REST", "CC-PROFILE-VALID", "CC-READ-404"), "every requirement the cause bore on"
    assert causes[0].describe().startswith("4 scenario(s): [CC-PROFILE-VALID] profile_valid at Observation.encounter: [cardinality]")
