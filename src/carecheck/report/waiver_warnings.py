"""Warnings about the waivers a run applied, from the pack's own copy of the waiver file: a waiver that names no
check of this harness (it can never apply), one that had expired on the day of the run (it no longer applies),
and one that matched no finding of the run (perhaps fixed, perhaps mistyped). The console and `report.html`
list them; none changes a verdict.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carecheck.checks import CHECKS
from carecheck.errors import ConfigError
from carecheck.evidence import Pack
from carecheck.fhir import load_waivers

__all__ = ["WaiverWarning", "waiver_warnings"]


@dataclass(frozen=True)
class WaiverWarning:
    kind: str
    """`unknown-check`, `expired`, `unused` or `unreadable`."""
    message: str

    def to_data(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def _run_date(pack: Pack) -> datetime.date:
    started = str(pack.run.get("started") or "")
    try:
        return datetime.date.fromisoformat(started[:10])
    except ValueError:
        return datetime.date.today()


def waiver_warnings(pack: Pack) -> list[WaiverWarning]:
    """One warning per waiver that names an unknown check, had expired, or matched no finding of the run."""
    if pack.waivers_file is None:
        return []
    try:
        waivers = load_waivers(pack.waivers_file)
    except ConfigError as error:
        return [WaiverWarning("unreadable", f"the pack's waiver file cannot be read: {error}")]
    applied = {str(f.get("waiver")) for s in pack.scenarios for _, f in s.findings() if f.get("waiver")}
    today = _run_date(pack)
    warnings = []
    for number, waiver in enumerate(waivers, 1):
        label = f"waiver {number} ({waiver.reason}; {waiver.owner})"
        if waiver.check is not None and waiver.check not in CHECKS.names():
            warnings.append(
                WaiverWarning(
                    "unknown-check", f"{label} names check {waiver.check!r}, which is no check of carecheck (see `carecheck list checks`): it can never apply"
                )
            )
        elif waiver.expires < today:
            warnings.append(WaiverWarning("expired", f"{label} expired on {waiver.expires.isoformat()}: it no longer applies, and what it covered fails again"))
        elif waiver.describe() not in applied:
            warnings.append(WaiverWarning("unused", f"{label} matched no finding in this run: the deviation may be fixed, or the waiver mistyped"))
    return warnings
