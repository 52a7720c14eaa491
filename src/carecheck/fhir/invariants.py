"""Profile invariants (``constraint.expression``) compiled once with fhirpathpy's STU3 model and run per element.

Expressions fhirpathpy cannot parse or run (``htmlchecks()``, ``resolve()``) compile to an invariant without an
``evaluate`` function and are counted as skipped. ``ele-1`` and ``ext-1``, which sit on almost every element,
are checked natively (empty elements in ``carecheck.fhir.structure``, extension value-or-children here).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import fhirpathpy
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from carecheck.fhir.rules import Invariant

__all__ = ["NATIVE_KEYS", "compile_invariant", "extension_shape_problem", "violates"]

NATIVE_KEYS = frozenset({"ele-1", "ext-1"})
_MODEL = models["stu3"]
_OPTIONS = {"traceFn": lambda *_: None}


@cache
def compile_invariant(key: str, severity: str, human: str, expression: str) -> Invariant:
    """The constraint with its expression compiled (once per distinct constraint), ``evaluate`` None if unsupported."""
    evaluate = None
    if expression:
        try:
            candidate = fhirpathpy.compile(expression, _MODEL, _OPTIONS)
            candidate({}, {"resource": {}})
            evaluate = candidate
        except Exception:  # fhirpathpy raises a bare Exception for functions it lacks
            evaluate = None
    return Invariant(key, severity, human, expression, evaluate)


def violates(invariant: Invariant, item: Any, type_path: str, resource: dict[str, Any]) -> bool:
    """Whether ``item`` (an element of type ``type_path``) makes the invariant false; unknown counts as no."""
    if invariant.evaluate is None:
        return False
    try:
        result = invariant.evaluate(ResourceNode.create_node(item, type_path), {"resource": resource})
    except Exception:  # an expression that fails on odd data is not the resource's fault
        return False
    return result == [False]


def extension_shape_problem(extension: dict[str, Any]) -> str | None:
    """ext-1: an extension has nested extensions or a value, not both and not neither."""
    has_value = any(key.startswith("value") for key in extension)
    has_children = bool(extension.get("extension"))
    if has_value == has_children:
        found = "both a value and nested extensions" if has_value else "neither a value nor nested extensions"
        return f"ext-1: an extension must have either extensions or a value[x], not both (it has {found})"
    return None
