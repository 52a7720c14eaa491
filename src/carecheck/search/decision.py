"""The oracle's answer (match, no match, left to the server, unknown) with a reason a tester can read."""

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
    """STU3 leaves the answer to the server (a time zone, the margin of ap, a search across name parts): a
    server may include the resource or leave it out, and either is conformant."""
    UNKNOWN = "unknown"
    """The oracle could not judge: it lacks what it needs (a referenced resource, a terminology server, a value
    it can read). The result is not judged, so it can count neither as passed nor as failed."""


@dataclass(frozen=True, slots=True)
class Decision:
    """An outcome and why, e.g. ``NO_MATCH: birthDate 1927-06-19 is not lt1927-06-19``.

    UNDECIDABLE means STU3 lets the server decide (a check accepts either answer); UNKNOWN that the oracle
    could not judge (a check reports the result as not judged, never as passed).
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

    @classmethod
    def unknown(cls, reason: str) -> Decision:
        return cls(Outcome.UNKNOWN, reason)

    @property
    def matched(self) -> bool:
        """True only for MATCH."""
        return self.outcome is Outcome.MATCH

    def __bool__(self) -> bool:
        raise TypeError("a Decision has four outcomes: test decision.outcome or decision.matched")

    def __str__(self) -> str:
        return f"{self.outcome.name}: {self.reason}"


def any_of(decisions: Iterable[Decision], *, empty: Decision) -> Decision:
    """OR: the first MATCH, else UNKNOWN, else UNDECIDABLE if any (their reasons), else NO_MATCH; ``empty`` if none."""
    found = list(decisions)
    if not found:
        return empty
    for decision in found:
        if decision.outcome is Outcome.MATCH:
            return decision
    for outcome in (Outcome.UNKNOWN, Outcome.UNDECIDABLE):
        reasons = [d.reason for d in found if d.outcome is outcome]
        if reasons:
            return Decision(outcome, "; ".join(reasons))
    return Decision.no_match("; ".join(d.reason for d in found))


def all_of(decisions: Iterable[Decision], *, empty: Decision) -> Decision:
    """AND: NO_MATCH if any (their reasons), else UNKNOWN, else UNDECIDABLE if any, else MATCH; ``empty`` if none."""
    found = list(decisions)
    if not found:
        return empty
    for outcome in (Outcome.NO_MATCH, Outcome.UNKNOWN, Outcome.UNDECIDABLE):
        reasons = [d.reason for d in found if d.outcome is outcome]
        if reasons:
            return Decision(outcome, "; ".join(reasons))
    return Decision.match("; ".join(d.reason for d in found))
