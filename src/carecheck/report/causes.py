"""Failures grouped by cause: one cause per (check, the requirements it judges, element path, normalised
message), with how many failed scenarios show it and an example — "146 failed scenarios, 9 causes".

Messages are normalised by replacing what varies from one scenario to the next (quoted values, ids, search
criteria and query strings, dates, numbers) with `…` or `#`; the same substitutions give each cause a regular
expression that matches every message it stands for (the Allure categories use it). A check judges the same
requirements wherever it runs, so the check stands for them in the key; a cause lists every requirement its
findings were attributed to (the searches' parameters differ from scenario to scenario). A scenario counts once
per cause it shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from carecheck.evidence import Pack, ScenarioRecord
from carecheck.report.traceability import FAILING, evidence_file

__all__ = ["Cause", "failure_causes", "normalise"]

_TYPES = (
    "Patient|AllergyIntolerance|Condition|Procedure|Observation|Encounter|Medication|MedicationStatement|MedicationRequest|"
    "Immunization|Practitioner|PractitionerRole|Organization|Location|Bundle|OperationOutcome|CapabilityStatement"
)
_CRITERION = r"[A-Za-z_][\w\-]*(?:[.:][\w\-]+)*="
_VARYING = re.compile(
    r"(?P<quoted>\"[^\"\n]*\"|'[^'\n]*')"
    r"|(?P<url>https?://[^\s?'\"<>]+)"
    r"|(?P<query>\?[^\s)\]]+)"
    rf"|(?P<criteria>\b{_CRITERION}[^\s&]*(?:&{_CRITERION}[^\s&]*)+)"
    rf"|(?P<criterion>\b{_CRITERION})(?P<value>[^\s&:;,]*)"
    rf"|(?P<reference>\b(?:{_TYPES})/[A-Za-z0-9\-.]{{1,64}})"
    r"|(?P<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)"
    r"|(?P<date>\b(?:eq|ne|gt|lt|ge|le|sa|eb|ap)?\d{4}-\d\d(?:-\d\d(?:T[\d:.]+(?:Z|[+-]\d\d:\d\d)?)?)?)"
    r"|(?P<number>\d+(?:\.\d+)?)"
)
_REFERENCE = re.compile(rf"\b({_TYPES})/[A-Za-z0-9\-.]{{1,64}}")
_IN_BUNDLE = re.compile(r"^Bundle\.entry\[\d+\]\.resource\.?")


def _url(text: str) -> tuple[str, str]:
    """A URL kept as it is (a value set, a profile), but for the ids of the records it names."""
    shown, pattern, position = [], [], 0
    for match in _REFERENCE.finditer(text):
        shown += [text[position : match.start()], f"{match.group(1)}/…"]
        pattern += [re.escape(text[position : match.start()]), f"{re.escape(match.group(1))}/[^\\s/?]*"]
        position = match.end()
    return "".join([*shown, text[position:]]), "".join([*pattern, re.escape(text[position:])])


def _substitute(match: re.Match[str]) -> tuple[str, str]:
    """The placeholder for one varying part, and the pattern that stands for it."""
    kind, text = match.lastgroup, match.group()
    if kind == "value":
        name = match.group("criterion")
        return f"{name}…", f"{re.escape(name)}[^\\s&]*"
    if kind == "url":
        return _url(text)
    if kind == "criteria":
        return "…", r"\S+"
    if kind == "date":
        return "#", r"[\w\-:.+]+"
    if kind == "quoted":
        return f"{text[0]}…{text[0]}", f"{re.escape(text[0])}.*?{re.escape(text[0])}"
    if kind == "query":
        return "?…", r"\?\S*"
    if kind == "reference":
        prefix = text.split("/", 1)[0]
        return f"{prefix}/…", f"{re.escape(prefix)}/\\S*?"
    return ("…", r"[0-9a-fA-F-]+") if kind == "uuid" else ("#", r"[0-9.]+")


def normalise(message: str) -> tuple[str, str]:
    """The message with its varying parts replaced, and a regular expression matching every such message."""
    template, pattern, position = [], [], 0
    for match in _VARYING.finditer(message):
        literal = message[position : match.start()]
        shown, stands_for = _substitute(match)
        template += [literal, shown]
        pattern += [re.escape(literal), stands_for]
        position = match.end()
    template.append(message[position:])
    pattern.append(re.escape(message[position:]))
    return " ".join("".join(template).split()), "".join(pattern)


def _path(finding: Mapping[str, Any]) -> str | None:
    """Where in a resource the finding is, the same for a read and for any entry of a searchset."""
    pointer = finding.get("pointer")
    if not pointer:
        return None
    resource_type = finding.get("resource_type")
    text = str(pointer)
    if _IN_BUNDLE.match(text) and resource_type:
        text = _IN_BUNDLE.sub(f"{resource_type}.", text).rstrip(".")
    return re.sub(r"\d+", "#", text)


@dataclass
class Cause:
    check: str
    path: str | None
    message: str
    pattern: str
    requirements: tuple[str, ...] = ()
    scenarios: list[ScenarioRecord] = field(default_factory=list)
    findings: int = 0
    example: str = ""
    evidence: str | None = None

    def describe(self) -> str:
        """`63 scenario(s): [CC-PROFILE-VALID] profile_valid at Encounter.encounter: <message>`"""
        where = f" at {self.path}" if self.path else ""
        check = f" {self.check}" if self.check else ""
        return f"{len(self.scenarios)} scenario(s): [{', '.join(self.requirements) or '—'}]{check}{where}: {self.message}"

    def to_data(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "requirements": list(self.requirements),
            "path": self.path,
            "message": self.message,
            "pattern": self.pattern,
            "scenarios": len(self.scenarios),
            "findings": self.findings,
            "example": {"scenario": self.scenarios[0].id, "message": self.example, "evidence": self.evidence},
        }


def _failing_findings(scenario: ScenarioRecord) -> list[Mapping[str, Any]]:
    failures = [finding for _, finding in scenario.findings() if finding.get("outcome") == "fail"]
    if failures:
        return failures
    first_line = scenario.message.splitlines()[0] if scenario.message else scenario.outcome
    check = "harness error" if scenario.outcome == "error" else ""
    return [{"outcome": "fail", "check": check, "requirements": list(scenario.requirements), "message": first_line}]


def failure_causes(pack: Pack) -> list[Cause]:
    """The causes of the run's failed and errored scenarios, the most widespread first. A failure no check
    recorded (a harness error) is keyed by its scenario's requirements instead of a check."""
    causes: dict[tuple[str, tuple[str, ...], str | None, str], Cause] = {}
    for scenario in pack.scenarios:
        if scenario.outcome not in FAILING:
            continue
        for finding in _failing_findings(scenario):
            message, pattern = normalise(str(finding.get("message") or ""))
            check, path = str(finding.get("check") or ""), _path(finding)
            judged = () if check else tuple(sorted(finding.get("requirements") or ()))
            key = (check, judged, path, message)
            cause = causes.get(key)
            if cause is None:
                example = str(finding.get("message") or "")
                evidence = evidence_file(scenario, finding.get("exchange")) or scenario.evidence
                cause = causes[key] = Cause(check, path, message, pattern, example=example, evidence=evidence)
            cause.requirements = tuple(sorted({*cause.requirements, *(finding.get("requirements") or ())}))
            cause.findings += 1
            if not cause.scenarios or cause.scenarios[-1] is not scenario:
                cause.scenarios.append(scenario)
    return sorted(causes.values(), key=lambda c: (-len(c.scenarios), -c.findings, c.check, c.message))
