"""Reports: views of a run's evidence pack."""

from carecheck.report.summary import OUTCOMES, SUMMARY_FILE, build_summary, failing, write_summary

__all__ = ["OUTCOMES", "SUMMARY_FILE", "build_summary", "failing", "write_summary"]
