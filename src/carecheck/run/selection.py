"""Which scenarios a run selects, known before anything runs: the suites, the Gherkin features, and the tag
expression parsed with pytest's own parser.

The features are read statically, the way pytest-bdd binds them (a scenario's markers are its own, its
feature's and its rule's tags, plus its Examples block's tags; `@req:` tags are requirements, not markers),
so a malformed expression, an unknown tag or suite, or a selection of no scenario is a usage error before a
report folder exists, and a run can say what it covers: "N of M scenarios of the full suite".
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from _pytest.mark.expression import Expression
from pytest_bdd.parser import FeatureParser

from carecheck.errors import ConfigError
from carecheck.project import ROOT

__all__ = ["FEATURES", "SUITE_DEFINITIONS", "PlannedScenario", "Selection", "select", "suite_names", "suite_scenarios"]

FEATURES = ROOT / "features"
SUITE_DEFINITIONS = ROOT / "suites" / "suites.yaml"
REQUIREMENT_TAG = "req:"
_OPERATORS = frozenset({"and", "or", "not"})


@dataclass(frozen=True)
class PlannedScenario:
    """One scenario (one Examples row of an outline) as pytest will collect it."""

    feature: str
    """The feature file, relative to `features/`."""
    name: str
    markers: frozenset[str]
    requirements: tuple[str, ...]

    def matches(self, expression: Expression) -> bool:
        return expression.evaluate(lambda name, /, **kwargs: not kwargs and name in self.markers)


@dataclass(frozen=True)
class Selection:
    """What a run was asked to run (`suite`, `tags`), the pytest marker expression they make, and the scenarios
    it selects out of the full suite's."""

    suite: str | None
    tags: str | None
    expression: str | None
    selected: tuple[PlannedScenario, ...]
    total: int

    def requirements(self) -> dict[str, dict[str, int]]:
        """Every requirement a scenario of the full suite names: how many of those scenarios the run selected."""
        everywhere = Counter(r for scenario in suite_scenarios() for r in scenario.requirements)
        chosen = Counter(r for scenario in self.selected for r in scenario.requirements)
        return {requirement: {"selected": chosen[requirement], "in_suite": everywhere[requirement]} for requirement in sorted(everywhere)}

    def to_data(self) -> dict[str, Any]:
        """The run's scope as `run.json` records it."""
        return {
            "suite": self.suite or "full",
            "tags": self.tags,
            "expression": self.expression,
            "scenarios": {"selected": len(self.selected), "in_suite": self.total},
            "requirements": self.requirements(),
        }


def _suites() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(SUITE_DEFINITIONS.read_text(encoding="utf-8"))
    return data


def suite_names() -> list[str]:
    return sorted(_suites())


def _planned(path: Path) -> list[PlannedScenario]:
    feature = FeatureParser(str(FEATURES), str(path.relative_to(FEATURES))).parse()
    found = []
    for template in feature.scenarios.values():
        rule_tags = template.rule.tags if template.rule is not None else set()
        tags = template.tags | feature.tags | rule_tags
        markers = frozenset(tag for tag in tags if not tag.startswith(REQUIREMENT_TAG))
        requirements = tuple(sorted(tag.removeprefix(REQUIREMENT_TAG) for tag in tags if tag.startswith(REQUIREMENT_TAG)))
        relative = path.relative_to(FEATURES).as_posix()
        rows = [(examples.tags, row) for examples in template.examples for row in examples.examples]
        if not rows:
            found.append(PlannedScenario(relative, template.name, markers, requirements))
        for example_tags, row in rows:
            found.append(PlannedScenario(relative, f"{template.name} [{'-'.join(row)}]", markers | frozenset(example_tags), requirements))
    return found


@cache
def suite_scenarios() -> tuple[PlannedScenario, ...]:
    """Every scenario of the full suite (every feature under `features/`), in file order."""
    return tuple(scenario for path in sorted(FEATURES.rglob("*.feature")) for scenario in _planned(path))


def _markers() -> set[str]:
    """The tags the suite's scenarios carry (and that pytest knows as markers)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        declared = tomllib.load(handle)["tool"]["pytest"]["ini_options"]["markers"]
    registered = {marker.split(":", 1)[0].strip() for marker in declared}
    return registered & {marker for scenario in suite_scenarios() for marker in scenario.markers}


def _compile(option: str, expression: str) -> Expression:
    """The expression compiled by pytest's parser; its message, and any word that is no tag, is a ConfigError."""
    try:
        compiled = Expression.compile(expression)
    except SyntaxError as error:
        raise ConfigError(f"{option} {expression!r} is not a valid tag expression: at column {error.offset}: {error.msg}") from None
    known = _markers()
    unknown = sorted(set(re.findall(r"[A-Za-z_][\w-]*", expression)) - _OPERATORS - known)
    if unknown:
        raise ConfigError(f"{option} names unknown tag(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return compiled


def select(suite: str | None = None, tags: str | None = None, definitions: Mapping[str, Mapping[str, str]] | None = None) -> Selection:
    """The scenarios `--suite` and `--tags` select together; ConfigError for an unknown suite, a malformed or
    unknown tag expression, or a selection of no scenario."""
    parts = []
    if suite is not None:
        suites = definitions if definitions is not None else _suites()
        if suite not in suites:
            raise ConfigError(f"no suite named {suite!r}; suites: {', '.join(sorted(suites))}")
        if suites[suite].get("tags"):
            _compile(f"suite {suite}'s tags", str(suites[suite]["tags"]))
            parts.append(f"({suites[suite]['tags']})")
    if tags is not None:
        if not tags.strip():
            raise ConfigError("--tags is empty: give a tag expression, e.g. \"patient or capability\"")
        _compile("--tags", tags)
        parts.append(f"({tags})")
    expression = " and ".join(parts) or None
    everything = suite_scenarios()
    compiled = Expression.compile(expression) if expression else None
    selected = tuple(s for s in everything if compiled is None or s.matches(compiled))
    if not selected:
        asked = " ".join(part for part in (f"--suite {suite}" if suite else "", f"--tags {tags!r}" if tags else "") if part)
        raise ConfigError(f"{asked} selects no scenario of the {len(everything)} in the full suite")
    return Selection(suite, tags, expression, selected, len(everything))
