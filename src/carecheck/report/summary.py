"""`summary.json`: the run's facts, scope, verdict line, totals, requirement coverage, failure causes, warnings
and one record per scenario — a view of the evidence pack."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.evidence import Pack, read_pack, write_json
from carecheck.report.causes import Cause, failure_causes
from carecheck.report.checklist import ChecklistSection, assurance_checklist
from carecheck.report.cleanup import write_cleanup
from carecheck.report.coverage import coverage
from carecheck.report.fhir_version import fhir_version_banner
from carecheck.report.headline import headline
from carecheck.report.traceability import FAILING
from carecheck.report.waiver_warnings import waiver_warnings

__all__ = ["FAILING", "OUTCOMES", "SUMMARY_FILE", "build_summary", "failing", "summarise", "write_summary"]

SUMMARY_FILE = "summary.json"
OUTCOMES = ("passed", "failed", "error", "skipped", "not-applicable", "waived", "inconclusive")
"""Every scenario outcome; `inconclusive` (a check could not judge part of the answer) is untested, not failing."""


def summarise(pack: Pack, checklist: Sequence[ChecklistSection] | None = None, causes: Sequence[Cause] | None = None) -> dict[str, Any]:
    """Fold the pack's run facts and scenario records into the summary (the checklist and the causes are
    derived from the pack when not given)."""
    scenarios = [scenario.summary_record() for scenario in pack.scenarios]
    counts = Counter(str(scenario["outcome"]) for scenario in scenarios)
    sections = checklist if checklist is not None else assurance_checklist(pack)
    grouped = causes if causes is not None else failure_causes(pack)
    failed = sum(1 for scenario in scenarios if scenario["outcome"] in FAILING)
    banner = fhir_version_banner(pack)
    summary: dict[str, Any] = {
        "target": pack.run.get("target", {}),
        "harness": {
            "name": "carecheck",
            "version": pack.run.get("harness_version", __version__),
            "commit": pack.run.get("harness_commit"),
            "features_sha256": pack.run.get("features_sha256"),
        },
        "started": pack.run.get("started"),
        "ended": pack.run.get("ended"),
        "complete": pack.complete,
        "scope": pack.run.get("scope") or {},
        "totals": {"scenarios": len(scenarios), **{outcome: counts.get(outcome, 0) for outcome in OUTCOMES}},
        "write_cleanup": write_cleanup(pack),
        "coverage": coverage(sections),
        "causes": {"failed_scenarios": failed, "count": len(grouped), "causes": [cause.to_data() for cause in grouped]},
        "banners": [banner] if banner else [],
        "warnings": [warning.to_data() for warning in waiver_warnings(pack)],
        "scenarios": scenarios,
    }
    summary["headline"] = headline(summary).to_data()
    return summary


def build_summary(report_dir: Path) -> dict[str, Any]:
    """Read `run.json` and every scenario's `result.json` and fold them into the summary."""
    return summarise(read_pack(report_dir))


def write_summary(report_dir: Path) -> dict[str, Any]:
    summary = build_summary(report_dir)
    write_json(report_dir / SUMMARY_FILE, summary)
    return summary


def failing(summary: dict[str, Any]) -> bool:
    """True when any scenario failed or errored, or the run did not complete."""
    return not summary["complete"] or any(s["outcome"] in FAILING for s in summary["scenarios"])
