"""pytest-bdd's step lookup, indexed: the same step definitions, found in the same order, without asking pytest about
every fixture name at every step.

pytest-bdd 9 finds the definition of each step by asking pytest, for every fixture name of the session (hundreds),
which definitions the item sees, and trying the parser of each step definition among them: about 1 ms a step, over
3,000 steps a full run. The step definitions an item sees are the ones its parent (the test module) sees: `given`,
`when` and `then` register them on modules and conftests, and the only ones pytest-bdd registers on an item (to
resolve the step being looked up) are removed before its next lookup. So `install` replaces
`pytest_bdd.scenario`'s `find_fixturedefs_for_step` with one that lists the step definitions a parent sees once, in
pytest-bdd's order, and matches each step against those of its type. When an item does carry a step definition of
its own, the lookup is pytest-bdd's. `uninstall` puts pytest-bdd's back. Only pytest 9.2+ with pytest-bdd 9 is
indexed (the fixture registry this reads is theirs); with older ones the lookup stays pytest-bdd's.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import pytest_bdd.compat
from _pytest.fixtures import FixtureDef, FixtureManager
from _pytest.nodes import Node
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

__all__ = ["StepIndex", "install", "uninstall"]

Lookup = Callable[[Step, FixtureManager, Node], Iterable[FixtureDef[object]]]

_SCENARIO: Any = importlib.import_module("pytest_bdd.scenario")  # the module: `pytest_bdd.scenario` is also a function
_ORIGINAL: Lookup = _SCENARIO.find_fixturedefs_for_step


class StepIndex:
    """The step definitions each parent node sees, listed once, and the matches of each step text found so far."""

    def __init__(self) -> None:
        self._visible: dict[Node, list[tuple[FixtureDef[object], StepFunctionContext]]] = {}
        self._matches: dict[tuple[Node, str | None, str], tuple[FixtureDef[object], ...]] = {}

    def find(self, step: Step, fixturemanager: FixtureManager, node: Node) -> Iterable[FixtureDef[object]]:
        """What `pytest_bdd.scenario.find_fixturedefs_for_step` finds, in its order."""
        parent = node.parent
        if parent is None or _carries_step_definition(fixturemanager, node):
            return list(_ORIGINAL(step, fixturemanager, node))
        key = (parent, step.type, step.name)
        found = self._matches.get(key)
        if found is None:
            visible = self._visible.get(parent)
            if visible is None:
                visible = self._visible[parent] = _step_definitions(fixturemanager, parent)
            found = self._matches[key] = tuple(
                fixturedef for fixturedef, context in visible if (context.type is None or context.type == step.type) and context.parser.is_matching(step.name)
            )
        return found


def _step_definitions(fixturemanager: FixtureManager, node: Node) -> list[tuple[FixtureDef[object], StepFunctionContext]]:
    """Every step definition `node` sees, in the order pytest-bdd's lookup meets them."""
    visible = []
    for name in pytest_bdd.compat.get_fixture_names(fixturemanager=fixturemanager):
        for fixturedef in pytest_bdd.compat.getfixturedefs(fixturemanager, name, node) or []:
            context = step_function_context_registry.get(fixturedef.func)
            if context is not None:
                visible.append((fixturedef, context))
    return visible


def _carries_step_definition(fixturemanager: FixtureManager, node: Node) -> bool:
    """Whether a step definition is registered on `node` itself (so its parent's list would not be the whole truth)."""
    registries: list[tuple[dict[str, dict[Any, list[FixtureDef[object]]]], Any]] = [
        (fixturemanager._arg2node2fixturedefs, node),
        (fixturemanager._arg2nodeid2fixturedefs, node.nodeid),
    ]
    return any(
        step_function_context_registry.get(fixturedef.func) is not None
        for registry, key in registries
        for by_node in registry.values()
        for fixturedef in by_node.get(key, ())
    )


def install() -> StepIndex | None:
    """Make pytest-bdd look steps up through a fresh index (until `uninstall`); None where pytest or pytest-bdd is not
    the one indexed (the lookup stays pytest-bdd's)."""
    if not _indexable():
        return None
    index = StepIndex()
    _SCENARIO.find_fixturedefs_for_step = index.find
    return index


def _indexable() -> bool:
    """Only the pytest and pytest-bdd whose private fixture registries this reads (pytest 9.2+, pytest-bdd 9): a later
    one may have changed them, and keeps its own lookup."""
    bdd_major = int(importlib.metadata.version("pytest-bdd").split(".")[0])
    return (9, 2) <= tuple(pytest.version_tuple[:2]) < (10, 0) and bdd_major == 9 and hasattr(pytest_bdd.compat, "get_fixture_names")


def uninstall() -> None:
    _SCENARIO.find_fixturedefs_for_step = _ORIGINAL
