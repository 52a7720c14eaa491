"""The selection, read statically before a run: it agrees with pytest's collection, and every bad selection is
a usage error with the parser's message before anything runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from carecheck.errors import ConfigError
from carecheck.project import ROOT
from carecheck.run.selection import select, suite_names, suite_scenarios


def collected(expression: str) -> int:
    """How many scenarios pytest itself collects for a marker expression."""
    command = [sys.executable, "-m", "pytest", str(ROOT / "suites"), "--collect-only", "-q", "-p", "carecheck.plugin", "-p", "no:cacheprovider", "-m", expression]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    return sum(1 for line in result.stdout.splitlines() if "::" in line)


@pytest.mark.parametrize("expression", ["may", "smoke or (clinical and should and not core)"])
def test_the_static_selection_is_what_pytest_collects(expression: str) -> None:
    """Examples' own tags (`@may` on one Examples block of a `@shall` outline) count as pytest-bdd applies them."""
    assert len(select(tags=expression).selected) == collected(expression)


def test_the_full_suite_and_each_suite_select_their_scenarios() -> None:
    everything = select()
    assert everything.total == len(suite_scenarios()) == len(everything.selected) > 500
    smoke = select("smoke")
    assert 0 < len(smoke.selected) < 10 and smoke.total == everything.total
    assert all("smoke" in scenario.markers for scenario in smoke.selected)
    assert "The server implements FHIR STU3" in {s.name for s in smoke.selected}, "the smoke suite checks the FHIR version"
    assert set(suite_names()) >= {"smoke", "core", "full", "security", "nightly"}


def test_the_scope_records_the_selection_and_the_requirements_it_leaves_out() -> None:
    scope = select("smoke", "capability").to_data()
    assert scope["suite"] == "smoke" and scope["tags"] == "capability" and scope["expression"] == "(smoke) and (capability)"
    assert scope["scenarios"] == {"selected": 2, "in_suite": len(suite_scenarios())}
    assert scope["requirements"]["CC-GEN-STU3"] == {"selected": 1, "in_suite": 1}
    assert scope["requirements"]["CC-READ-404"]["selected"] == 0 < scope["requirements"]["CC-READ-404"]["in_suite"]
    assert select().to_data()["suite"] == "full"


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("shall and and", "--tags 'shall and and' is not a valid tag expression: at column 11: expected not OR left parenthesis OR identifier; got and"),
        ("(", "--tags '(' is not a valid tag expression: at column 2: expected not OR left parenthesis OR identifier; got end of input"),
        ("smoke or", "--tags 'smoke or' is not a valid tag expression: at column 9: expected not OR left parenthesis OR identifier; got end of input"),
        ("patient or nosuchtag", "--tags names unknown tag(s) nosuchtag; known: "),
        ("e2e", "--tags names unknown tag(s) e2e"),
        ("observation and smoke", "--tags 'observation and smoke' selects no scenario of the "),
        (" ", "--tags is empty"),
    ],
)
def test_a_bad_tag_expression_is_a_usage_error_with_the_parsers_message(tags: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        select(tags=tags)
    assert str(error.value).startswith(message)


def test_an_unknown_suite_or_a_suite_of_nothing_is_a_usage_error() -> None:
    with pytest.raises(ConfigError, match="no suite named 'nope'; suites: core, full"):
        select("nope")
    with pytest.raises(ConfigError, match="suite broken's tags 'smoke or' is not a valid tag expression"):
        select("broken", definitions={"broken": {"tags": "smoke or"}})
    with pytest.raises(ConfigError, match="--suite smoke --tags 'observation' selects no scenario"):
        select("smoke", "observation")
