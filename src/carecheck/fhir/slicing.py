"""Slicing: the value each slice fixes for its discriminators, and which slice an instance item belongs to.

Only ``value`` and ``pattern`` discriminators occur in the Care Connect profiles (identifier ``system``,
coding ``system``, name ``use``, extension ``url``). An extension slice's ``url`` comes from the extension
definition it names when the slice does not fix ``url`` itself (the FHIR rule for extension slicing).
"""

from __future__ import annotations

from typing import Any

from carecheck.fhir.rules import ElementRule, Slice, Slicing

__all__ = ["contains_pattern", "discriminator_value", "slice_for", "values_at"]


def discriminator_value(rule: ElementRule, path: str) -> Any:
    """The value the slice ``rule`` fixes (or patterns) at the discriminator ``path``; None when it fixes none."""
    node: ElementRule | None = rule
    for step in path.split("."):
        node = node.child(step) if node is not None else None
    if node is not None:
        value = node.fixed if node.fixed is not None else node.pattern
        if value is not None:
            return value
    return rule.extension_profile if path == "url" else None


def values_at(item: Any, path: str) -> list[Any]:
    """The values found by following ``path`` (dot-separated JSON properties) into ``item``, arrays flattened."""
    found = [item]
    for step in path.split("."):
        following: list[Any] = []
        for value in found:
            inner = value.get(step) if isinstance(value, dict) else None
            if isinstance(inner, list):
                following.extend(inner)
            elif inner is not None:
                following.append(inner)
        found = following
    return found


def contains_pattern(value: Any, pattern: Any) -> bool:
    """FHIR ``pattern[x]`` semantics: every property of the pattern is present (recursively) in the value."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(contains_pattern(value.get(k), v) for k, v in pattern.items())
    if isinstance(pattern, list):
        items = value if isinstance(value, list) else []
        return all(any(contains_pattern(item, wanted) for item in items) for wanted in pattern)
    return bool(value == pattern)


def _matches(item: Any, piece: Slice) -> bool:
    for path, expected in piece.values:
        if expected is None or not any(contains_pattern(found, expected) for found in values_at(item, path)):
            return False
    return bool(piece.values)


def slice_for(item: Any, slicing: Slicing) -> Slice | None:
    """The first slice whose discriminator values ``item`` carries, None when it belongs to none."""
    return next((piece for piece in slicing.slices if _matches(item, piece)), None)
