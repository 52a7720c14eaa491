"""The index of several packs: each verified against its manifest and shown for what it is (failed, incomplete,
tampered, unsealed, missing), never trusting what an unverified pack says, with each target's trend carried
from one index to the next."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.evidence import EvidenceWriter, read_json, write_json
from carecheck.report import pack_entry, problem_entry, write_index, write_reports
from tests.packs import BASE, synthetic_pack


def sealed(root: Path, target: str, *, complete: bool = True, started: str | None = None) -> Path:
    """A synthetic run of `target` (one scenario fails), sealed as the end of a run seals it."""
    synthetic_pack(root, complete=complete)
    facts = {"target": {"name": target, "base_url": BASE, "profile": {}}}
    EvidenceWriter(root).update_run(**facts, **({"started": started} if started else {}))
    write_reports(root)
    return root


def tampered(root: Path) -> Path:
    """A sealed pack whose summary was edited afterwards to claim that everything passed."""
    sealed(root, "mallory")
    summary = read_json(root / "summary.json")
    summary["totals"] = {**summary["totals"], "failed": 0, "passed": summary["totals"]["scenarios"]}
    summary["target"]["name"] = "trusted-supplier"
    write_json(root / "summary.json", summary)
    return root


@pytest.fixture
def packs(tmp_path: Path) -> list[Path]:
    return [sealed(tmp_path / "packs" / "alpha", "alpha"), sealed(tmp_path / "packs" / "beta", "beta", complete=False), tampered(tmp_path / "packs" / "gamma")]


def test_a_failed_an_incomplete_and_a_tampered_pack_each_show_for_what_they_are(packs: list[Path], tmp_path: Path) -> None:
    entries = [pack_entry(pack) for pack in packs]
    assert [(e.target, e.state, e.exit_code, e.verified) for e in entries] == [
        ("alpha", "FAILED", 1, True),
        ("beta", "INCOMPLETE", 1, True),
        ("unverified (gamma)", "TAMPERED", 1, False),
    ]
    assert entries[0].status.startswith("FAILED — 1 of 5 scenarios failed") and entries[0].totals["failed"] == 1
    assert entries[2].status.startswith("does not match its manifest: summary.json: changed since the manifest was written")
    page = write_index(tmp_path / "index", entries).read_text()
    data = json.loads((tmp_path / "index" / "index.json").read_text())
    assert [t["state"] for t in data["targets"]] == ["FAILED", "INCOMPLETE", "TAMPERED"]
    assert data["targets"][2]["totals"] == {} and data["targets"][2]["started"] is None
    assert "trusted-supplier" not in page and "mallory" not in page, "nothing a tampered pack says is shown"
    assert '<a href="../packs/alpha/report.html">' in page and "1 pack(s) could not be verified" in page
    assert set(data["history"]) == {"alpha", "beta"}, "only verified runs make a trend"


def test_a_pack_without_manifest_or_folder_and_a_target_never_run_are_listed_unread(tmp_path: Path) -> None:
    unsealed = synthetic_pack(tmp_path / "killed")
    entry = pack_entry(unsealed)
    assert (entry.state, entry.verified, entry.exit_code) == ("UNSEALED", False, 1) and "no manifest.json" in entry.status
    missing = pack_entry(tmp_path / "never-uploaded")
    assert (missing.state, missing.status) == ("NO PACK", "no such report folder (the job left no pack)")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_text("{not json")
    assert pack_entry(tmp_path / "broken").state == "TAMPERED"
    down = problem_entry("supplier", tmp_path / "supplier", "target unreachable: connection refused", 3)
    page = write_index(tmp_path, [entry, missing, down]).read_text()
    assert "NOT RUN" in page and "target unreachable: connection refused" in page


def test_the_trend_carries_over_from_the_previous_index_and_counts_each_run_once(tmp_path: Path) -> None:
    monday = sealed(tmp_path / "monday", "alpha", started="2026-01-05T02:30:00+00:00")
    root = tmp_path / "index"
    write_index(root, [pack_entry(monday)])
    write_index(root, [pack_entry(monday)])
    history = json.loads((root / "index.json").read_text())["history"]
    assert len(history["alpha"]) == 1, "the same pack listed twice is one run"
    tuesday = sealed(tmp_path / "tuesday", "alpha", started="2026-01-06T02:30:00+00:00")
    write_json(
        tuesday / "evidence" / "patient" / "read" / "unknown" / "result.json",
        {**read_json(tuesday / "evidence" / "patient" / "read" / "unknown" / "result.json"), "outcome": "passed"},
    )
    write_reports(tuesday)
    page = write_index(root, [pack_entry(tuesday)]).read_text()
    points = json.loads((root / "index.json").read_text())["history"]["alpha"]
    assert [p["failed"] for p in points] == [1, 0]
    assert "failed 1 → 0 (-1) since 2026-01-05T02:30:00+00:00" in page and page.count('class="run"') == 2
    elsewhere = tmp_path / "ci-index"
    write_index(elsewhere, [pack_entry(tuesday)], previous=root / "index.json")
    assert len(json.loads((elsewhere / "index.json").read_text())["history"]["alpha"]) == 2, "--history: last night's index"


def test_carecheck_index_merges_packs_with_the_worst_exit_code(packs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "merged"
    command = [sys.executable, "-m", "carecheck.cli", "index", *map(str, packs), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("carecheck index: alpha (") and "FAILED — 1 of 5" in lines[0]
    assert "INCOMPLETE — the run was interrupted" in lines[1]
    assert lines[2].startswith("carecheck index: unverified (gamma) (") and "TAMPERED: does not match its manifest" in lines[2]
    assert lines[3] == f"carecheck index: 3 pack(s) — {out / 'index.html'}"
    assert (out / "index.json").is_file()
