"""Which scenarios and findings bear on which requirement and interaction: the links every view shares.

Generic over checks and scenarios: it reads only recorded requirement ids (a scenario's `@req:` tags and
each finding's requirements) and the interactions the recorded judgements name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from carecheck.evidence import Pack, ScenarioRecord

__all__ = [
    "FAILING",
    "OUTCOME_ORDER",
    "RequirementEvidence",
    "evidence_file",
    "exercised",
    "fold",
    "interactions",
    "requirement_evidence",
]

FAILING = frozenset({"failed", "error"})
"""The scenario outcomes that fail a run."""
OUTCOME_ORDER = ("failed", "error", "waived", "inconclusive", "passed", "not-applicable", "skipped")
"""Scenario outcomes from the most to the least telling: a group of scenarios shows its first."""
_CAPABILITIES = "capabilities"


def fold(outcomes: Iterable[str]) -> str:
    """The status of a group of scenarios: the most telling outcome among them (`not-tested` for none)."""
    present = set(outcomes)
    return next((outcome for outcome in OUTCOME_ORDER if outcome in present), "not-tested")


def interactions(scenario: ScenarioRecord) -> set[tuple[str, str | None]]:
    """The (kind, resource type) of every interaction the scenario's judgements judged."""
    found = set()
    for judgement in scenario.judgements:
        interaction = judgement.get("interaction") or {}
        found.add((str(interaction.get("kind")), interaction.get("resource_type")))
    return found


def exercised(scenario: ScenarioRecord) -> frozenset[str]:
    """The requirements the scenario put to the server: its tags, and those of findings about what it asked
    (a finding about the CapabilityStatement's declarations says what is declared, not what was exercised)."""
    found = set(scenario.tagged)
    for judgement, finding in scenario.findings():
        if (judgement.get("interaction") or {}).get("kind") != _CAPABILITIES:
            found.update(finding.get("requirements") or ())
    return frozenset(found)


def evidence_file(scenario: ScenarioRecord, exchange_id: str | None) -> str | None:
    """The evidence file of one of the scenario's exchanges, relative to the report folder."""
    if exchange_id is None:
        return None
    name = next((name for name in scenario.exchange_files if name.startswith(f"{exchange_id}-")), None)
    return f"{scenario.evidence}/{name}" if name else None


@dataclass
class RequirementEvidence:
    """What a run recorded about one requirement: the scenarios naming it and the findings about it."""

    scenarios: list[ScenarioRecord] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[ScenarioRecord, Mapping[str, Any]]] = field(default_factory=list)
    waived: list[tuple[ScenarioRecord, Mapping[str, Any]]] = field(default_factory=list)
    passing: list[ScenarioRecord] = field(default_factory=list)
    """The scenarios with a passing finding about it (each once)."""

    def outcomes(self) -> Counter[str]:
        return Counter(scenario.outcome for scenario in self.scenarios)


def requirement_evidence(pack: Pack) -> dict[str, RequirementEvidence]:
    """Every requirement id the pack names, with the scenarios and findings that bear on it."""
    found: dict[str, RequirementEvidence] = {}
    for scenario in pack.scenarios:
        for requirement in dict.fromkeys((*scenario.tagged, *scenario.requirements)):
            found.setdefault(requirement, RequirementEvidence()).scenarios.append(scenario)
        for _, finding in scenario.findings():
            outcome = str(finding.get("outcome"))
            if outcome == "pass" and scenario.outcome == "inconclusive":
                continue  # part of its answer was not judged: nothing it passed makes a requirement met
            for requirement in finding.get("requirements") or ():
                entry = found.setdefault(requirement, RequirementEvidence())
                entry.findings[outcome] += 1
                if outcome == "fail":
                    entry.failures.append((scenario, finding))
                elif outcome == "waived":
                    entry.waived.append((scenario, finding))
                elif outcome == "pass" and (not entry.passing or entry.passing[-1] is not scenario):
                    entry.passing.append(scenario)
    return found
