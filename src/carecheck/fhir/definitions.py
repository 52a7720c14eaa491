"""The STU3 element table: which elements each resource and data type has, which repeat, and their types.

Read from ``data/fhir-stu3/elements.json``, a compact form of the STU3 StructureDefinitions (see that
folder's SOURCES.md). The XML reader uses it to decide arrays and primitive types; the structural checks use
it to know which JSON type each primitive must have.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from types import MappingProxyType
from typing import Any

from carecheck.project import data_path

__all__ = ["Child", "Scope", "child_elements", "is_primitive", "is_resource_type", "primitive_json_type"]

Scope = tuple[str, str]
"""Where an element's children are defined: (type name, path inside that type; ``""`` for the type itself)."""

_CONTAINERS = ("BackboneElement", "Element")


@dataclass(frozen=True)
class Child:
    """One JSON property allowed in a scope: its element name, whether it repeats, its type and its own scope."""

    name: str
    element: str
    repeats: bool
    type: str
    scope: Scope | None

    @cached_property
    def primitive(self) -> bool:
        return is_primitive(self.type)


@cache
def _types() -> dict[str, dict[str, Any]]:
    with data_path("fhir-stu3", "elements.json").open(encoding="utf-8") as file:
        types: dict[str, dict[str, Any]] = json.load(file)["types"]
    return types


def is_primitive(type_code: str) -> bool:
    """Whether a type code names an STU3 primitive type (``boolean``, ``code``, ``xhtml``...)."""
    entry = _types().get(type_code)
    return entry is not None and entry["kind"] == "primitive-type"


def is_resource_type(name: str) -> bool:
    """Whether ``name`` is a concrete STU3 resource type."""
    entry = _types().get(name)
    return entry is not None and entry["kind"] == "resource" and name not in ("Resource", "DomainResource")


def primitive_json_type(type_code: str) -> str:
    """The JSON type a primitive takes: ``boolean``, ``integer``, ``number`` or ``string``."""
    return str(_types()[type_code]["json"])


def _child_scope(owner: str, relative: str, kind: str | list[str], table: dict[str, Any]) -> Scope | None:
    if isinstance(kind, str):
        type_name, _, path = kind.lstrip("#").partition(".")
        return (type_name, path)
    if len(kind) == 1 and kind[0] in _CONTAINERS and any(key.startswith(relative + ".") for key in table):
        return (owner, relative)
    if len(kind) == 1 and kind[0] in _types() and not is_primitive(kind[0]) and kind[0] != "Resource":
        return (kind[0], "")
    return None


@cache
def child_elements(scope: Scope) -> Mapping[str, Child]:
    """The JSON properties allowed directly under ``scope``, choice elements expanded (``valueString``...)."""
    owner, prefix = scope
    entry = _types().get(owner)
    if entry is None or "elements" not in entry:
        return MappingProxyType({})
    table: dict[str, Any] = entry["elements"]
    start = prefix + "." if prefix else ""
    children: dict[str, Child] = {}
    for relative, (maximum, kind) in table.items():
        name = relative[len(start) :]
        if not relative.startswith(start) or "." in name:
            continue
        repeats = maximum != "1"
        if isinstance(kind, str):
            target = _resolve_reference(kind)
            children[name] = Child(name, name, repeats, target[0], _child_scope(owner, relative, kind, table))
        elif name.endswith("[x]"):
            stem = name[:-3]
            for code in kind:
                concrete = stem + code[0].upper() + code[1:]
                children[concrete] = Child(concrete, name, repeats, code, _child_scope(owner, relative, [code], table))
        else:
            code = kind[0] if kind else "Element"
            children[name] = Child(name, name, repeats, code, _child_scope(owner, relative, kind, table))
    return MappingProxyType(children)


def _resolve_reference(reference: str) -> tuple[str, str]:
    """The type code of the element a ``contentReference`` (``#Questionnaire.item``) points at."""
    owner, _, path = reference.lstrip("#").partition(".")
    kind = _types()[owner]["elements"][path][1]
    return (kind[0] if isinstance(kind, list) and kind else "BackboneElement", path)
