"""`summary.json`: the run's facts, totals and one record per scenario — a view of the evidence pack."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.evidence import Pack, read_pack, write_json
from carecheck.report.cleanup import write_cleanup

__all__ = ["FAILING", "OUTCOMES", "SUMMARY_FILE", "build_summary", "failing", "summarise", "write_summary"]

SUMMARY_FILE = "summary.json"
OUTCOMES = ("passed", "failed", "error", "skipped", "not-applicable", "waived")
FAILING = frozenset({"failed", "error"})


def summarise(pack: Pack) -> dict[str, Any]:
    """Fold the pack's run facts and scenario records into the summary."""
    scenarios = [scenario.summary_record() for scenario in pack.scenarios]
    counts = Counter(str(scenario["outcome"]) for scenario in scenarios)
    return {
        "target": pack.run.get("target", {}),
        "harness": {"name": "carecheck", "version": pack.run.get("harness_version", __version__)},
        "started": pack.run.get("started"),
        "ended": pack.run.get("ended"),
        "complete": pack.complete,
        "totals": {"scenarios": len(scenarios), **{outcome: counts.get(outcome, 0) for outcome in OUTCOMES}},
        "write_cleanup": write_cleanup(pack),
        "scenarios": scenarios,
    }


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
