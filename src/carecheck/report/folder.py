"""Writing every view of a run's evidence pack into its report folder, then sealing the folder with its manifest.

Called at the end of every run (by the pytest plugin when the session ends, and by `carecheck run` once
pytest has exited, which also covers a pytest that was killed), and by `rejudge`. Each view is written by
its own module from the one pack read here; none re-judges anything. When the manifest shows the evidence
unchanged since the views were last written (the second call of a run), only the seal is renewed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.evidence import (
    CAPABILITY_FILE,
    EVIDENCE_DIR,
    MANIFEST_FILE,
    RUN_FILE,
    WAIVERS_FILE,
    Digests,
    capture_capability_statement,
    file_digests,
    read_json,
    read_pack,
    verify,
    write_json,
    write_manifest,
)
from carecheck.report.categories import write_categories
from carecheck.report.causes import failure_causes
from carecheck.report.checklist import CHECKLIST_FILE, assurance_checklist, write_checklist
from carecheck.report.html import REPORT_FILE, write_html
from carecheck.report.matrix import conformance_matrix
from carecheck.report.summary import SUMMARY_FILE, summarise
from carecheck.report.testreport import TESTREPORT_FILE, write_testreport

__all__ = ["write_reports"]


VIEWS = (SUMMARY_FILE, TESTREPORT_FILE, CHECKLIST_FILE, REPORT_FILE)
_SOURCES = (RUN_FILE, CAPABILITY_FILE, WAIVERS_FILE)


def _sources_unchanged(report_dir: Path, digests: Digests) -> bool:
    """Whether the views were written from the evidence as it is now (per the manifest written with them)."""
    if not all((report_dir / view).is_file() for view in VIEWS):
        return False
    verification = verify(report_dir, digests)
    sources = [p for p in verification.paths if p in _SOURCES or p in VIEWS or p == MANIFEST_FILE or p.startswith(f"{EVIDENCE_DIR}/")]
    return verification.present and not sources


def write_reports(report_dir: Path) -> dict[str, Any]:
    """Write the CapabilityStatement copy, `summary.json`, `testreport.json`, `checklist.md`, the Allure
    `categories.json`, `report.html` and, last, `manifest.json`; returns the summary. Works on an interrupted
    run's pack as well."""
    report_dir.mkdir(parents=True, exist_ok=True)
    if (report_dir / MANIFEST_FILE).is_file():
        digests = file_digests(report_dir)
        if _sources_unchanged(report_dir, digests):
            summary: dict[str, Any] = read_json(report_dir / SUMMARY_FILE)
            _seal(report_dir, complete=bool(summary.get("complete")), digests=digests)
            return summary
    capture_capability_statement(report_dir)
    pack = read_pack(report_dir)
    checklist = assurance_checklist(pack)
    causes = failure_causes(pack)
    summary = summarise(pack, checklist, causes)
    write_json(report_dir / SUMMARY_FILE, summary)
    write_testreport(pack)
    write_checklist(pack, checklist, summary)
    write_categories(report_dir, causes)
    write_html(pack, summary, conformance_matrix(pack), checklist)
    _seal(report_dir, complete=pack.complete)
    return summary


def _seal(report_dir: Path, *, complete: bool, digests: Digests | None = None) -> None:
    created = datetime.now(UTC).isoformat(timespec="milliseconds")
    write_manifest(report_dir, complete=complete, harness_version=__version__, created=created, digests=digests)
