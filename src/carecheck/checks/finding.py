"""Findings: what a check concluded about an interaction, and the requirement it bears on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from carecheck.http.untrusted import printable

__all__ = ["Finding", "Outcome", "failed", "passed", "unjudged", "warned"]


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    WAIVED = "waived"
    """A failure an accepted deviation (a waiver) covers; it no longer fails the scenario."""
    UNJUDGED = "unjudged"
    """The check could not judge what it was given (a reference it could not resolve, a value it cannot read):
    neither a pass nor a failure; the scenario is `inconclusive` and its requirements count as untested."""


@dataclass(frozen=True)
class Finding:
    """One conclusion. `exchange` is the id of the exchange it is about; `pointer` where in its body
    (a JSON pointer, or a FHIRPath-like location for validation); `resource_type` the resource concerned.
    """

    outcome: Outcome
    message: str
    check: str = ""
    requirements: tuple[str, ...] = ()
    exchange: str | None = None
    pointer: str | None = None
    resource_type: str | None = None
    waiver: str | None = None

    def __post_init__(self) -> None:
        # A message quoting the server's text may hold a lone surrogate (a `\ud800` escape in its JSON):
        # kept as its escape, so every report, log and Allure file can be written.
        object.__setattr__(self, "message", printable(self.message))
        if self.pointer is not None:
            object.__setattr__(self, "pointer", printable(self.pointer))

    @property
    def location(self) -> str | None:
        return self.pointer

    def waived(self, waiver: str) -> Finding:
        """The failure, accepted by a waiver (described in one line)."""
        return replace(self, outcome=Outcome.WAIVED, waiver=waiver)

    def attributed(self, check: str, requirements: tuple[str, ...]) -> Finding:
        """The finding with its check's name and requirement ids filled in."""
        merged = tuple(dict.fromkeys((*self.requirements, *requirements)))
        return replace(self, check=check, requirements=merged)

    def to_data(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "message": self.message,
            "check": self.check,
            "requirements": list(self.requirements),
            "exchange": self.exchange,
            "pointer": self.pointer,
            "resource_type": self.resource_type,
            "waiver": self.waiver,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Finding:
        return cls(
            outcome=Outcome(data["outcome"]),
            message=data["message"],
            check=data.get("check", ""),
            requirements=tuple(data.get("requirements", ())),
            exchange=data.get("exchange"),
            pointer=data.get("pointer"),
            resource_type=data.get("resource_type"),
            waiver=data.get("waiver"),
        )


def passed(message: str, *, exchange: str | None = None, requirements: tuple[str, ...] = ()) -> Finding:
    return Finding(Outcome.PASS, message, exchange=exchange, requirements=requirements)


def failed(
    message: str,
    *,
    exchange: str | None = None,
    pointer: str | None = None,
    requirements: tuple[str, ...] = (),
    resource_type: str | None = None,
) -> Finding:
    return Finding(Outcome.FAIL, message, exchange=exchange, pointer=pointer, requirements=requirements, resource_type=resource_type)


def warned(message: str, **where: Any) -> Finding:
    """A note that fails nothing; takes `failed`'s keywords."""
    return replace(failed(message, **where), outcome=Outcome.WARN)


def unjudged(message: str, **where: Any) -> Finding:
    """What the check could not judge, and why (never a pass); takes `failed`'s keywords."""
    return replace(failed(message, **where), outcome=Outcome.UNJUDGED)
