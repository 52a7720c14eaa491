"""Which scenarios a run selects, known before anything runs: the suites, the Gherkin features, and the tag
expression parsed with pytest's own parser.

The features are read statically, the way pytest-bdd binds them (a scenario's markers are its own, its
feature's and its rule's tags, plus its Examples block's tags; `@req:` tags are requirements, not markers),
so a malformed expression, an unknown tag or suite, or a selection of no scenario is a usage error before a
report folder exists, and a run can say what it covers: "N of M scenarios of the full suite". A supplier's own
features (`--features DIR`) are part of the full suite of their run; their own suites file (`--suites FILE`)
replaces carecheck's.
"""

from __future__ import annotations

import re
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
from carecheck.project import FEATURES, OWN_PREFIX, SUITES

__all__ = ["FEATURES", "SUITE_DEFINITIONS", "PlannedScenario", "Selection", "load_suites", "select", "suite_definitions", "suite_names", "suite_scenarios"]

SUITE_DEFINITIONS = SUITES / "suites.yaml"
REQUIREMENT_TAG = "req:"
_OPERATORS = frozenset({"and", "or", "not"})


@dataclass(frozen=True)
class PlannedScenario:
    """One scenario (one Examples row of an outline) as pytest will collect it."""

    feature: str
    """The feature file, relative to `features/` (a supplier's own: `own/` and its path in their folder)."""
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
    features: Path | None = None
    """The supplier's own features folder, when the run has one."""

    def requirements(self) -> dict[str, dict[str, int]]:
        """Every requirement a scenario of the full suite names: how many of those scenarios the run selected."""
        everywhere = Counter(r for scenario in suite_scenarios(self.features) for r in scenario.requirements)
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
            **({"features": str(self.features)} if self.features is not None else {}),
        }


def load_suites(path: Path = SUITE_DEFINITIONS) -> dict[str, dict[str, str]]:
    """Suite definitions: a mapping of suite names to a `description` and `tags` (a tag expression, empty for
    every scenario); ConfigError saying what is wrong with a file that is not one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the suites file {path}: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"the suites file {path} is not valid YAML: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"the suites file {path} must map suite names to their description and tags, e.g. smoke: {{tags: smoke}}")
    for name, suite in data.items():
        if not isinstance(suite, dict) or not isinstance(suite.get("tags", ""), str | None) or set(suite) - {"description", "tags"}:
            raise ConfigError(f"the suites file {path}: suite {name!r} must be a mapping of description and tags (a tag expression)")
    return {str(name): {"description": str(suite.get("description") or ""), "tags": str(suite.get("tags") or "")} for name, suite in data.items()}


def suite_definitions(own: Path | None = None) -> dict[str, dict[str, str]]:
    """carecheck's suites, and the user's own (`--suites FILE`) added to them: a name of theirs replaces carecheck's."""
    return {**load_suites(), **(load_suites(own) if own is not None else {})}


def suite_names(definitions: Path = SUITE_DEFINITIONS) -> list[str]:
    return sorted(load_suites(definitions))


def _planned(path: Path, base: Path = FEATURES, prefix: str = "") -> list[PlannedScenario]:
    feature = FeatureParser(str(base), str(path.relative_to(base))).parse()
    found = []
    for template in feature.scenarios.values():
        rule_tags = template.rule.tags if template.rule is not None else set()
        tags = template.tags | feature.tags | rule_tags
        markers = frozenset(tag for tag in tags if not tag.startswith(REQUIREMENT_TAG))
        requirements = tuple(sorted(tag.removeprefix(REQUIREMENT_TAG) for tag in tags if tag.startswith(REQUIREMENT_TAG)))
        relative = prefix + path.relative_to(base).as_posix()
        rows = [(examples.tags, row) for examples in template.examples for row in examples.examples]
        if not rows:
            found.append(PlannedScenario(relative, template.name, markers, requirements))
        for example_tags, row in rows:
            found.append(PlannedScenario(relative, f"{template.name} [{'-'.join(row)}]", markers | frozenset(example_tags), requirements))
    return found


@cache
def suite_scenarios(features: Path | None = None) -> tuple[PlannedScenario, ...]:
    """Every scenario of the full suite (every feature under `features/`, then the supplier's own under
    `features`), in file order."""
    built_in = tuple(scenario for path in sorted(FEATURES.rglob("*.feature")) for scenario in _planned(path))
    if features is None:
        return built_in
    return built_in + tuple(scenario for path in sorted(features.rglob("*.feature")) for scenario in _planned(path, features, f"{OWN_PREFIX}/"))


def _compile(option: str, expression: str, known: set[str]) -> Expression:
    """The expression compiled by pytest's parser; its message, and any word that is no tag, is a ConfigError."""
    try:
        compiled = Expression.compile(expression)
    except SyntaxError as error:
        raise ConfigError(f"{option} {expression!r} is not a valid tag expression: at column {error.offset}: {error.msg}") from None
    unknown = sorted(set(re.findall(r"[A-Za-z_][\w-]*", expression)) - _OPERATORS - known)
    if unknown:
        raise ConfigError(f"{option} names unknown tag(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return compiled


def select(
    suite: str | None = None, tags: str | None = None, definitions: Mapping[str, Mapping[str, str]] | None = None, features: Path | None = None
) -> Selection:
    """The scenarios `--suite` and `--tags` select together out of the built-in features and the supplier's own
    (`features`); ConfigError for an unknown suite, a malformed or unknown tag expression, or a selection of no
    scenario."""
    everything = suite_scenarios(features)
    known = {marker for scenario in everything for marker in scenario.markers}
    parts = []
    if suite is not None:
        suites = definitions if definitions is not None else suite_definitions()
        if suite not in suites:
            raise ConfigError(f"no suite named {suite!r}; suites: {', '.join(sorted(suites))}")
        if suites[suite].get("tags"):
            _compile(f"suite {suite}'s tags", str(suites[suite]["tags"]), known)
            parts.append(f"({suites[suite]['tags']})")
    if tags is not None:
        if not tags.strip():
            raise ConfigError('--tags is empty: give a tag expression, e.g. "patient or capability"')
        _compile("--tags", tags, known)
        parts.append(f"({tags})")
    expression = " and ".join(parts) or None
    compiled = Expression.compile(expression) if expression else None
    selected = tuple(s for s in everything if compiled is None or s.matches(compiled))
    if not selected:
        asked = " ".join(part for part in (f"--suite {suite}" if suite else "", f"--tags {tags!r}" if tags else "") if part)
        raise ConfigError(f"{asked} selects no scenario of the {len(everything)} in the full suite")
    return Selection(suite, tags, expression, selected, len(everything), features)
