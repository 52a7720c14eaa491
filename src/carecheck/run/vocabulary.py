"""carecheck's step vocabulary, read without running anything: every Gherkin step the modules of
`carecheck.steps` define, and which of them a feature's step would run (as pytest-bdd matches them).

`carecheck list steps` prints it; a supplier's own features are checked against it before a run starts, so a
step that carecheck does not know is one line naming the file and line, never an errored scenario.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pytest_bdd.parsers import StepParser
from pytest_bdd.steps import step_function_context_registry

import carecheck.steps

__all__ = ["StepDefinition", "matching", "vocabulary"]


@dataclass(frozen=True)
class StepDefinition:
    """One step of the vocabulary: its keyword (None: any of given, when, then), its pattern and its module."""

    keyword: str | None
    pattern: str
    module: str
    line: int
    parser: StepParser

    def to_data(self) -> dict[str, object]:
        return {"keyword": self.keyword or "*", "pattern": self.pattern, "vocabulary": self.module, "line": self.line}


def _line(function: Callable[..., object]) -> int:
    code = getattr(function, "__code__", None)
    return int(code.co_firstlineno) if code is not None else 0


@cache
def vocabulary() -> tuple[StepDefinition, ...]:
    """Every step definition of `carecheck.steps`, by vocabulary (module) and line."""
    modules = [f"{carecheck.steps.__name__}.{info.name}" for info in pkgutil.iter_modules(carecheck.steps.__path__)]
    for module in modules:
        importlib.import_module(module)
    found = [
        StepDefinition(context.type, context.parser.name, context.step_func.__module__.rsplit(".", 1)[-1], _line(context.step_func), context.parser)
        for context in list(step_function_context_registry.values())
        if context.step_func.__module__ in modules
    ]
    return tuple(sorted(found, key=lambda step: (step.module, step.line)))


def matching(keyword: str, text: str) -> list[StepDefinition]:
    """The step definitions a feature step `keyword` (given, when, then) `text` would run."""
    return [step for step in vocabulary() if step.keyword in (None, keyword) and step.parser.is_matching(text)]
