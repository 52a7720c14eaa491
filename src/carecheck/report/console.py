"""What `carecheck run` prints about a finished run before its last line, from the run's summary: the FHIR
version banner, the waiver warnings, the failure causes with their counts, the first failures (and how many
more there are, and where to read them), and the SHALL requirements left untested.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from carecheck.report.coverage import untested_shall
from carecheck.report.traceability import FAILING
from carecheck.report.untested import NOT_SELECTED

__all__ = ["CAUSES_SHOWN", "FAILURES_SHOWN", "failure_lines"]

FAILURES_SHOWN = 20
CAUSES_SHOWN = 10
_UNTESTED_SHOWN = 10
_REQUIREMENTS_SHOWN = 3
_WIDTH = 240


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _causes(summary: Mapping[str, Any], report: Path) -> list[str]:
    grouped = summary.get("causes") or {}
    causes = grouped.get("causes") or []
    if not causes:
        return []
    lines = [f"carecheck: {_count(grouped.get('failed_scenarios', 0), 'failed scenario')}, {_count(len(causes), 'cause')}:"]
    for cause in causes[:CAUSES_SHOWN]:
        where = f" at {cause['path']}" if cause.get("path") else ""
        check = f" {cause['check']}" if cause.get("check") else ""
        requirements = cause["requirements"][:_REQUIREMENTS_SHOWN]
        more = f" +{len(cause['requirements']) - _REQUIREMENTS_SHOWN}" if len(cause["requirements"]) > _REQUIREMENTS_SHOWN else ""
        text = f"  {cause['scenarios']}× [{', '.join(requirements) or '—'}{more}]{check}{where}: {cause['message']}"
        lines.append(f"{text[:_WIDTH]} (e.g. {cause['example']['scenario']})")
    if len(causes) > CAUSES_SHOWN:
        lines.append(f"  … and {len(causes) - CAUSES_SHOWN} more causes: see {report}")
    return lines


def failure_lines(summary: Mapping[str, Any], report_dir: Path, *, shown: int = FAILURES_SHOWN) -> list[str]:
    """The lines, in the order printed."""
    report = report_dir / "report.html"
    lines = [f"carecheck: WARNING: {banner}" for banner in summary.get("banners") or ()]
    lines += [f"carecheck: warning: {warning['message']}" for warning in summary.get("warnings") or ()]
    lines += _causes(summary, report)
    bad = [s for s in summary.get("scenarios", []) if s["outcome"] in FAILING]
    lines += [f"  {s['outcome']}: {s['id']}: {(str(s['message']).splitlines() or [''])[0][:_WIDTH]}" for s in bad[:shown]]
    if len(bad) > shown:
        lines.append(f"  … and {len(bad) - shown} more failures: see {report}")
    return lines + _untested(summary, report_dir)


def _untested(summary: Mapping[str, Any], report_dir: Path) -> list[str]:
    """The untested SHALL requirements: those the selection left out counted, every other one with its reason."""
    untested = untested_shall(summary)
    if not untested:
        return []
    unselected = [entry for entry in untested if entry.get("category") == NOT_SELECTED]
    others = [entry for entry in untested if entry.get("category") != NOT_SELECTED]
    lines = [f"carecheck: {len(untested)} SHALL requirement(s) not tested:"]
    if unselected:
        lines.append(f"  {len(unselected)} not selected by this run (its suite or tags left them out)")
    lines += [f"  {entry['id']}: {str(entry['reason'])[:_WIDTH]}" for entry in others[:_UNTESTED_SHOWN]]
    if len(others) > _UNTESTED_SHOWN:
        lines.append(f"  … and {len(others) - _UNTESTED_SHOWN} more: see {report_dir / 'checklist.md'}")
    return lines
