"""Reports: views of a run's evidence pack, one writer per format, all written by `write_reports`.

`summary.json`, `testreport.json` (FHIR STU3 TestReport), `checklist.md` (the assurance checklist),
`report.html` (one self-contained page with the conformance matrix) and the Allure `categories.json`; the
console lines of a run; `compare` sets two runs side by side.
"""

from carecheck.report.categories import CATEGORIES_FILE, allure_categories, write_categories
from carecheck.report.causes import Cause, failure_causes, normalise
from carecheck.report.checklist import CHECKLIST_FILE, ChecklistItem, ChecklistSection, assurance_checklist, write_checklist
from carecheck.report.cleanup import cleanup_banner, cleanup_line, write_cleanup
from carecheck.report.console import failure_lines
from carecheck.report.coverage import coverage, shall_tested, untested_shall
from carecheck.report.curl import curl_command
from carecheck.report.fhir_version import fhir_version_banner
from carecheck.report.folder import write_reports
from carecheck.report.headline import Headline, headline
from carecheck.report.html import REPORT_FILE, render_html
from carecheck.report.index import INDEX_HTML, INDEX_JSON, write_index
from carecheck.report.matrix import Cell, MatrixRow, conformance_matrix
from carecheck.report.summary import FAILING, OUTCOMES, SUMMARY_FILE, build_summary, failing, summarise, write_summary
from carecheck.report.testreport import TESTREPORT_FILE, fhir_testreport, write_testreport
from carecheck.report.waiver_warnings import WaiverWarning, waiver_warnings

__all__ = [
    "CATEGORIES_FILE",
    "CHECKLIST_FILE",
    "FAILING",
    "INDEX_HTML",
    "INDEX_JSON",
    "OUTCOMES",
    "REPORT_FILE",
    "SUMMARY_FILE",
    "TESTREPORT_FILE",
    "Cause",
    "Cell",
    "ChecklistItem",
    "ChecklistSection",
    "Headline",
    "MatrixRow",
    "WaiverWarning",
    "allure_categories",
    "assurance_checklist",
    "build_summary",
    "cleanup_banner",
    "cleanup_line",
    "conformance_matrix",
    "coverage",
    "curl_command",
    "failing",
    "failure_causes",
    "failure_lines",
    "fhir_testreport",
    "fhir_version_banner",
    "headline",
    "normalise",
    "render_html",
    "shall_tested",
    "summarise",
    "untested_shall",
    "waiver_warnings",
    "write_categories",
    "write_checklist",
    "write_cleanup",
    "write_index",
    "write_reports",
    "write_summary",
    "write_testreport",
]
