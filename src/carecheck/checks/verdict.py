"""A scenario's verdict: the judgements its steps asked for, and the findings they produced."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from carecheck.checks.finding import Finding, Outcome
from carecheck.checks.registry import CHECKS, Registry
from carecheck.fhir import Waiver
from carecheck.http import Exchange, Interaction

__all__ = ["INCONCLUSIVE", "NOT_APPLICABLE", "CheckFailed", "Judgement", "NotApplicable", "Verdict", "not_applicable"]

NOT_APPLICABLE = "not-applicable"
"""The scenario outcome when the scenario does not apply to this target (see `NotApplicable`)."""
INCONCLUSIVE = "inconclusive"
"""The scenario outcome when every step ran but a check could not judge part of what came back: never passed,
not a failure (the exit code ignores it); its requirements count as untested."""
_NOTES_SHOWN = 5


class CheckFailed(AssertionError):
    """A check found the server wrong; the message names requirement, request, problem and evidence."""


class NotApplicable(Exception):
    """The scenario does not apply to this target, and `reason` says why (test data it lacks, a parameter it does not
    declare, a form it refused, a client the profile does not name). Raised by the steps and what they call; the pytest
    plugin records the scenario `not-applicable` with this reason and shows it skipped to pytest, junit and Allure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def not_applicable(reason: str | None) -> None:
    """End the scenario as not applicable for `reason` (a gate decided after a request); nothing when None."""
    if reason:
        raise NotApplicable(reason)


@dataclass(frozen=True)
class Judgement:
    """One call of a check: enough to replay it on the recorded exchanges (interaction arguments by exchange ids)."""

    check: str
    interaction: dict[str, Any]
    arguments: dict[str, Any]
    findings: tuple[Finding, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "interaction": self.interaction,
            "arguments": self.arguments,
            "findings": [finding.to_data() for finding in self.findings],
        }


class Verdict:
    """Gathers the findings of one scenario. A failed finding fails the step that asked for it, at once.

    `requirements` are the scenario's own requirement ids (its `@req:` tags); every finding carries them, except
    those of a check that judges only its own requirements (`Check.judges_scenario`, profile conformance).
    `locate` turns an exchange into the path of its evidence file, for failure messages. A failure that
    one of `waivers` covers (on `today`) is recorded as waived and fails nothing.
    """

    def __init__(
        self,
        *,
        requirements: tuple[str, ...] = (),
        locate: Callable[[Exchange], str] | None = None,
        registry: Registry = CHECKS,
        waivers: Sequence[Waiver] = (),
        today: datetime.date | None = None,
    ) -> None:
        self.requirements = requirements
        self.judgements: list[Judgement] = []
        self._locate = locate
        self._registry = registry
        self._waivers = tuple(waivers)
        self._today = today or datetime.date.today()

    @property
    def findings(self) -> list[Finding]:
        return [finding for judgement in self.judgements for finding in judgement.findings]

    def judge(self, name: str, interaction: Interaction, **arguments: Any) -> list[Finding]:
        entry = self._registry.get(name)
        scenario = self.requirements if entry.judges_scenario else ()
        findings = [self._waive(finding.attributed(finding.check, scenario)) for finding in entry.run(interaction, **arguments)]
        recorded = {key: value.to_data() if isinstance(value, Interaction) else value for key, value in arguments.items()}
        self.judgements.append(Judgement(name, interaction.to_data(), recorded, tuple(findings)))
        failures = [finding for finding in findings if finding.outcome is Outcome.FAIL]
        if failures:
            raise CheckFailed("\n".join(self.explain(finding, interaction) for finding in failures))
        return findings

    def settled(self) -> tuple[str, str]:
        """The scenario's outcome and message when every step ran: `inconclusive` if a check could not judge
        what it was given, else `waived` if a waiver accepted a failure, else `passed`; the message names what
        was not judged and why, then the waived findings and warnings (the first few)."""
        unjudged = [f"not judged: {f.message}" for f in self.findings if f.outcome is Outcome.UNJUDGED]
        waived = [f"waived: {f.message} ({f.waiver})" for f in self.findings if f.outcome is Outcome.WAIVED]
        warnings = [f"warning: {f.message}" for f in self.findings if f.outcome is Outcome.WARN]
        notes = [*unjudged, *waived, *warnings]
        more = f"; and {len(notes) - _NOTES_SHOWN} more (see result.json)" if len(notes) > _NOTES_SHOWN else ""
        outcome = INCONCLUSIVE if unjudged else "waived" if waived else "passed"
        return outcome, "; ".join(notes[:_NOTES_SHOWN]) + more

    def _waive(self, finding: Finding) -> Finding:
        if finding.outcome is not Outcome.FAIL:
            return finding
        waiver = next((w for w in self._waivers if w.covers(finding, self._today)), None)
        return finding.waived(waiver.describe()) if waiver else finding

    def explain(self, finding: Finding, interaction: Interaction) -> str:
        """`[requirements] request: problem (evidence: path)` — what an assurance tester reads first."""
        exchange = next((e for e in interaction.exchanges if e.id == finding.exchange), interaction.first)
        where = f" at {finding.pointer}" if finding.pointer else ""
        evidence = f" (evidence: {self._locate(exchange)})" if self._locate else ""
        return f"[{', '.join(finding.requirements)}] {exchange.request.line}: {finding.message}{where}{evidence}"
