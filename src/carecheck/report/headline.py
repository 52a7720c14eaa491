"""The run's verdict in one line, as `report.html`, `checklist.md`, `summary.json` and the console all state it.

Green PASSED means tested: a run that left a SHALL requirement untested is "PASSED, NOT FULLY TESTED" (amber),
or in sign-off mode "NOT SIGNED OFF" (red, exit 4). The line always says what the run covered and how many of
the SHALL requirements it tested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carecheck.report.coverage import shall_tested, untested_shall
from carecheck.report.scope import selection_text
from carecheck.report.traceability import FAILING

__all__ = ["Headline", "headline"]

_GREEN, _AMBER, _RED, _ORANGE = "#2e7d32", "#b26a00", "#c62828", "#ef6c00"


@dataclass(frozen=True)
class Headline:
    status: str
    """`PASSED`, `PASSED, NOT FULLY TESTED`, `NOT SIGNED OFF`, `FAILED` or `INCOMPLETE`."""
    text: str
    colour: str

    def to_data(self) -> dict[str, str]:
        return {"status": self.status, "text": self.text}


def headline(summary: Mapping[str, Any]) -> Headline:
    totals = summary["totals"]
    scope: Mapping[str, Any] = summary.get("scope") or {}
    bad = sum(totals.get(outcome, 0) for outcome in FAILING)
    untested = untested_shall(summary)
    facts = [selection_text(scope) if scope else f"{totals['scenarios']} scenarios", shall_tested(summary)]
    if untested:
        facts.append(f"untested: {', '.join(entry['id'] for entry in untested[:5])}{' …' if len(untested) > 5 else ''}")
    tail = " · ".join(facts)
    if not summary["complete"]:
        return Headline("INCOMPLETE", f"INCOMPLETE — the run was interrupted; this pack holds what finished · {tail}", _ORANGE)
    if bad:
        return Headline("FAILED", f"FAILED — {bad} of {totals['scenarios']} scenarios failed or could not run · {tail}", _RED)
    if untested and scope.get("sign_off"):
        return Headline(
            "NOT SIGNED OFF", f"NOT SIGNED OFF — no scenario failed, but {len(untested)} SHALL requirement(s) were not tested (sign-off mode) · {tail}", _RED
        )
    if untested:
        return Headline(
            "PASSED, NOT FULLY TESTED",
            f"PASSED, NOT FULLY TESTED — no scenario of {totals['scenarios']} failed, but {len(untested)} SHALL requirement(s) were not tested · {tail}",
            _AMBER,
        )
    return Headline("PASSED", f"PASSED — no scenario of {totals['scenarios']} failed · {tail}", _GREEN)
