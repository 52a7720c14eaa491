"""What carecheck's write probes left on the target: every record a server kept from one of carecheck's writes,
and whether carecheck deleted it again or it was left behind.

A view of the scenarios' findings about their clean-up (`carecheck.checks.writes`: the messages that open with
`clean-up:`), for `summary.json`, `run.json`, the banner of `report.html` and the console line. A run against a
server that refuses every write has none, and no banner.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carecheck.checks.writes import CLEANUP_NOTE
from carecheck.evidence import Pack
from carecheck.report.exchanges_html import escape

__all__ = ["cleanup_banner", "cleanup_line", "write_cleanup"]


def write_cleanup(pack: Pack) -> dict[str, list[dict[str, str]]]:
    """`cleaned`: each record a write of carecheck's left that carecheck deleted again; `left_behind`: each it could not."""
    record: dict[str, list[dict[str, str]]] = {"cleaned": [], "left_behind": []}
    for scenario in pack.scenarios:
        for _, finding in scenario.findings():
            message = str(finding.get("message") or "")
            if message.startswith(CLEANUP_NOTE):
                kind = "cleaned" if finding.get("outcome") == "pass" else "left_behind"
                record[kind].append({"scenario": scenario.id, "message": message})
    return record


def cleanup_line(record: Mapping[str, Any] | None) -> str | None:
    """One line for the console, or None when no write of carecheck's was performed."""
    cleaned, left = list((record or {}).get("cleaned") or ()), list((record or {}).get("left_behind") or ())
    if left:
        return f"CLEAN-UP FAILED: {len(left)} record(s) that carecheck's writes put on the server may still be there: " + "; ".join(
            entry["message"].removeprefix(CLEANUP_NOTE).strip() for entry in left[:3]
        )
    if cleaned:
        return f"the server performed carecheck's writes; carecheck deleted all {len(cleaned)} record(s) they wrote"
    return None


def cleanup_banner(record: Mapping[str, Any] | None) -> str:
    """The report's banner about carecheck's writes (empty when none was performed)."""
    line = cleanup_line(record)
    if line is None:
        return ""
    entries = [*(record or {}).get("left_behind", ()), *(record or {}).get("cleaned", ())]
    colour = "#c62828" if (record or {}).get("left_behind") else "#ef6c00"
    items = "".join(f"<li><a href='#s-{escape(e['scenario'])}'>{escape(e['scenario'])}</a>: {escape(e['message'])}</li>" for e in entries)
    return (
        f"<section id=writes><p class=verdict style='background:{colour}'>{escape(line)}</p>"
        "<p>The server performed writes the read-only API must refuse. carecheck aims every write at an id of its own that "
        "does not exist, or creates a record marked as its own (urn:carecheck:write-probe), and deletes whatever the server "
        f"kept:</p><ul>{items}</ul></section>"
    )
