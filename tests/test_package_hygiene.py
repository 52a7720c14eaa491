"""The project's own rules, kept by a test: every package and module of src/carecheck, and the independence rule.

- every module says what it is for, stays under 400 lines (or says why in a `Size:` line), declares
  `__all__` in CONSTANTS, Classes, functions order, and every name in it exists;
- no grab-bag modules (`utils`, `helpers`, `common`, `misc`), no relative imports;
- the reference server imports nothing of the harness, and the harness reaches the reference server only
  in the default-target wiring and `carecheck serve` (docs/architecture.md, "Independence rule");
- every module has a test module mirroring its path, or is listed below with where it is tested.

The step vocabularies (`steps/`) and the suites binding the features (`suites/`) are Gherkin glue, not modules
of the harness's surface: every run exercises them.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import carecheck

SOURCE = Path(carecheck.__file__).parent
TESTS = Path(__file__).parent
GHERKIN = {"steps", "suites"}
"""Step definitions (pytest-bdd fixtures) and the pytest modules binding the features: tested by every run."""
MODULES = sorted(path for path in SOURCE.rglob("*.py") if path.relative_to(SOURCE).parts[0] not in GHERKIN)
IDS = [str(path.relative_to(SOURCE)) for path in MODULES]

TESTED_ELSEWHERE = {
    "__main__.py": "tests/test_own_features_e2e.py (python -m carecheck run) and tests/test_wheel_e2e.py (--version)",
    "auth/configure.py": "tests/auth/test_providers.py (every auth type against the real token endpoint)",
    "auth/discovery.py": "tests/auth/test_providers.py",
    "checks/finding.py": "tests/checks/* (every check's findings)",
    "config/profile.py": "tests/config/test_load.py (every field through loading)",
    "errors.py": "tests/test_cli.py (each error's exit code and line)",
    "http/interaction.py": "tests/checks/* and tests/evidence/test_rejudge.py (recorded and rebuilt)",
    "pack_commands.py": "tests/test_cli.py (rejudge, compare, verify), tests/test_baseline_e2e.py, tests/report/test_allure_site.py and test_index.py, tests/test_wheel_e2e.py",
    "plugin.py": "tests/test_cli.py and every end-to-end run",
    "project.py": "every test reading carecheck's data, and tests/test_wheel_e2e.py (an installed wheel)",
    "refserver/params/clinical.py": "tests/refserver/test_query.py and test_sql.py (each parameter matching and not)",
    "refserver/params/entities.py": "tests/refserver/test_query.py and test_sql.py",
    "refserver/params/medication.py": "tests/refserver/test_query.py and test_sql.py",
    "refserver/seed/chart.py": "tests/refserver/seed/test_clinical.py",
    "refserver/seed/medicines.py": "tests/refserver/seed/test_clinical.py and test_seed.py",
    "baseline/replay.py": "tests/test_baseline_e2e.py (a recorded baseline replayed: holding, failing, not named)",
    "probe/tls.py": "tests/probe/test_security.py and tests/test_security_e2e.py (TLS runs against good and weak servers)",
    "run/context.py": "tests/run/test_owner.py and tests/test_cli.py (the facts and writer of real runs)",
    "run/probes.py": "tests/test_security_e2e.py, tests/test_write_probes_e2e.py and tests/test_baseline_e2e.py",
    "run/pytest_process.py": "tests/run/test_owner.py (the facts handed over, serially and to two workers)",
    "run/scenario.py": "tests/test_cli.py and tests/evidence/test_rejudge.py (outcomes of real runs)",
    "run/server.py": "tests/test_cli.py (the embedded default target)",
    "run/session.py": "tests/test_cli.py and tests/run/test_owner.py (single, multi-target, -n, suites, interruption)",
    "testdata/known.py": "tests/testdata/test_discover.py",
}
GRAB_BAGS = {"utils", "helpers", "common", "misc"}
HARNESS_MAY_REACH_THE_SERVER = {"run/server.py", "cli.py"}


def _isort_order(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: the order ruff's RUF022 keeps `__all__` in."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(part for part in parts if part != "__init__")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    return found + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_is_documented_small_and_declares_its_surface(path: Path) -> None:
    module = importlib.import_module(_module_name(path))
    assert module.__doc__ and module.__doc__.strip(), "a module says what it is for"
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400 or "Size:" in module.__doc__
    exported = list(getattr(module, "__all__", ["<missing>"]))
    assert exported == sorted(exported, key=_isort_order), "__all__ in CONSTANTS, Classes, functions order"
    assert all(hasattr(module, name) for name in exported)
    assert path.stem not in GRAB_BAGS
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0], "absolute imports only"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_the_reference_server_and_the_harness_stay_independent(path: Path) -> None:
    relative = str(path.relative_to(SOURCE))
    imported = _imports(path)
    if relative.startswith("refserver/"):
        harness = [
            name for name in imported if name.startswith("carecheck.") and not name.startswith(("carecheck.refserver", "carecheck.project", "carecheck.errors"))
        ]
        assert not harness, f"the reference server imports the harness: {harness}"
    elif relative not in HARNESS_MAY_REACH_THE_SERVER:
        assert not [name for name in imported if name.startswith("carecheck.refserver")]


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__init__.py"], ids=[i for i in IDS if not i.endswith("__init__.py")])
def test_every_module_has_its_tests(path: Path) -> None:
    relative = path.relative_to(SOURCE)
    mirror = TESTS.joinpath(*relative.parts[:-1], f"test_{path.stem}.py")
    assert mirror.is_file() or str(relative) in TESTED_ELSEWHERE, f"no {mirror.relative_to(TESTS.parent)}"


def test_the_exemptions_are_still_needed() -> None:
    stale = [
        name for name in TESTED_ELSEWHERE if not (SOURCE / name).is_file() or TESTS.joinpath(*Path(name).parts[:-1], f"test_{Path(name).stem}.py").is_file()
    ]
    assert not stale


ARCHITECTURE = TESTS.parent / "docs" / "architecture.md"


def test_the_architecture_document_names_every_package_and_no_module_cites_a_document_outside_the_repository() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    packages = sorted(path.name for path in SOURCE.iterdir() if path.is_dir() and not path.name.startswith("__"))
    assert [name for name in packages if f"`{name}/`" not in text] == []
    citing = [
        str(path.relative_to(TESTS.parent))
        for path in [*SOURCE.rglob("*.py"), *TESTS.rglob("*.py")]
        if re.search(r"DESIGN(\.md)? ?§", path.read_text(encoding="utf-8"))
    ]
    assert citing == []
    for section in re.findall(r'docs/architecture\.md, "([^"]+)"', "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))):
        assert section.lower() in text.lower(), f"docs/architecture.md has no {section!r}"
