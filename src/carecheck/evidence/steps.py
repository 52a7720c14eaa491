"""The Gherkin steps of one scenario as they run: how each ended, and which judgements and exchanges it made.

Kept in `result.json` as `steps`, so the TestReport has an action per step, each pointing at the evidence
the step left, and `rejudge` knows where the live run stopped. Ranges are `[first, last)` indexes into the
scenario's `judgements` and its exchange files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["STEP_OUTCOMES", "StepLog"]

STEP_OUTCOMES = ("passed", "failed", "error", "skipped", "not-applicable", "not-run")
_UNFINISHED = frozenset({"skipped", "not-applicable"})


@dataclass
class _Step:
    keyword: str
    type: str
    text: str
    line: int
    outcome: str = "not-run"
    judgements: tuple[int, int] = (0, 0)
    exchanges: tuple[int, int] = (0, 0)


class StepLog:
    """Records each step's start and end, given the scenario's judgement and exchange counts at that moment."""

    def __init__(self, steps: Iterable[tuple[str, str, str, int]]) -> None:
        """`steps` are (keyword as written, `given`/`when`/`then`, text, line), in the order they will run."""
        self._steps = [_Step(keyword, kind, text, line) for keyword, kind, text, line in steps]
        self._current = -1

    def started(self, judgements: int, exchanges: int) -> None:
        """The next step begins (steps run in order, so no identity is needed)."""
        self._current += 1
        if self._current < len(self._steps):
            step = self._steps[self._current]
            step.outcome = "running"
            step.judgements = (judgements, judgements)
            step.exchanges = (exchanges, exchanges)

    def ended(self, outcome: str, judgements: int, exchanges: int) -> None:
        """The current step ended: `passed`, `failed` (a check failed) or `error`."""
        if 0 <= self._current < len(self._steps):
            step = self._steps[self._current]
            step.outcome = outcome
            step.judgements = (step.judgements[0], judgements)
            step.exchanges = (step.exchanges[0], exchanges)

    @property
    def completed(self) -> bool:
        """Whether every step ran and passed (nothing failed, broke or was skipped)."""
        return all(step.outcome == "passed" for step in self._steps)

    def to_data(self, scenario_outcome: str, judgements: int, exchanges: int) -> list[dict[str, Any]]:
        """The steps as recorded; a step still running when the scenario ended was skipped, or broke the run."""
        if 0 <= self._current < len(self._steps) and self._steps[self._current].outcome == "running":
            self.ended(scenario_outcome if scenario_outcome in _UNFINISHED else "error", judgements, exchanges)
        return [
            {
                "keyword": step.keyword,
                "type": step.type,
                "text": step.text,
                "line": step.line,
                "outcome": step.outcome,
                "judgements": list(step.judgements),
                "exchanges": list(step.exchanges),
            }
            for step in self._steps
        ]
