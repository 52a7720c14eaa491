"""Where the carecheck checkout lives: the features, suites and fixtures the harness runs from.

The Gherkin features, step vocabularies and data fixtures sit beside the package in the project
checkout (see DESIGN.md §2), so the package finds them from its own location, or from
``CARECHECK_HOME`` when installed elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ALLURE_TOOL", "FEATURES", "FIXTURES", "ROOT", "fixture_path"]


def _find_root() -> Path:
    override = os.environ.get("CARECHECK_HOME")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "fixtures").is_dir():
            return parent
    return Path.cwd()


ROOT: Path = _find_root()
FIXTURES: Path = ROOT / "fixtures"
FEATURES: Path = ROOT / "features"
"""The Gherkin features the suites run (pytest's `bdd_features_base_dir`)."""
ALLURE_TOOL: Path = ROOT / "tools" / "allure" / "node_modules" / ".bin" / "allure"
"""The Allure 3 command line as `make report` installs it in the checkout (`npm ci` in `tools/allure`)."""


def fixture_path(*parts: str) -> Path:
    """Path of a data file under ``fixtures/``."""
    return FIXTURES.joinpath(*parts)
