"""The step log: how each Gherkin step ended, and which judgements and exchanges it made."""

from __future__ import annotations

import pytest

from carecheck.evidence import StepLog, read_pack
from tests.packs import UNUSED_WAIVER, real_pack

STEPS = [
    ("Given", "given", "the known Patient record", 3),
    ("When", "when", "the client reads it", 4),
    ("Then", "then", "it is there", 5),
    ("And", "then", "it is valid", 6),
]


def test_each_step_keeps_its_outcome_and_ranges() -> None:
    log = StepLog(STEPS)
    log.started(0, 0)
    log.ended("passed", 0, 0)
    log.started(0, 0)
    log.ended("passed", 0, 1)
    log.started(0, 1)
    log.ended("failed", 2, 1)
    steps = log.to_data("failed", 2, 1)
    assert [s["outcome"] for s in steps] == ["passed", "passed", "failed", "not-run"]
    assert steps[1]["exchanges"] == [0, 1] and steps[2]["judgements"] == [0, 2] and steps[2]["exchanges"] == [1, 1]
    assert steps[3] == {"keyword": "And", "type": "then", "text": "it is valid", "line": 6, "outcome": "not-run", "judgements": [0, 0], "exchanges": [0, 0]}


def test_a_step_still_running_when_the_scenario_ends_was_skipped_or_broke_the_run() -> None:
    skipped = StepLog(STEPS)
    skipped.started(0, 0)
    assert [s["outcome"] for s in skipped.to_data("not-applicable", 0, 0)] == ["not-applicable", "not-run", "not-run", "not-run"]
    broken = StepLog(STEPS)
    broken.started(0, 0)
    assert broken.to_data("error", 0, 0)[0]["outcome"] == "error"


@pytest.mark.e2e
def test_a_real_run_records_every_step_and_keeps_its_waiver_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = real_pack(tmp_path_factory, "faulty")
    pack = read_pack(root)
    assert all(scenario.steps for scenario in pack.scenarios)
    unknown = next(s for s in pack.scenarios if s.id == "patient/patient_read/an-unknown-patient-is-not-found")
    assert [(s["type"], s["outcome"]) for s in unknown.steps] == [("when", "passed"), ("then", "failed"), ("then", "not-run"), ("then", "not-run")]
    assert unknown.steps[0]["exchanges"] == [0, 1] and unknown.steps[1]["judgements"] == [0, 1]
    not_applicable = next(s for s in pack.scenarios if s.outcome == "not-applicable")
    assert "not-applicable" in [s["outcome"] for s in not_applicable.steps]
    assert (root / "waivers.yaml").read_text() == UNUSED_WAIVER
