"""The requirements catalogue, and that every requirement a scenario or check names is in it."""

from __future__ import annotations

import re

import pytest

from carecheck.checks import CHECKS
from carecheck.project import FEATURES
from carecheck.requirements import catalogue

TAG = re.compile(r"@req:(\S+)")


def feature_requirements() -> list[tuple[str, str]]:
    return [
        (path.relative_to(FEATURES.parent).as_posix(), tag)
        for path in sorted(FEATURES.rglob("*.feature"))
        for tag in TAG.findall(path.read_text(encoding="utf-8"))
    ]


def test_the_catalogue_holds_general_and_search_parameter_requirements() -> None:
    known = catalogue()
    assert known["CC-READ-404"].level == "SHALL"
    assert known["CC-SEARCH-PATIENT-BIRTHDATE"].level == "SHALL"
    assert known["CC-SEARCH-PATIENT-EMAIL"].level == "MAY"
    assert known["CC-SEARCH-PATIENT-NAME+GENDER"].level == "SHALL"


@pytest.mark.parametrize(("feature", "requirement"), feature_requirements())
def test_every_scenario_requirement_is_catalogued(feature: str, requirement: str) -> None:
    assert requirement in catalogue(), f"{feature} names unknown requirement {requirement}"


def test_every_scenario_names_a_requirement() -> None:
    for path in FEATURES.rglob("*.feature"):
        text = path.read_text(encoding="utf-8")
        scenarios = len(re.findall(r"^\s*Scenario( Outline)?:", text, re.MULTILINE))
        tagged = len(re.findall(r"^\s*@[^\n]*req:[^\n]*\n\s*Scenario", text, re.MULTILINE))
        assert tagged == scenarios, f"{path.name}: every scenario needs @req: tags"


def test_check_descriptions_are_one_line() -> None:
    assert all("\n" not in entry.description for entry in CHECKS)


def test_the_level_in_force_follows_the_conformance_setting() -> None:
    known = catalogue()
    assert known["CC-SEARCH-CONDITION-CODE"].level_for("ig") is None and known["CC-SEARCH-CONDITION-CODE"].level_for("core") == "SHOULD"
    assert known["CC-SEARCH-PATIENT-EMAIL"].level_for("ig") == "MAY" and known["CC-SEARCH-PATIENT-EMAIL"].level_for("core") is None
    assert known["CC-READ-404"].level_for("ig") == known["CC-READ-404"].level_for("core") == "SHALL", "general requirements have one level"
