"""`summary.json`: the run's facts, totals and one record per scenario — a view of the evidence pack."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.evidence import EVIDENCE_DIR, RESULT_FILE, RUN_FILE, SCENARIO_FILE, write_json

__all__ = ["OUTCOMES", "SUMMARY_FILE", "build_summary", "failing", "write_summary"]

SUMMARY_FILE = "summary.json"
OUTCOMES = ("passed", "failed", "error", "skipped", "not-applicable", "waived")
FAILING = frozenset({"failed", "error"})

_SCENARIO_FIELDS = ("id", "feature", "name", "tags", "outcome", "message", "requirements", "evidence")


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _result(folder: Path) -> dict[str, Any]:
    """The scenario's result, or — for a scenario the run never finished — its start record as an error."""
    if (folder / RESULT_FILE).is_file():
        return _read(folder / RESULT_FILE)
    started = _read(folder / SCENARIO_FILE)
    return {**started, "outcome": "error", "message": "the run was interrupted before this scenario finished"}


def build_summary(report_dir: Path) -> dict[str, Any]:
    """Read `run.json` and every scenario's `result.json` and fold them into the summary."""
    run = _read(report_dir / RUN_FILE) if (report_dir / RUN_FILE).is_file() else {}
    results = [_result(path.parent) for path in sorted((report_dir / EVIDENCE_DIR).rglob(SCENARIO_FILE))]
    results.sort(key=lambda result: (str(result.get("started", "")), str(result.get("id", ""))))
    scenarios = [{field: result.get(field) for field in _SCENARIO_FIELDS} for result in results]
    counts = Counter(str(scenario["outcome"]) for scenario in scenarios)
    return {
        "target": run.get("target", {}),
        "harness": {"name": "carecheck", "version": run.get("harness_version", __version__)},
        "started": run.get("started"),
        "ended": run.get("ended"),
        "complete": bool(run.get("ended")) and not run.get("interrupted", False),
        "totals": {"scenarios": len(scenarios), **{outcome: counts.get(outcome, 0) for outcome in OUTCOMES}},
        "scenarios": scenarios,
    }


def write_summary(report_dir: Path) -> dict[str, Any]:
    summary = build_summary(report_dir)
    write_json(report_dir / SUMMARY_FILE, summary)
    return summary


def failing(summary: dict[str, Any]) -> bool:
    """True when any scenario failed or errored, or the run did not complete."""
    return not summary["complete"] or any(s["outcome"] in FAILING for s in summary["scenarios"])
