"""Findings: what a check concluded about an interaction, and the requirement it bears on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["Finding", "Outcome", "failed", "passed", "warned"]


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    """One conclusion. `exchange` is the id of the exchange it is about; `pointer` a JSON pointer into its body."""

    outcome: Outcome
    message: str
    check: str = ""
    requirements: tuple[str, ...] = ()
    exchange: str | None = None
    pointer: str | None = None

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
        )


def passed(message: str, *, exchange: str | None = None, requirements: tuple[str, ...] = ()) -> Finding:
    return Finding(Outcome.PASS, message, exchange=exchange, requirements=requirements)


def failed(
    message: str, *, exchange: str | None = None, pointer: str | None = None, requirements: tuple[str, ...] = ()
) -> Finding:
    return Finding(Outcome.FAIL, message, exchange=exchange, pointer=pointer, requirements=requirements)


def warned(
    message: str, *, exchange: str | None = None, pointer: str | None = None, requirements: tuple[str, ...] = ()
) -> Finding:
    return Finding(Outcome.WARN, message, exchange=exchange, pointer=pointer, requirements=requirements)
