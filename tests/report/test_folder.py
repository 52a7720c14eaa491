"""write_reports: every view of the pack, then the manifest, also for a run that was interrupted."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.evidence import EvidenceWriter, read_pack, verify
from carecheck.report import assurance_checklist, failing, write_reports
from tests.exchanges import BASE, exchange, patient, searchset
from tests.packs import ENDED, STARTED, Check, run_scenario, synthetic_pack

VIEWS = ("summary.json", "testreport.json", "checklist.md", "report.html", "capability-statement.json", "manifest.json")


def test_every_view_is_written_and_sealed(tmp_path: Path) -> None:
    summary = write_reports(synthetic_pack(tmp_path))
    assert all((tmp_path / name).is_file() for name in VIEWS)
    assert summary["complete"] and summary["totals"]["failed"] == 1
    assert json.loads((tmp_path / "summary.json").read_text()) == summary
    verification = verify(tmp_path)
    assert verification.ok and verification.complete
    assert write_reports(tmp_path) == summary, "writing again changes nothing but the seal"
    assert verify(tmp_path).ok


def test_an_interrupted_run_leaves_a_readable_pack_marked_incomplete(tmp_path: Path) -> None:
    summary = write_reports(synthetic_pack(tmp_path, complete=False))
    assert not summary["complete"] and summary["scenarios"][-1]["outcome"] == "error"
    assert json.loads((tmp_path / "manifest.json").read_text())["complete"] is False
    assert json.loads((tmp_path / "testreport.json").read_text())["status"] == "stopped"
    assert "INCOMPLETE — the run was interrupted" in (tmp_path / "report.html").read_text()
    assert "INCOMPLETE (interrupted)" in (tmp_path / "checklist.md").read_text()
    assert verify(tmp_path).ok and not verify(tmp_path).complete


def test_views_are_written_from_the_evidence_as_it_is(tmp_path: Path) -> None:
    write_reports(synthetic_pack(tmp_path))
    result = tmp_path / "evidence/patient/read/known/result.json"
    result.write_text(result.read_text().replace('"outcome": "passed"', '"outcome": "failed"'))
    assert write_reports(tmp_path)["totals"]["failed"] == 2 and verify(tmp_path).ok


def test_an_inconclusive_scenario_is_untested_in_every_view(tmp_path: Path) -> None:
    """A scenario whose check could not judge the answer: its own total, skipped in the TestReport, and its
    requirement not tested (never met) in the checklist; the run does not fail for it."""
    writer = EvidenceWriter(tmp_path)
    writer.update_run(target={"name": "synthetic", "base_url": BASE}, harness_version="0.1.0", started=STARTED, ended=ENDED)
    odd = exchange(searchset(patient("p1")), url=f"{BASE}/Patient?birthdate=notadate")
    result = run_scenario(
        writer, "patient/search/odd", [odd], [Check("search_sound", {"resource_type": "Patient"})], requirements=("CC-SEARCH-PATIENT-BIRTHDATE",)
    )
    assert result["outcome"] == "inconclusive" and result["message"].startswith("not judged: soundness not judged")
    summary = write_reports(tmp_path)
    assert summary["totals"]["inconclusive"] == 1 and not failing(summary)
    test = json.loads((tmp_path / "testreport.json").read_text())["test"][0]
    assert test["action"][-1]["assert"]["result"] == "skip" and "not judged" in test["action"][-1]["assert"]["message"]
    item = next(i for s in assurance_checklist(read_pack(tmp_path)) for i in s.items if i.requirement.id == "CC-SEARCH-PATIENT-BIRTHDATE")
    assert item.status == "not tested" and "could not be judged in 1 scenario(s)" in item.note
    assert "inconclusive" in (tmp_path / "report.html").read_text()


def test_a_pack_read_before_the_run_facts_were_completed_is_reported_with_the_completed_facts(tmp_path: Path) -> None:
    """`carecheck run` reads the scenarios once, completes run.json from them, and hands that reading over: the
    reports say what run.json says now, and the same as from a fresh reading."""
    synthetic_pack(tmp_path, complete=False)
    read_early = read_pack(tmp_path)
    assert not read_early.complete and read_early.capability_statement is None
    EvidenceWriter(tmp_path).update_run(ended=ENDED, interrupted=False, write_cleanup={"cleaned": [], "left_behind": []})
    handed_over = write_reports(tmp_path, read_early)
    assert handed_over["complete"] and handed_over["write_cleanup"] == {"cleaned": [], "left_behind": []}
    assert verify(tmp_path).complete and "INCOMPLETE" not in (tmp_path / "checklist.md").read_text()
    assert handed_over == write_reports(tmp_path)
