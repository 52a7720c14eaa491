"""Where carecheck's own files are: the features, step vocabularies, suites and data a run needs.

They are part of the package (`carecheck/features`, `steps`, `suites`, `data`), found with `importlib.resources`,
so an installed carecheck runs from any folder; a supplier's own files are options of a run, never a place
carecheck looks by itself. `CHECKOUT` is the source checkout when carecheck runs from one (`make run`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["ALLURE_TOOL", "CHECKOUT", "DATA", "FEATURES", "OWN_PREFIX", "PACKAGE", "PYTEST_INI", "SUITES", "data_path"]


def _package() -> Path:
    root = files("carecheck")
    if not isinstance(root, Path):  # pytest reads features and suites from real files
        raise ImportError(f"carecheck must be installed as files (pip or pipx), not from {root}")
    return root


def _checkout(package: Path) -> Path | None:
    """The source checkout holding `package` (`src/carecheck` beside a `pyproject.toml`), else None."""
    root = package.parent.parent
    return root if package.parent.name == "src" and (root / "pyproject.toml").is_file() else None


PACKAGE: Path = _package()
FEATURES: Path = PACKAGE / "features"
"""The Gherkin features of the built-in suites."""
SUITES: Path = PACKAGE / "suites"
"""The pytest modules binding the features, their conftest.py, and `suites.yaml`."""
PYTEST_INI: Path = PACKAGE / "pytest.ini"
"""The pytest configuration of carecheck's sessions; its folder (the package) is their rootdir."""
DATA: Path = PACKAGE / "data"
"""Target profiles, requirement and conformance tables, STU3 and Care Connect definitions, the reference
server's seed data and demo clients, test-only keys."""
OWN_PREFIX = "own"
"""What a supplier's own features folder (`--features DIR`) is called in scenario ids (`own/<its path>/<scenario>`),
evidence and Allure title paths, as carecheck's are under `features/`."""
CHECKOUT: Path | None = _checkout(PACKAGE)
ALLURE_TOOL: Path | None = CHECKOUT / "tools" / "allure" / "node_modules" / ".bin" / "allure" if CHECKOUT else None
"""The Allure 3 command line as `make report` installs it in a checkout (`npm ci` in `tools/allure`)."""


def data_path(*parts: str) -> Path:
    """Path of a file under carecheck's `data/`."""
    return DATA.joinpath(*parts)
