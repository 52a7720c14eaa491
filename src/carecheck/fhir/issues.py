"""Validation issues: what is wrong (or doubtful) in a resource, where, how badly, and which kind of rule says so."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["Issue", "RuleKind", "Severity", "errors", "prefixed", "shown"]

_SHOWN = 80


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"


class RuleKind(StrEnum):
    """The kind of rule an issue comes from; waivers and reports group by it."""

    STRUCTURE = "structure"
    CARDINALITY = "cardinality"
    FIXED = "fixed"
    LENGTH = "length"
    TYPE = "type"
    BINDING = "binding"
    SLICE = "slice"
    EXTENSION = "extension"
    INVARIANT = "invariant"
    PROFILE_CLAIM = "profile-claim"
    NHS_NUMBER = "nhs-number"


@dataclass(frozen=True)
class Issue:
    """One problem found in a resource.

    ``location`` is FHIRPath-like (``Patient.name[0].given[1]``, ``Bundle.entry[2].resource.code``);
    ``resource_type`` is the type of the resource the issue is about (the entry's type inside a Bundle);
    ``waiver`` is set, to the waiver's one-line description, when an accepted deviation covers the issue.
    """

    severity: Severity
    kind: RuleKind
    location: str
    message: str
    resource_type: str = ""
    profile: str | None = None
    waiver: str | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def describe(self) -> str:
        """One line: ``error [binding] Patient.gender: ...``."""
        waived = f" (waived: {self.waiver})" if self.waiver else ""
        return f"{self.severity.value} [{self.kind.value}] {self.location}: {self.message}{waived}"

    def to_data(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "kind": self.kind.value,
            "location": self.location,
            "message": self.message,
            "resource_type": self.resource_type,
            "profile": self.profile,
            "waiver": self.waiver,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Issue:
        return cls(
            severity=Severity(data["severity"]),
            kind=RuleKind(data["kind"]),
            location=data["location"],
            message=data["message"],
            resource_type=data.get("resource_type", ""),
            profile=data.get("profile"),
            waiver=data.get("waiver"),
        )


def errors(issues: list[Issue]) -> list[Issue]:
    """The issues that make a resource invalid: errors not covered by a waiver."""
    return [issue for issue in issues if issue.severity is Severity.ERROR and not issue.waived]


def prefixed(issues: list[Issue], root: str, prefix: str) -> list[Issue]:
    """The issues with their location's leading ``root`` (a resource type) replaced by ``prefix``."""
    return [replace(issue, location=prefix + issue.location[len(root) :]) for issue in issues]


def shown(value: Any) -> str:
    """A FHIR value as it is written in JSON (``"male"``, ``{"system": "…"}``, ``true``), cut to a readable length;
    ``absent`` for None (what ``dict.get`` gives for an element left out)."""
    if value is None:
        return "absent"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
