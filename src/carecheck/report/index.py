"""The index of several runs: one line per pack, each shown for what it is, with its target's trend.

Written by `carecheck run` with several targets (the packs it has just written, and the targets it could not
run) and by `carecheck index PACK...` (e.g. the last job of a CI matrix, merging one pack per target). Each
entry is read from its pack alone, after checking the pack against its manifest: a pack that matches is
shown by its own verdict (`summary.json`'s headline: PASSED, PASSED, NOT FULLY TESTED, NOT SIGNED OFF, FAILED,
or INCOMPLETE for an interrupted run); a pack that does not match is TAMPERED and nothing it says is used, not
even its target's name; one with no manifest (a killed run) is UNSEALED, unverified and likewise unread.

The trend: `index.json` keeps, per target, the verified runs it has listed (the newest HISTORY_LIMIT), and a
new index carries on the history of the previous one (the index already in its folder, or `--history FILE`,
e.g. last night's from a CI artifact), so each target's line shows its last runs and the change since.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carecheck.errors import EvidenceError
from carecheck.evidence import MANIFEST_FILE, read_json, verify, write_text
from carecheck.exit_codes import ExitCode
from carecheck.report.headline import headline
from carecheck.report.html import REPORT_FILE
from carecheck.report.summary import FAILING, SUMMARY_FILE

__all__ = ["HISTORY_LIMIT", "INDEX_FORMAT", "INDEX_HTML", "INDEX_JSON", "IndexEntry", "pack_entry", "problem_entry", "write_index"]

INDEX_HTML = "index.html"
INDEX_JSON = "index.json"
INDEX_FORMAT = "carecheck-index/1"
HISTORY_LIMIT = 30
_SHOWN_RUNS = 10
_TAMPERED, _UNSEALED, _NO_PACK, _NOT_RUN = "TAMPERED", "UNSEALED", "NO PACK", "NOT RUN"
_COLOURS = {
    "PASSED": "#2e7d32",
    "PASSED, NOT FULLY TESTED": "#b26a00",
    "NOT SIGNED OFF": "#c62828",
    "FAILED": "#c62828",
    "INCOMPLETE": "#ef6c00",
    _TAMPERED: "#6a1b9a",
    _UNSEALED: "#6a1b9a",
    _NO_PACK: "#616161",
    _NOT_RUN: "#616161",
}


@dataclass(frozen=True)
class IndexEntry:
    """One pack (or one target that could not be run) as the index shows it."""

    target: str
    report_dir: Path
    state: str
    """The verdict (`PASSED` … `INCOMPLETE`), or TAMPERED, UNSEALED, NO PACK, NOT RUN."""
    status: str
    """One line saying what the pack shows, or why it shows nothing."""
    exit_code: int
    verified: bool = False
    started: str | None = None
    totals: Mapping[str, int] = field(default_factory=dict)
    manifest_sha256: str | None = None

    def to_data(self, root: Path) -> dict[str, Any]:
        return {
            "target": self.target,
            "report_dir": str(self.report_dir),
            "link": os.path.relpath(self.report_dir, root),
            "state": self.state,
            "status": self.status,
            "exit_code": self.exit_code,
            "verified": self.verified,
            "started": self.started,
            "totals": dict(self.totals),
            "manifest_sha256": self.manifest_sha256,
        }

    def point(self) -> dict[str, Any]:
        """This run in its target's history."""
        failed = sum(int(self.totals.get(outcome, 0)) for outcome in FAILING)
        return {
            "started": self.started,
            "state": self.state,
            "failed": failed,
            "scenarios": self.totals.get("scenarios", 0),
            "manifest_sha256": self.manifest_sha256,
        }


def _unread(report_dir: Path, state: str, why: str) -> IndexEntry:
    return IndexEntry(f"unverified ({report_dir.name})", report_dir, state, why, ExitCode.FAILED)


def pack_entry(report_dir: Path) -> IndexEntry:
    """The entry of one pack: verified against its manifest first, read only if it matches."""
    if not report_dir.is_dir():
        return _unread(report_dir, _NO_PACK, "no such report folder (the job left no pack)")
    try:
        verification = verify(report_dir)
    except EvidenceError as error:
        return _unread(report_dir, _TAMPERED, f"{error}: nothing in this pack is shown")
    if not verification.present:
        return _unread(report_dir, _UNSEALED, f"no {MANIFEST_FILE}: the run was killed before sealing its pack; nothing in it is verified or shown")
    if verification.problems:
        more = f" (and {len(verification.problems) - 1} more)" if len(verification.problems) > 1 else ""
        return _unread(report_dir, _TAMPERED, f"does not match its manifest: {verification.problems[0]}{more}; nothing in this pack is shown")
    if not (report_dir / SUMMARY_FILE).is_file():
        return _unread(report_dir, _TAMPERED, f"its manifest lists no {SUMMARY_FILE}: not a carecheck run's pack")
    summary: dict[str, Any] = read_json(report_dir / SUMMARY_FILE)
    line = headline(summary)
    target = str((summary.get("target") or {}).get("name") or report_dir.name)
    bad = line.status in ("FAILED", "INCOMPLETE")
    code = ExitCode.FAILED if bad else ExitCode.UNTESTED if line.status == "NOT SIGNED OFF" else ExitCode.PASSED
    return IndexEntry(target, report_dir, line.status, line.text, code, True, summary.get("started"), summary.get("totals") or {}, verification.sha256)


def problem_entry(target: str, report_dir: Path, problem: str, exit_code: int) -> IndexEntry:
    """A target `carecheck run` could not run at all (unreachable, credentials refused): no pack to read."""
    return IndexEntry(target, report_dir, _NOT_RUN, problem, exit_code)


def _previous_history(previous: Path | None) -> dict[str, list[dict[str, Any]]]:
    """The per-target history of an earlier index (nothing when there is none or it cannot be read)."""
    if previous is None or not previous.is_file():
        return {}
    try:
        data = json.loads(previous.read_text(encoding="utf-8"))
        history = data.get("history") if isinstance(data, dict) else None
    except (OSError, ValueError):
        return {}
    if not isinstance(history, dict):
        return {}
    return {str(target): [p for p in points if isinstance(p, dict)] for target, points in history.items() if isinstance(points, list)}


def _history(entries: Sequence[IndexEntry], previous: Path | None) -> dict[str, list[dict[str, Any]]]:
    history = _previous_history(previous)
    for entry in entries:
        if not entry.verified:
            continue
        points = history.setdefault(entry.target, [])
        if all(point.get("manifest_sha256") != entry.manifest_sha256 for point in points):
            points.append(entry.point())
    return {target: sorted(points, key=lambda p: str(p.get("started") or ""))[-HISTORY_LIMIT:] for target, points in history.items()}


def _trend(entry: IndexEntry, points: Sequence[Mapping[str, Any]]) -> str:
    """The target's runs up to this one as coloured marks (oldest first), and the change in failures since the run
    before."""
    if not entry.verified:
        return ""
    upto = [p for p in points if str(p.get("started") or "") <= str(entry.started or "")]
    shown = upto[-_SHOWN_RUNS:]
    marks = "".join(
        f'<span class="run" style="background:{_COLOURS.get(str(p.get("state")), "#999")}" '
        f'title="{html.escape(str(p.get("started")))}: {html.escape(str(p.get("state")))}, {int(p.get("failed") or 0)} failed"></span>'
        for p in shown
    )
    earlier = [p for p in upto if p.get("manifest_sha256") != entry.manifest_sha256]
    if not earlier:
        return f"{marks} first run listed"
    before, now = int(earlier[-1].get("failed") or 0), entry.point()["failed"]
    change = "no change" if now == before else f"{now - before:+d}"
    return f"{marks} failed {before} → {now} ({change}) since {html.escape(str(earlier[-1].get('started')))}"


def _link(entry: IndexEntry, root: Path) -> str:
    if not entry.verified:
        return html.escape(os.path.relpath(entry.report_dir, root))
    target = entry.report_dir / REPORT_FILE if (entry.report_dir / REPORT_FILE).is_file() else entry.report_dir
    relative = os.path.relpath(target, root)
    return f'<a href="{html.escape(relative)}">{html.escape(os.path.relpath(entry.report_dir, root))}</a>'


def _page(root: Path, entries: Sequence[IndexEntry], history: Mapping[str, Sequence[Mapping[str, Any]]], created: str) -> str:
    rows = "\n".join(
        f'<tr class="{"ok" if e.exit_code == 0 else "bad"}"><td>{html.escape(e.target)}</td>'
        f'<td><span class="state" style="background:{_COLOURS.get(e.state, "#999")}">{html.escape(e.state)}</span></td>'
        f"<td>{html.escape(e.started or '—')}</td><td>{_trend(e, history.get(e.target, ()))}</td>"
        f"<td>{html.escape(e.status)}</td><td>{_link(e, root)}</td></tr>"
        for e in entries
    )
    unverified = sum(1 for e in entries if e.state in (_TAMPERED, _UNSEALED))
    warning = f"<p class=warning>{unverified} pack(s) could not be verified against their manifest: their results are not shown.</p>" if unverified else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>carecheck runs</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}}
tr.ok td:first-child{{border-left:4px solid #2a7}}tr.bad td:first-child{{border-left:4px solid #c33}}
.state{{color:#fff;padding:.1em .4em;border-radius:3px;white-space:nowrap}}.run{{display:inline-block;width:.8em;height:1.2em;margin-right:2px}}
.warning{{background:#f3e5f5;border-left:4px solid #6a1b9a;padding:.5em}}</style></head>
<body><h1>carecheck: {len(entries)} run(s)</h1><p>Index made {html.escape(created)}; each pack was checked against its manifest before anything in it was read.</p>
{warning}<table><thead><tr><th>target</th><th>state</th><th>started</th><th>trend (last {_SHOWN_RUNS} runs)</th><th>verdict</th><th>report</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


def write_index(root: Path, entries: Sequence[IndexEntry], previous: Path | None = None) -> Path:
    """Write `index.json` and a self-contained `index.html` under `root`, carrying on the history of `previous`
    (default: the `index.json` already in `root`); returns the HTML path."""
    root.mkdir(parents=True, exist_ok=True)
    history = _history(entries, previous if previous is not None else root / INDEX_JSON)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    data = {"format": INDEX_FORMAT, "created": created, "targets": [entry.to_data(root) for entry in entries], "history": history}
    write_text(root / INDEX_JSON, json.dumps(data, indent=2) + "\n")
    path = root / INDEX_HTML
    write_text(path, _page(root, entries, history, created))
    return path
