"""summary.json is a view of the evidence: totals and scenario records come from result files only."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import EvidenceWriter
from carecheck.report import build_summary, failing, write_summary


def scenario(writer: EvidenceWriter, name: str, outcome: str | None, started: str) -> None:
    """A scenario that started and, unless `outcome` is None, finished."""
    evidence = writer.scenario(name)
    identity = {"id": name, "feature": "F", "name": name, "tags": ["shall"], "requirements": ["CC-READ"], "started": started}
    evidence.start(identity)
    if outcome is not None:
        evidence.finish({**identity, "outcome": outcome, "message": ""})


def test_summary_counts_outcomes_in_run_order(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    writer.update_run(target={"name": "reference"}, harness_version="9.9", started="t0", ended="t9", interrupted=False)
    scenario(writer, "b", "failed", "t2")
    scenario(writer, "a", "passed", "t1")
    scenario(writer, "c", "not-applicable", "t3")
    summary = write_summary(tmp_path)
    assert (tmp_path / "summary.json").is_file()
    assert [s["id"] for s in summary["scenarios"]] == ["a", "b", "c"]
    assert summary["totals"] == {"scenarios": 3, "passed": 1, "failed": 1, "error": 0, "skipped": 0, "not-applicable": 1, "waived": 0, "inconclusive": 0}
    assert summary["harness"] == {"name": "carecheck", "version": "9.9"}
    assert summary["scenarios"][1] == {
        "id": "b", "feature": "F", "name": "b", "tags": ["shall"], "outcome": "failed", "message": "",
        "requirements": ["CC-READ"], "evidence": "evidence/b",
    }  # fmt: skip
    assert failing(summary)


def test_an_unfinished_run_is_incomplete_and_failing(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    writer.update_run(started="t0")
    scenario(writer, "a", "passed", "t1")
    scenario(writer, "b", None, "t2")
    summary = build_summary(tmp_path)
    assert not summary["complete"]
    assert failing(summary)
    assert summary["scenarios"][1]["outcome"] == "error"
    assert "interrupted" in summary["scenarios"][1]["message"]


def test_all_passed_is_not_failing(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    writer.update_run(started="t0", ended="t1", interrupted=False)
    scenario(writer, "a", "passed", "t1")
    assert not failing(build_summary(tmp_path))
