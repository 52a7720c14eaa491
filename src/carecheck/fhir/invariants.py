"""Profile invariants (``constraint.expression``) compiled once with fhirpathpy's STU3 model and run per element.

Expressions fhirpathpy cannot parse or run (``htmlchecks()``, ``resolve()``) compile to an invariant without an
``evaluate`` function and are counted as skipped. ``ele-1`` and ``ext-1``, which sit on almost every element,
are checked natively (empty elements in ``carecheck.fhir.structure``, extension value-or-children here).

Evaluating FHIRPath is most of the cost of validation, so each verdict is fhirpathpy's own, reached the
cheapest sound way: an expression that reads the item only through named elements (see
``carecheck.fhir.invariant_reads``) is evaluated on just those elements, once per distinct content
(``per-1`` on a Period without ``end`` is one case, however many such Periods there are); and the two
invariants that read ``%resource`` have a shape under which FHIRPath's own rules make them hold without it
(``_HOLDS_WITHOUT_EVALUATION``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any

import fhirpathpy
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from carecheck.fhir.invariant_reads import read_keys
from carecheck.fhir.rules import Invariant

__all__ = ["NATIVE_KEYS", "compile_invariant", "evaluated", "extension_shape_problem", "violates"]

NATIVE_KEYS = frozenset({"ele-1", "ext-1"})
_MODEL = models["stu3"]
_OPTIONS = {"traceFn": lambda *_: None}
_DISTINCT_CASES = 16_384
"""Verdicts kept by (invariant, type, content of the elements it reads)."""


def _not_a_local_reference(item: Mapping[str, Any]) -> bool:
    """ref-1 holds: ``reference.startsWith('#').not()`` is true (a reference not starting with '#'), and
    ``true or X`` is true whatever X is; or there is no reference, so both sides are empty and so is the result."""
    reference = item.get("reference")
    return "_reference" not in item and ((reference is None and "reference" not in item) or (isinstance(reference, str) and not reference.startswith("#")))


def _nothing_contained(item: Mapping[str, Any]) -> bool:
    """dom-3 holds: with no ``contained``, ``contained.where(...)`` is empty (its argument is never evaluated)."""
    return "contained" not in item and "_contained" not in item


_HOLDS_WITHOUT_EVALUATION: Mapping[str, Callable[[Mapping[str, Any]], bool]] = {
    "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids'))": _not_a_local_reference,
    "contained.where(('#'+id in %resource.descendants().reference).not()).empty()": _nothing_contained,
}
"""Invariants reading ``%resource`` (by their exact STU3 expression), with the item shapes that make them hold."""


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
    """Whether ``item`` (an element of type ``type_path``) makes the invariant false; unknown counts as no.

    The same verdict as ``evaluated``, reached without evaluating where that is sound (see the module's doc).
    """
    if invariant.evaluate is None:
        return False
    if isinstance(item, dict):
        holds = _HOLDS_WITHOUT_EVALUATION.get(invariant.expression)
        if holds is not None and holds(item):
            return False
        keys = read_keys(invariant.expression)
        if keys is not None:
            try:
                # in the item's own key order, so the evaluation below sees the elements exactly as they are
                read = json.dumps({k: v for k, v in item.items() if keys.fullmatch(k)}, allow_nan=False)
            except (TypeError, ValueError):  # not plain JSON content: evaluate it as it is
                return evaluated(invariant, item, type_path, resource)
            return _violated_by(invariant, type_path, read)
    return evaluated(invariant, item, type_path, resource)


@lru_cache(maxsize=_DISTINCT_CASES)
def _violated_by(invariant: Invariant, type_path: str, read: str) -> bool:
    """The verdict on an item holding just ``read`` (JSON): the same as on any item agreeing on those elements."""
    return evaluated(invariant, json.loads(read), type_path, {})


def evaluated(invariant: Invariant, item: Any, type_path: str, resource: dict[str, Any]) -> bool:
    """Whether fhirpathpy finds ``item`` makes the invariant false, evaluating it in full; unknown counts as no."""
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
