"""Writing every view of a run's evidence pack into its report folder, then sealing the folder with its manifest.

Called once at the end of every run, by `carecheck run` when pytest has exited however it ended (a pytest that
was killed included), and by `rejudge`. Each view is written by its own module from the one pack read here; none
re-judges anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.evidence import Pack, capture_capability_statement, read_pack, write_json, write_manifest
from carecheck.report.allure_environment import write_allure_environment
from carecheck.report.categories import write_categories
from carecheck.report.causes import failure_causes
from carecheck.report.checklist import assurance_checklist, write_checklist
from carecheck.report.html import write_html
from carecheck.report.matrix import conformance_matrix
from carecheck.report.summary import SUMMARY_FILE, summarise
from carecheck.report.testreport import write_testreport

__all__ = ["write_reports"]


def write_reports(report_dir: Path, scenarios_read: Pack | None = None) -> dict[str, Any]:
    """Write the CapabilityStatement copy, `summary.json`, `testreport.json`, `checklist.md`, the Allure
    `categories.json`, `environment.properties` and `executor.json`, `report.html` and, last, `manifest.json`; returns the summary. Works on an interrupted
    run's pack as well. `scenarios_read`: the pack as the caller read it after its last scenario ended, so that its
    scenarios are not read twice (its run facts and CapabilityStatement are read again)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    capture_capability_statement(report_dir)
    pack = read_pack(report_dir) if scenarios_read is None else scenarios_read.with_facts_reread()
    checklist = assurance_checklist(pack)
    causes = failure_causes(pack)
    summary = summarise(pack, checklist, causes)
    write_json(report_dir / SUMMARY_FILE, summary)
    write_testreport(pack)
    write_checklist(pack, checklist, summary)
    write_categories(report_dir, causes)
    write_allure_environment(pack, summary)
    write_html(pack, summary, conformance_matrix(pack), checklist)
    _seal(report_dir, complete=pack.complete)
    return summary


def _seal(report_dir: Path, *, complete: bool) -> None:
    created = datetime.now(UTC).isoformat(timespec="milliseconds")
    write_manifest(report_dir, complete=complete, harness_version=__version__, created=created)
