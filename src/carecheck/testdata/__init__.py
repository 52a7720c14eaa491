"""Test data: what the target is known to hold, configured in the profile or discovered at the start of a run, and
`KnownData`, the view of it the steps use (placeholders, known records, search examples, and the gates that make a
scenario not applicable)."""

from carecheck.testdata.discover import DIRECTORY, PATIENT_SCOPED, discover
from carecheck.testdata.known import Known
from carecheck.testdata.known_data import KnownData
from carecheck.testdata.pinned import RecordReads, missing_pinned

__all__ = ["DIRECTORY", "PATIENT_SCOPED", "Known", "KnownData", "RecordReads", "discover", "missing_pinned"]
