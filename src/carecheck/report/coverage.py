"""Requirement coverage: how many SHALL and SHOULD requirements (at the conformance level in force) the run
tested, left untested (each with its reason) or found not applicable — the counts behind "SHALL requirements
tested: X of Y", read from the assurance checklist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from carecheck.report.checklist import TESTED, ChecklistSection

__all__ = ["LEVELS", "coverage", "shall_tested", "untested_shall"]

LEVELS = ("SHALL", "SHOULD")


def coverage(sections: Sequence[ChecklistSection]) -> dict[str, Any]:
    """`summary.json`'s `coverage`: per level the tested, untested and not-applicable counts (`applicable` is
    tested + untested), every untested requirement with its reason, and the reasons counted by category."""
    items = [item for section in sections for item in section.items if item.level in LEVELS]
    levels: dict[str, dict[str, int]] = {}
    for level in LEVELS:
        of_level = [item for item in items if item.level == level]
        tested = sum(1 for item in of_level if item.status in TESTED)
        untested = sum(1 for item in of_level if item.status == "not tested")
        levels[level] = {"tested": tested, "untested": untested, "not-applicable": len(of_level) - tested - untested, "applicable": tested + untested}
    untested_items = [item for item in items if item.status == "not tested"]
    return {
        "levels": levels,
        "untested": [{"id": i.requirement.id, "level": i.level, "category": i.category, "reason": i.note} for i in untested_items],
        "untested_by_reason": dict(Counter(f"{i.level} {i.category}" for i in untested_items).most_common()),
    }


def untested_shall(summary: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The SHALL requirements the run did not test (none when the summary has no coverage)."""
    return [entry for entry in (summary.get("coverage") or {}).get("untested") or () if entry.get("level") == "SHALL"]


def shall_tested(summary: Mapping[str, Any]) -> str:
    """`SHALL requirements tested: X of Y` (Y: those that apply to the target)."""
    counts = ((summary.get("coverage") or {}).get("levels") or {}).get("SHALL") or {}
    return f"SHALL requirements tested: {counts.get('tested', 0)} of {counts.get('applicable', 0)}"
