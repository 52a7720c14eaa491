"""Tests for the carecheck.fhir package as a whole: public surface, independence, module hygiene."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import carecheck.fhir

PACKAGE = Path(carecheck.fhir.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
TESTS = Path(__file__).parent


def _isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_public_surface_is_sorted_and_exported() -> None:
    exported = carecheck.fhir.__all__
    assert exported == sorted(exported, key=_isort_order)
    for name in exported:
        assert getattr(carecheck.fhir, name) is not None


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_never_imports_the_reference_server(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(("carecheck.refserver", "carecheck.checks"))]


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_is_small_documented_declares_its_exports_and_has_tests(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400
    name = "carecheck.fhir" if path.stem == "__init__" else f"carecheck.fhir.{path.stem}"
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.strip()
    assert list(module.__all__) == sorted(module.__all__, key=_isort_order)
    if path.stem != "__init__":
        assert (TESTS / f"test_{path.stem}.py").is_file()
