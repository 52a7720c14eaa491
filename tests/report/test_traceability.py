"""Which scenarios and findings bear on which requirement and interaction."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import ScenarioRecord, read_pack
from carecheck.report.traceability import evidence_file, exercised, fold, interactions, requirement_evidence
from tests.packs import synthetic_pack


def test_a_group_shows_its_most_telling_outcome() -> None:
    assert fold(["passed", "not-applicable", "failed"]) == "failed"
    assert fold(["passed", "waived"]) == "waived"
    assert fold(["not-applicable", "skipped"]) == "not-applicable"
    assert fold([]) == "not-tested"


def capability_scenario() -> ScenarioRecord:
    finding = {"outcome": "fail", "requirements": ["CC-CAP-SEARCH-PARAMS", "CC-SEARCH-PATIENT-BIRTHDATE"], "exchange": "001"}
    judgement = {
        "check": "capability_declares_search_params",
        "interaction": {"kind": "capabilities", "resource_type": "CapabilityStatement", "exchanges": ["001"]},
        "findings": [finding],
    }
    return ScenarioRecord(
        "capability/x", "F", "x", (), ("CC-CAP-SEARCH-PARAMS", "CC-SEARCH-PATIENT-BIRTHDATE"), ("CC-CAP-SEARCH-PARAMS",),
        "failed", "m", "evidence/capability/x", judgements=(judgement,), exchange_files=("001-GET-metadata.json",),
    )  # fmt: skip


def test_a_finding_about_declarations_is_not_an_exercise_of_the_parameter() -> None:
    scenario = capability_scenario()
    assert exercised(scenario) == frozenset({"CC-CAP-SEARCH-PARAMS"})
    assert interactions(scenario) == {("capabilities", "CapabilityStatement")}
    assert evidence_file(scenario, "001") == "evidence/capability/x/001-GET-metadata.json"
    assert evidence_file(scenario, "002") is None and evidence_file(scenario, None) is None


def test_requirements_gather_their_scenarios_and_findings(tmp_path: Path) -> None:
    found = requirement_evidence(read_pack(synthetic_pack(tmp_path)))
    assert [s.id for s in found["CC-READ-404"].scenarios] == ["patient/read/unknown"]
    assert found["CC-READ-404"].findings["fail"] == 1 and len(found["CC-READ-404"].failures) == 1
    assert found["CC-GEN-FORMAT"].findings["warn"] == 1
    assert found["CC-SEARCH-CONDITION-CODE"].outcomes() == {"not-applicable": 1}
