"""The oracle's three-valued answer (match, no match, undecidable) with a reason a tester can read."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Decision", "Outcome", "all_of", "any_of"]


class Outcome(enum.Enum):
    """Whether a resource satisfies a search criterion."""

    MATCH = "match"
    NO_MATCH = "no-match"
    UNDECIDABLE = "undecidable"


@dataclass(frozen=True, slots=True)
class Decision:
    """An outcome and why, e.g. ``NO_MATCH: birthDate 1927-06-19 is not lt1927-06-19``.

    UNDECIDABLE means the resource alone cannot settle it (terminology, a server-chosen tolerance, the
    server's time zone, an unresolved reference): a check should neither pass nor fail on it.
    A Decision has no truth value, so ``if decision:`` cannot silently treat UNDECIDABLE as a match.
    """

    outcome: Outcome
    reason: str

    @classmethod
    def match(cls, reason: str) -> Decision:
        return cls(Outcome.MATCH, reason)

    @classmethod
    def no_match(cls, reason: str) -> Decision:
        return cls(Outcome.NO_MATCH, reason)

    @classmethod
    def undecidable(cls, reason: str) -> Decision:
        return cls(Outcome.UNDECIDABLE, reason)

    @property
    def matched(self) -> bool:
        """True only for MATCH."""
        return self.outcome is Outcome.MATCH

    def __bool__(self) -> bool:
        raise TypeError("a Decision has three outcomes: test decision.outcome or decision.matched")

    def __str__(self) -> str:
        return f"{self.outcome.name}: {self.reason}"


def any_of(decisions: Iterable[Decision], *, empty: Decision) -> Decision:
    """OR: the first MATCH, else UNDECIDABLE if any, else NO_MATCH (reasons joined); ``empty`` if none."""
    found = list(decisions)
    if not found:
        return empty
    for decision in found:
        if decision.outcome is Outcome.MATCH:
            return decision
    undecided = [d.reason for d in found if d.outcome is Outcome.UNDECIDABLE]
    if undecided:
        return Decision.undecidable("; ".join(undecided))
    return Decision.no_match("; ".join(d.reason for d in found))


def all_of(decisions: Iterable[Decision], *, empty: Decision) -> Decision:
    """AND: NO_MATCH if any (their reasons), else UNDECIDABLE if any, else MATCH; ``empty`` if none."""
    found = list(decisions)
    if not found:
        return empty
    for outcome in (Outcome.NO_MATCH, Outcome.UNDECIDABLE):
        reasons = [d.reason for d in found if d.outcome is outcome]
        if reasons:
            return Decision(outcome, "; ".join(reasons))
    return Decision.match("; ".join(d.reason for d in found))
