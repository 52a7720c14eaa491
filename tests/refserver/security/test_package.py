"""Tests for the carecheck.refserver.security package as a whole: public surface, independence, module hygiene."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import carecheck.refserver.security

PACKAGE = Path(carecheck.refserver.security.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
FORBIDDEN = ("carecheck.search", "carecheck.checks", "carecheck.fhir", "carecheck.http", "carecheck.auth")


def test_public_surface_is_sorted_and_exported() -> None:
    exported = carecheck.refserver.security.__all__
    assert exported == sorted(exported) == ["Client", "SecuritySettings", "StrictTransport", "capability_security", "secure"]
    for name in exported:
        assert getattr(carecheck.refserver.security, name).__module__.startswith("carecheck.refserver.security.")


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_is_independent_of_the_harness_and_of_the_reference_app(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(FORBIDDEN)]
    # The reference app imports this package, so this package must not import it back.
    assert not [name for name in imported if name in ("carecheck.refserver", "carecheck.refserver.app")]
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0]


def _isort_order(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: the order ruff's RUF022 keeps ``__all__`` in."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_is_small_documented_and_declares_its_exports(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400
    name = "carecheck.refserver.security"
    module = importlib.import_module(name if path.stem == "__init__" else f"{name}.{path.stem}")
    assert module.__doc__ and module.__doc__.strip()
    assert list(module.__all__) == sorted(module.__all__, key=_isort_order)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_neither_logs_nor_prints(path: Path) -> None:
    """Tokens, secrets and keys pass through this package: nothing of it goes to a log or the console."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert "print" not in calls
    assert "logging" not in modules
