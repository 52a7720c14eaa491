"""Tests for the carecheck.report package as a whole: public surface and module hygiene."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import carecheck.report

PACKAGE = Path(carecheck.report.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
TESTS = Path(__file__).parent
EXEMPT: frozenset[str] = frozenset()


def _isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_public_surface_is_sorted_and_exported() -> None:
    exported = carecheck.report.__all__
    assert exported == sorted(exported, key=_isort_order)
    for name in exported:
        assert getattr(carecheck.report, name) is not None


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_is_small_documented_declares_its_exports_and_has_tests(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400
    name = "carecheck.report" if path.stem == "__init__" else f"carecheck.report.{path.stem}"
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.strip()
    assert list(module.__all__) == sorted(module.__all__, key=_isort_order)
    if path.stem not in ("__init__", *EXEMPT):
        assert (TESTS / f"test_{path.stem}.py").is_file()
