"""Tests for carecheck.refserver.outcome: OperationOutcome resources and FhirError."""

from __future__ import annotations

import uuid

from carecheck.refserver.outcome import FhirError, operation_outcome
from tests.refserver.conftest import assert_stu3


def test_operation_outcome_has_one_issue_and_a_uuid_id() -> None:
    outcome = operation_outcome("warning", "not-supported", "unknown parameter 'foo' ignored")
    assert outcome["issue"] == [{"severity": "warning", "code": "not-supported", "diagnostics": "unknown parameter 'foo' ignored"}]
    uuid.UUID(outcome["id"])
    assert_stu3(outcome)


def test_fhir_error_carries_status_and_its_outcome() -> None:
    error = FhirError(404, "not-found", "Patient/x is not known")
    assert (error.status, error.code, str(error)) == (404, "not-found", "Patient/x is not known")
    assert error.outcome()["issue"] == [{"severity": "error", "code": "not-found", "diagnostics": "Patient/x is not known"}]
