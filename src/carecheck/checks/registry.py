"""The check registry: every check is a plain named function with a description and the requirements it tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from carecheck.checks.finding import Finding
from carecheck.http import Interaction

__all__ = ["CHECKS", "Check", "CheckFunction", "Registry", "check"]

CheckFunction = Callable[..., Iterable[Finding]]
"""`(interaction, **arguments) -> findings`; arguments are JSON-serialisable so a judgement can be replayed."""


@dataclass(frozen=True)
class Check:
    """A named check. `judges_scenario` is False for a check that judges only its own requirements wherever it
    runs (profile conformance): its findings are not also attributed to the scenario's requirements, so a search
    that worked is not "not met" because a resource it returned failed its profile."""

    name: str
    description: str
    requirements: tuple[str, ...]
    function: CheckFunction
    judges_scenario: bool = True

    def run(self, interaction: Interaction, **arguments: Any) -> list[Finding]:
        """Run the check; every finding carries the check's name and requirement ids."""
        return [finding.attributed(self.name, self.requirements) for finding in self.function(interaction, **arguments)]


class Registry:
    """Checks by name. The runner and the reports read it; neither knows any check by name."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, entry: Check) -> None:
        if entry.name in self._checks:
            raise ValueError(f"a check named {entry.name!r} is already registered")
        self._checks[entry.name] = entry

    def get(self, name: str) -> Check:
        try:
            return self._checks[name]
        except KeyError:
            raise KeyError(f"no check named {name!r}; known: {', '.join(sorted(self._checks))}") from None

    def names(self) -> list[str]:
        return sorted(self._checks)

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks[name] for name in self.names())

    def __len__(self) -> int:
        return len(self._checks)


CHECKS = Registry()


def check(*, description: str, requirements: tuple[str, ...], judges_scenario: bool = True) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under its own name (see `Check` for `judges_scenario`)."""

    def decorate(function: CheckFunction) -> CheckFunction:
        CHECKS.register(Check(function.__name__, description, requirements, function, judges_scenario))
        return function

    return decorate
