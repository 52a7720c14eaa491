"""OperationOutcome resources, and the exception that makes the server answer with one.

Every error the reference server gives is an OperationOutcome with one issue whose
``diagnostics`` says in plain words what was wrong; warnings about a search travel inside the
searchset Bundle the same way.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

__all__ = ["FhirError", "IssueCode", "Severity", "operation_outcome"]

Severity = Literal["fatal", "error", "warning", "information"]
IssueCode = Literal["invalid", "processing", "not-supported", "not-found", "exception"]


class FhirError(Exception):
    """A request the server refuses: answered with ``status`` and an OperationOutcome of one issue."""

    def __init__(self, status: int, code: IssueCode, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code: IssueCode = code
        self.diagnostics = diagnostics

    def outcome(self) -> dict[str, Any]:
        """The OperationOutcome this error is answered with."""
        return operation_outcome("error", self.code, self.diagnostics)


def operation_outcome(severity: Severity, code: IssueCode, diagnostics: str) -> dict[str, Any]:
    """An STU3 OperationOutcome with a single issue."""
    return {
        "resourceType": "OperationOutcome",
        "id": str(uuid.uuid4()),
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }
