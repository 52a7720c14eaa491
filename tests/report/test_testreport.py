"""testreport.json: the run as a FHIR STU3 TestReport that carecheck's own validator accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carecheck.evidence import read_pack
from carecheck.fhir import Severity, validate
from carecheck.report import fhir_testreport
from tests.packs import real_pack, synthetic_pack

RESULTS = {"pass", "skip", "fail", "warning", "error"}


def actions(report: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    test = next(t for t in report["test"] if t["description"].startswith(name))
    return [(kind, body) for action in test["action"] for kind, body in action.items()]


def errors(report: dict[str, Any]) -> list[str]:
    return [issue.describe() for issue in validate(report) if issue.severity is Severity.ERROR]


def test_participants_setup_and_a_test_per_scenario_with_an_action_per_step(tmp_path: Path) -> None:
    report = fhir_testreport(read_pack(synthetic_pack(tmp_path)))
    assert errors(report) == []
    assert (report["status"], report["result"], report["score"]) == ("completed", "fail", 75.0)
    assert [p["type"] for p in report["participant"]] == ["server", "test-engine"]
    assert report["participant"][0]["uri"] == "http://fhir.test/STU3"
    assert report["setup"]["action"][0]["operation"]["detail"] == "evidence/_run/capability/001-GET-metadata.json"
    assert len(report["test"]) == 5
    unknown = actions(report, "patient/read/unknown")
    assert [(kind, body["result"]) for kind, body in unknown] == [("operation", "pass"), ("assert", "fail"), ("assert", "skip")]
    assert unknown[0][1]["detail"] == "evidence/patient/read/unknown/001-GET-Patient-nope.json"
    assert unknown[1][1]["message"].startswith("Then check status_code — failed: [CC-GEN-REST, CC-READ-404] GET ")
    assert unknown[2][1]["message"] == "Then check resource_type — not run"
    assert [body["result"] for _, body in actions(report, "patient/read/warned")] == ["pass", "warning"]
    assert [body["result"] for _, body in actions(report, "clinical/condition/by-code")] == ["skip", "skip"]


def test_an_interrupted_run_is_a_stopped_report(tmp_path: Path) -> None:
    report = fhir_testreport(read_pack(synthetic_pack(tmp_path, complete=False)))
    assert report["status"] == "stopped" and "issued" in report
    unfinished = actions(report, "clinical/condition/unfinished")
    assert unfinished == [("operation", {"result": "error", "message": "error: the run was interrupted before this scenario finished"})]
    assert errors(report) == []


@pytest.mark.e2e
def test_a_real_run_s_report_validates_and_every_detail_is_an_evidence_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = real_pack(tmp_path_factory, "faulty")
    report = fhir_testreport(read_pack(root))
    assert errors(report) == []
    from fhir.resources.STU3.testreport import TestReport

    TestReport.model_validate(report)
    every = [body for test in report["test"] for action in test["action"] for body in action.values()]
    every += [body for action in report["setup"]["action"] for body in action.values()]
    assert {body["result"] for body in every} <= RESULTS and "fail" in {body["result"] for body in every}
    details = {body["detail"] for body in every if "detail" in body}
    assert details and all((root / detail).is_file() for detail in details)
