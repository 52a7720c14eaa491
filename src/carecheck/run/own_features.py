"""A supplier's own scenarios (`carecheck run --features DIR`): their `.feature` files, written in carecheck's
step vocabulary, run, judged and reported beside the built-in ones.

Before anything runs the folder is checked: it holds feature files pytest-bdd can parse, and every step of
them is a step carecheck knows (`carecheck list steps`), so a typo is one line naming the file and line, not
an errored scenario. Their scenario ids start `own/` (their path in the folder follows), so they never take a
built-in scenario's id; `@req:` tags naming requirements carecheck's catalogue lacks are the supplier's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser
from pytest_bdd.utils import CONFIG_STACK

from carecheck.errors import ConfigError
from carecheck.run.vocabulary import matching

__all__ = ["OPTION", "check_features", "feature_files", "feature_tags", "own_folder", "parse_features", "require_under_rootdir"]

OPTION = "own_features"
"""The pytest option (`--features DIR`) naming the folder in a carecheck session."""


def feature_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.feature"))


def parse_features(folder: Path) -> list[Feature]:
    """Every feature under `folder`, parsed as pytest-bdd will; ConfigError naming the file of one it cannot read."""
    features = []
    for path in feature_files(folder):
        try:
            features.append(FeatureParser(str(folder), str(path.relative_to(folder))).parse())
        except GherkinParseError as error:
            raise ConfigError(f"{path}: not a Gherkin feature pytest-bdd can read: {error}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read: {error}") from None
    return features


def _unknown_steps(feature: Feature) -> list[str]:
    """`file:line: Keyword text` of each step of `feature` that no step of the vocabulary matches."""
    unknown: dict[int, str] = {}
    for template in feature.scenarios.values():
        contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
        for context in contexts:
            for step in template.render(context).steps:
                if step.line_number not in unknown and not matching(step.type, step.name):
                    unknown[step.line_number] = f"{feature.filename}:{step.line_number}: {step.keyword} {step.name}"
    return [unknown[line] for line in sorted(unknown)]


def check_features(folder: Path) -> Path:
    """The supplier's features folder, resolved, once it holds features whose every step carecheck knows;
    ConfigError saying what is wrong otherwise."""
    if not folder.is_dir():
        raise ConfigError(f"--features {folder} is not a folder")
    features = parse_features(folder)
    if not features:
        raise ConfigError(f"--features {folder} holds no .feature file")
    if not any(feature.scenarios for feature in features):
        raise ConfigError(f"--features {folder}: its feature files hold no scenario")
    unknown = [line for feature in features for line in _unknown_steps(feature)]
    if unknown:
        shown = "; ".join(unknown[:3]) + (f"; and {len(unknown) - 3} more" if len(unknown) > 3 else "")
        raise ConfigError(f"--features {folder}: {len(unknown)} step(s) carecheck does not know (see carecheck list steps): {shown}")
    return folder.resolve()


def feature_tags(folder: Path) -> set[str]:
    """Every Gherkin tag the supplier's features carry (their `@req:` tags too)."""
    tags: set[str] = set()
    for feature in parse_features(folder):
        tags |= feature.tags
        for template in feature.scenarios.values():
            tags |= template.tags | (template.rule.tags if template.rule else set())
            tags |= {tag for examples in template.examples for tag in examples.tags}
    return tags


def require_under_rootdir(config: pytest.Config) -> None:
    """A session writing Allure results needs the supplier's folder under its rootdir (allure-pytest-bdd places
    every feature by its path there); UsageError naming the --rootdir that holds both (`carecheck run` passes it)."""
    own = own_folder(config)
    writes_allure = config.getoption("report_dir", default=None) or getattr(config.option, "allure_report_dir", None)
    root = config.rootpath.resolve()
    if own is not None and writes_allure and not own.is_relative_to(root):
        both = os.path.commonpath([root, own])
        raise pytest.UsageError(f"--features {own} is outside the rootdir {root}, where the Allure results place every feature: add --rootdir {both}")


def own_folder(config: pytest.Config | None = None) -> Path | None:
    """The `--features` folder of the pytest session being collected (`config`, else the one pytest-bdd is
    collecting for, as its own `scenarios()` finds it), or None."""
    if config is None:
        if not CONFIG_STACK:
            return None
        config = CONFIG_STACK[-1]
    folder = config.getoption(OPTION, default=None)
    return Path(folder).resolve() if folder else None
