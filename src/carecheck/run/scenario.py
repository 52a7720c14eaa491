"""One Gherkin scenario while it runs: identity, verdict, evidence, and its outcome when it ends."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import allure
import pytest
from pytest_bdd.parser import Feature, Scenario

from carecheck.checks import CheckFailed, Verdict
from carecheck.evidence import ScenarioEvidence
from carecheck.http import Exchange
from carecheck.http.untrusted import printable
from carecheck.project import FEATURES, OWN_PREFIX
from carecheck.run.context import now
from carecheck.run.own_features import own_folder

__all__ = ["REQUIREMENT_TAG", "SCENARIO", "ScenarioRun", "outcome_of", "scenario_id"]

REQUIREMENT_TAG = "req:"
"""Gherkin tags `@req:ID` name the requirements a scenario tests; they are data, not pytest markers."""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "scenario"


SCENARIO = pytest.StashKey["ScenarioRun"]()
"""Where a Gherkin scenario's item keeps its `ScenarioRun`."""


@dataclass
class ScenarioRun:
    """One scenario while it runs: its identity, its verdict, and where its evidence goes."""

    id: str
    feature: str
    name: str
    tags: tuple[str, ...]
    requirements: tuple[str, ...]
    verdict: Verdict
    evidence: ScenarioEvidence | None
    started: str = field(default_factory=now)
    settled: tuple[str, str] | None = None
    """How the scenario ended when not by pytest's pass or fail: (`not-applicable` or `inconclusive`, why). The plugin
    sets it as it ends the scenario skipped, so the outcome is carried as data, never read back from the skip's text."""

    def record(self, exchange: Exchange) -> None:
        """Write the exchange to evidence and attach it to Allure: a larger body once per process, referred to after."""
        if self.evidence is None:
            allure.attach(exchange.to_json(), name=exchange.describe(), attachment_type=allure.attachment_type.JSON)
            return
        data = self.evidence.record(exchange)
        allure.attach(json.dumps(data, ensure_ascii=True), name=exchange.describe(), attachment_type=allure.attachment_type.JSON)
        for part, body in (("request", exchange.request.body), ("response", exchange.response.body if exchange.response else b"")):
            reference = (data.get(part) or {}).get("body") or {}
            if "sha256" in reference and self.evidence.bodies.first_sight(reference):
                suffix = str(reference["file"]).rsplit(".", 1)[-1]
                allure.attach(body, name=f"{part} body sha256:{reference['sha256']} ({len(body)} bytes)", extension=suffix)

    def identity(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "feature": self.feature,
            "name": self.name,
            "tags": list(self.tags),
            "requirements": list(self.requirements),
            "started": self.started,
        }

    def result(self, outcome: str, message: str) -> dict[str, Any]:
        findings = self.verdict.findings
        requirements = dict.fromkeys((*self.requirements, *(r for f in findings for r in f.requirements)))
        return {
            **self.identity(),
            "outcome": outcome,
            "message": message,
            "requirements": list(requirements),
            "ended": now(),
            "judgements": [judgement.to_data() for judgement in self.verdict.judgements],
        }


def scenario_id(item: pytest.Item, feature: Feature, scenario: Scenario) -> str:
    """`patient/patient_search/find-a-patient-by-nhs-number`, plus the example's id for outlines; a supplier's
    own scenario's starts `own/` (`own/their/folders/feature/scenario`)."""
    path = Path(feature.filename).resolve()
    own = own_folder(item.config)
    if path.is_relative_to(FEATURES.resolve()):
        relative = path.relative_to(FEATURES.resolve())
    elif own is not None and path.is_relative_to(own):
        relative = OWN_PREFIX / path.relative_to(own)
    else:
        relative = Path(path.name)
    callspec = getattr(item, "callspec", None)
    example = f"--{_slug(callspec.id)}" if callspec is not None else ""
    return "/".join((*relative.with_suffix("").parts, _slug(scenario.name) + example))


def outcome_of(report: pytest.TestReport, call: pytest.CallInfo[None], run: ScenarioRun) -> tuple[str, str]:
    """The scenario's outcome and message, from how it settled, pytest's report and the findings."""
    error = call.excinfo.value if call.excinfo else None
    if report.skipped:
        if run.settled is not None:
            return run.settled
        return "skipped", (error.msg or "") if isinstance(error, pytest.skip.Exception) else str(report.longrepr)
    if report.passed:
        return run.verdict.settled()
    if isinstance(error, CheckFailed):
        return "failed", printable(str(error))
    where = "setting up the scenario" if call.when == "setup" else "running the scenario"
    return "error", printable(f"harness error while {where}: {type(error).__name__}: {error}")
