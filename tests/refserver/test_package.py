"""Tests for the carecheck.refserver package as a whole: public surface, independence, module hygiene."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import carecheck.refserver

PACKAGE = Path(carecheck.refserver.__file__).parent
MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "security" not in path.relative_to(PACKAGE).parts)
"""Every module of the package, subpackages included (``security`` has its own tests)."""
FORBIDDEN = ("carecheck.search", "carecheck.checks", "carecheck.fhir", "carecheck.http")


def test_public_surface_is_sorted_and_exported() -> None:
    exported = carecheck.refserver.__all__
    assert exported == sorted(exported) == ["EmbeddedServer", "SecuritySettings", "ServerTls", "create_app", "serve"]
    for name in exported:
        assert getattr(carecheck.refserver, name).__module__.startswith("carecheck.refserver.")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("carecheck.refserver", *(part for part in parts if part != "__init__")))


IDS = [str(path.relative_to(PACKAGE)) for path in MODULES]


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_is_independent_of_the_harness_oracle_and_checks(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(FORBIDDEN)]
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0]


def _isort_order(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: the order ruff's RUF022 keeps ``__all__`` in."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_is_small_documented_and_declares_its_exports(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400
    module = importlib.import_module(_module_name(path))
    assert module.__doc__ and module.__doc__.strip()
    assert list(module.__all__) == sorted(module.__all__, key=_isort_order)
    assert all(hasattr(module, name) for name in module.__all__)
