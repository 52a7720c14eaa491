"""Tests for carecheck.run.step_lookup: the indexed step lookup finds what pytest-bdd's own finds, in the same order, for
every step of a project with overridden, typed, untyped and outline steps; and it steps aside where an item carries a
step definition of its own."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd import parsers
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from carecheck.run import step_lookup

FEATURE = """\
Feature: Lookups
  Scenario: Overridden, typed and untyped steps
    Given a value of 3
    When it is doubled
    Then the value is 6
    And anything at all

  Scenario Outline: Outline rows
    Given a value of <start>
    When it is doubled
    Then the value is <end>

    Examples:
      | start | end |
      | 1     | 2   |
      | 5     | 10  |
"""

CONFTEST = """\
import importlib

import pytest
from pytest_bdd import given, parsers, step, then, when

from carecheck.run import step_lookup

ORIGINAL = step_lookup._ORIGINAL
COMPARED = []


def pytest_configure(config):
    config.index = step_lookup.install()


def pytest_unconfigure(config):
    step_lookup.uninstall()
    print(f"compared {len(COMPARED)} lookups")


def pytest_bdd_before_step(request, step):
    lookup = importlib.import_module("pytest_bdd.scenario").find_fixturedefs_for_step
    assert lookup == request.config.index.find, "pytest-bdd does not look steps up through the index"
    fixturemanager, node = request._fixturemanager, request.node
    theirs = list(ORIGINAL(step, fixturemanager, node))
    ours = list(request.config.index.find(step, fixturemanager, node))
    assert theirs, step.name
    assert ours == theirs, (step.name, ours, theirs)
    COMPARED.append(step.name)


@pytest.fixture
def box():
    return {}


@given(parsers.parse("a value of {start:d}"))
def _(box, start):
    box["value"] = start * 100  # overridden by the test module's own definition


@given(parsers.re(r"a value of (?P<start>\\d+)"))
def _(box, start):
    box["value"] = -1  # also overridden


@when("it is doubled")
def _(box):
    box["value"] *= 2


@then(parsers.parse("the value is {end:d}"))
def _(box, end):
    assert box["value"] == end


@step(parsers.re("anything.*"))
def _():
    pass
"""

TEST_MODULE = """\
from pytest_bdd import given, parsers, scenarios

scenarios("lookups.feature")


@given(parsers.parse("a value of {start:d}"))
def _(box, start):
    box["value"] = start
"""


def test_every_lookup_finds_what_pytest_bdds_own_finds_in_its_order(tmp_path: Path) -> None:
    (tmp_path / "lookups.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_lookups.py").write_text(TEST_MODULE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-s", "-p", "no:randomly"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout and "compared 10 lookups" in done.stdout, done.stdout  # 4 + 3 + 3 steps, each compared


def test_uninstall_gives_pytest_bdd_its_own_lookup_back() -> None:
    scenario_module = importlib.import_module("pytest_bdd.scenario")
    index = step_lookup.install()
    try:
        assert index is not None and scenario_module.find_fixturedefs_for_step == index.find
    finally:
        step_lookup.uninstall()
    assert scenario_module.find_fixturedefs_for_step is step_lookup._ORIGINAL


def _step(text: str) -> SimpleNamespace:
    return SimpleNamespace(type="given", name=text)


class _Node:
    def __init__(self, nodeid: str, parent: _Node | None = None) -> None:
        self.nodeid, self.parent = nodeid, parent


def test_an_item_carrying_a_step_definition_of_its_own_is_looked_up_by_pytest_bdd(monkeypatch: pytest.MonkeyPatch) -> None:
    def own_step() -> None:
        pass

    step_function_context_registry[own_step] = StepFunctionContext(type="given", step_func=own_step, parser=parsers.parse("mine"))
    parent = _Node("test_x.py")
    item = _Node("test_x.py::test_y", parent)
    fixturedef = SimpleNamespace(func=own_step)
    manager = SimpleNamespace(_arg2node2fixturedefs={"pytestbdd_stepdef_given_mine": {item: [fixturedef]}}, _arg2nodeid2fixturedefs={})
    asked = []
    monkeypatch.setattr(step_lookup, "_ORIGINAL", lambda step, fixturemanager, node: asked.append(node) or [fixturedef])

    found = step_lookup.StepIndex().find(_step("mine"), manager, item)  # type: ignore[arg-type]

    assert list(found) == [fixturedef] and asked == [item]  # pytest-bdd's own lookup, on the item itself
    manager._arg2node2fixturedefs = {"pytestbdd_stepdef_given_mine": {parent: [fixturedef]}}
    asked.clear()
    assert step_lookup._carries_step_definition(manager, item) is False  # type: ignore[arg-type]
