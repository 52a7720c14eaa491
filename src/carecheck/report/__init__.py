"""Reports: views of a run's evidence pack, one writer per format, all written by `write_reports`.

`summary.json`, `testreport.json` (FHIR STU3 TestReport), `checklist.md` (the assurance checklist) and
`report.html` (one self-contained page with the conformance matrix); `compare` sets two runs side by side.
"""

from carecheck.report.checklist import CHECKLIST_FILE, ChecklistItem, ChecklistSection, assurance_checklist, write_checklist
from carecheck.report.cleanup import cleanup_banner, cleanup_line, write_cleanup
from carecheck.report.curl import curl_command
from carecheck.report.folder import write_reports
from carecheck.report.html import REPORT_FILE, render_html
from carecheck.report.index import INDEX_HTML, INDEX_JSON, write_index
from carecheck.report.matrix import Cell, MatrixRow, conformance_matrix
from carecheck.report.summary import FAILING, OUTCOMES, SUMMARY_FILE, build_summary, failing, summarise, write_summary
from carecheck.report.testreport import TESTREPORT_FILE, fhir_testreport, write_testreport

__all__ = [
    "CHECKLIST_FILE",
    "FAILING",
    "INDEX_HTML",
    "INDEX_JSON",
    "OUTCOMES",
    "REPORT_FILE",
    "SUMMARY_FILE",
    "TESTREPORT_FILE",
    "Cell",
    "ChecklistItem",
    "ChecklistSection",
    "MatrixRow",
    "assurance_checklist",
    "build_summary",
    "cleanup_banner",
    "cleanup_line",
    "conformance_matrix",
    "curl_command",
    "failing",
    "fhir_testreport",
    "render_html",
    "summarise",
    "write_checklist",
    "write_cleanup",
    "write_index",
    "write_reports",
    "write_summary",
    "write_testreport",
]
