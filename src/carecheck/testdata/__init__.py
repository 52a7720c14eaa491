"""Test data: what the target is known to hold, configured in the profile or discovered at the start of a run."""

from carecheck.testdata.discover import DIRECTORY, PATIENT_SCOPED, discover
from carecheck.testdata.known import Known
from carecheck.testdata.pinned import missing_pinned

__all__ = ["DIRECTORY", "PATIENT_SCOPED", "Known", "discover", "missing_pinned"]
