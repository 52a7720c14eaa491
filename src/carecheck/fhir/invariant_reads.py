"""Which element names a FHIRPath invariant reads from the item it is checked on, found from its parse tree.

An expression such as ``start.empty() or end.empty() or (start <= end)`` reads the item only through the
names ``start`` and ``end``: fhirpathpy looks up ``start``, ``_start`` and, for a choice element, ``start``
followed by a type name (``valueQuantity`` for ``value``), and nothing else. Two items that agree on those
keys therefore get the same verdict, which lets ``carecheck.fhir.invariants`` judge each distinct case once.

The analysis answers None (reads more than named elements) for anything it does not recognise, and for
every form that can see beyond those names: an environment variable other than the ``%ucum`` constant
(``%resource``), ``$this`` or a function applied to the item itself (``exists()``, ``where(...)``,
``descendants()``), a type name as the first step (``Patient.name``), the clock (``now()``), and a function
argument that is not a literal, except the per-item expressions of ``where``, ``select``, ``all``, ``exists`` and ``repeat``, which
only ever see the items reached through a name.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from fhirpathpy.parser import parse

__all__ = ["read_keys"]

_PER_ITEM = frozenset({"where", "select", "all", "exists", "repeat"})
"""Functions whose argument is evaluated once per input item, with that item as its focus (``Expr`` in fhirpathpy)."""
_CONSTANTS = frozenset({"ucum"})
"""Environment variables that are constants, the same for every item."""
_TYPE_ARGUMENTS = frozenset({"is", "as", "ofType"})
"""Functions whose argument is a type name, read as text."""
_CLOCK = frozenset({"now", "today", "timeOfDay"})
"""Functions whose answer changes with time, not with the item."""
_SAME_FOCUS = frozenset(
    {
        "TermExpression",
        "ParenthesizedTerm",
        "PolarityExpression",
        "IndexerExpression",
        "MultiplicativeExpression",
        "AdditiveExpression",
        "UnionExpression",
        "InequalityExpression",
        "EqualityExpression",
        "MembershipExpression",
        "TypeExpression",
        "AndExpression",
        "OrExpression",
        "XorExpression",
        "ImpliesExpression",
    }
)
"""Expressions whose operands are all evaluated against the same focus as the expression itself."""


class _ReadsMore(Exception):
    """The expression can read more of the item, or of its surroundings, than named elements."""


@cache
def read_keys(expression: str) -> re.Pattern[str] | None:
    """A pattern matching every JSON key of the item that ``expression`` can read; None when it can read more.

    A name ``code`` covers the keys ``code`` and ``_code``, and ``codeX``/``_codeX`` for any type name ``X``
    (a choice element's concrete keys): a superset of what fhirpathpy reads, never less.
    """
    names: set[str] = set()
    try:
        tree = parse(expression)
        _expression(tree["children"][0], True, names)
    except _ReadsMore:
        return None
    except Exception:  # an expression fhirpathpy cannot parse is never evaluated anyway
        return None
    alternatives = "|".join(sorted(re.escape(name) for name in names)) or "(?!)"
    return re.compile(rf"_?(?:{alternatives})(?:[A-Z]\w*)?")


def _expression(node: dict[str, Any], at_item: bool, names: set[str]) -> None:
    """Collect the names ``node`` reads from the item (``at_item``: its focus is the item being judged)."""
    kind = node.get("type")
    children: list[dict[str, Any]] = node.get("children") or []
    if kind == "InvocationExpression" and len(children) == 2:
        _expression(children[0], at_item, names)
        _invocation(children[1], at_item, names, chained=True)
    elif kind == "InvocationTerm" and len(children) == 1:
        _invocation(children[0], at_item, names, chained=False)
    elif kind == "ExternalConstantTerm":
        if _external_name(node) not in _CONSTANTS:
            raise _ReadsMore
    elif kind == "LiteralTerm":
        return
    elif kind in _SAME_FOCUS:
        for child in children:
            if child.get("type") != "TypeSpecifier":
                _expression(child, at_item, names)
    else:
        raise _ReadsMore


def _invocation(node: dict[str, Any], at_item: bool, names: set[str], *, chained: bool) -> None:
    """A member, function or ``$this`` step; ``chained`` when it applies to what the step before it found."""
    kind = node.get("type")
    if kind == "MemberInvocation":
        if not chained and at_item:
            name = str(node["children"][0].get("text", "")).strip("`")
            if not name[:1].islower():  # a type name (``Patient.name``) stands for the item itself
                raise _ReadsMore
            names.add(name)
        return
    if kind == "FunctionInvocation":
        function = node["children"][0]
        parts = function.get("children") or []
        name = str(parts[0].get("text", "")) if parts else ""
        if (not chained and at_item) or name in _CLOCK:  # exists(), where(...)... of the item itself; now()
            raise _ReadsMore
        arguments = parts[1].get("children") or [] if len(parts) > 1 else []
        for argument in arguments:
            if name in _PER_ITEM:
                _expression(argument, False, names)
            elif name not in _TYPE_ARGUMENTS and not _literal(argument):
                raise _ReadsMore
        return
    if kind in ("ThisInvocation", "IndexInvocation", "TotalInvocation") and not at_item:
        return
    raise _ReadsMore


def _literal(node: dict[str, Any]) -> bool:
    while node.get("type") == "TermExpression" and len(node.get("children") or []) == 1:
        node = node["children"][0]
    return node.get("type") == "LiteralTerm"


def _external_name(node: dict[str, Any]) -> str:
    try:
        return str(node["children"][0]["children"][0]["text"]).strip("`")
    except (KeyError, IndexError):
        raise _ReadsMore from None
