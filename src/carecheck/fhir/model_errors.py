"""fhir.resources (pydantic) validation errors in plain words: what is wrong, where, and what STU3 expects.

The library's own text (``Input should be a valid list``, ``…but got type <class 'list'>``, ``spec regex``)
never reaches a message: each error is explained from its kind, the value found and the STU3 definition of
the element at its location (``data/fhir-stu3/elements.json``, through ``definitions``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carecheck.fhir.definitions import Child, Scope, child_elements, is_primitive, primitive_json_type

__all__ = ["Explained", "describe_value", "expected_form", "explain"]

_FORMS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "unsignedInt": "a whole number, 0 or more",
    "positiveInt": "a whole number, 1 or more",
    "decimal": "a decimal number",
    "string": "a non-empty string",
    "markdown": "a non-empty string (markdown)",
    "code": "a code: no leading or trailing whitespace, no double spaces",
    "id": "1 to 64 letters, digits, '-' and '.'",
    "uri": "a URI",
    "oid": "an OID URI (urn:oid:1.2.3…)",
    "uuid": "a UUID URI (urn:uuid:…)",
    "base64Binary": "base64-encoded bytes",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date",
    "dateTime": "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff] with a time zone (Z or ±hh:mm), a real calendar date",
    "instant": "YYYY-MM-DDThh:mm:ss[.fff] with a time zone (Z or ±hh:mm)",
    "time": "hh:mm:ss[.fff]",
    "xhtml": "an XHTML <div>",
}
_JSON_KINDS = {"string": "a string", "boolean": "true or false", "integer": "a whole number", "number": "a number"}
_SHOWN = 40


@dataclass(frozen=True)
class Explained:
    """One library error explained: the element's FHIRPath-like location and the message."""

    location: str
    message: str


def describe_value(value: Any) -> str:
    """A value found in a resource, as a tester reads it: ``the string "ward"``, ``2 values``, ``an object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."
        return f'the string "{shown}"'
    if isinstance(value, list):
        return "no value (an empty list)" if not value else "1 value in a list" if len(value) == 1 else f"{len(value)} values"
    if isinstance(value, dict):
        names = ", ".join(sorted(str(key) for key in value)[:4])
        return f"an element with {names}" if names else "an empty element"
    return "a value of an unknown kind"


def expected_form(type_code: str) -> str:
    """What STU3 expects of a type, for messages: ``a date (YYYY, YYYY-MM or YYYY-MM-DD…)``, ``a CodeableConcept (…)``."""
    if type_code == "Resource":
        return "one resource"
    article = "an" if type_code[:1].lower() in "aeiou" else "a"
    if type_code in _FORMS:
        return f"{article} {type_code} ({_FORMS[type_code]})"
    if is_primitive(type_code):
        return f"{article} {type_code} ({_JSON_KINDS.get(primitive_json_type(type_code), 'a single value')})"
    return f"{article} {type_code} (an element with its own elements)"


def explain(detail: Mapping[str, Any], resource: Mapping[str, Any]) -> Explained:
    """One entry of ``ValidationError.errors()`` for ``resource``, explained (location and message)."""
    resource_type = str(resource.get("resourceType", ""))
    steps = [step for step in detail.get("loc", ()) if step != "root"]
    location = _location(resource_type, steps)
    child, owner = _element_at(resource, steps)
    kind = str(detail.get("type", ""))
    found = describe_value(detail.get("input"))
    name = str(steps[-1]) if steps and isinstance(steps[-1], str) else ""
    if kind == "extra_forbidden":
        return Explained(location, f"unknown element: STU3 {owner or resource_type} has no element '{name}'")
    if kind in ("missing", "model_field_validation.missing"):
        return Explained(location, f"required element missing: STU3 requires {name or 'this element'} (cardinality 1..)")
    if kind == "value_error" and "got multiple" in str(detail.get("msg", "")):
        return _several_choices(location, detail.get("input"), child.scope if child is not None else (resource_type, ""))
    if child is None:
        return Explained(location, f"not readable as STU3: found {found}")
    return Explained(location, _wrong_value(kind, child, detail, found))


def _wrong_value(kind: str, child: Child, detail: Mapping[str, Any], found: str) -> str:
    """Why a value does not fit the element ``child``; STU3's expectation is always said."""
    value = detail.get("input")
    expected = expected_form(child.type)
    if isinstance(value, list) and not child.repeats:
        return f"found {found} where STU3 allows at most one {child.type} ({child.element} does not repeat)"
    if kind == "list_type" or (child.repeats and not isinstance(value, list) and kind.endswith("_type")):
        return f"{child.element} repeats in STU3, so it is a list of {child.type}; found a single value, {found}"
    if not child.primitive and not isinstance(value, dict):
        return f"found {found} where STU3 expects {expected}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{found} is out of range: STU3 expects {expected}"
    if kind == "string_too_short":
        return f"an empty string: STU3 expects {expected}; leave the element out instead"
    return f"{found} is not valid here: STU3 expects {expected}"


def _several_choices(location: str, value: Any, scope: Scope | None) -> Explained:
    """A choice element (``value[x]``) given in more than one type at once."""
    children = child_elements(scope) if scope is not None else {}
    groups: dict[str, list[str]] = {}
    for key in value if isinstance(value, dict) else ():
        child = children.get(key)
        if child is not None and child.element.endswith("[x]"):
            groups.setdefault(child.element, []).append(key)
    element, keys = next(((name, keys) for name, keys in groups.items() if len(keys) > 1), ("value[x]", []))
    shown = ", ".join(sorted(keys)) or "several types"
    return Explained(f"{location}.{element}", f"carries {shown}: STU3 allows {element} in one type only")


def _location(resource_type: str, steps: Sequence[Any]) -> str:
    parts = [resource_type or "Resource"]
    for step in steps:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif step == "resource_type":
            parts.append(".resourceType")
        else:
            parts.append(f".{step}")
    return "".join(parts)


def _element_at(resource: Mapping[str, Any], steps: Sequence[Any]) -> tuple[Child | None, str]:
    """The STU3 definition of the element the steps lead to, and the type that owns it (for messages)."""
    owner = str(resource.get("resourceType", ""))
    scope: Scope | None = (owner, "")
    value: Any = resource
    child: Child | None = None
    for step in steps:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and 0 <= step < len(value) else None
            continue
        if scope is None:
            return None, owner
        owner = f"{scope[0]}.{scope[1]}" if scope[1] else scope[0]
        name = str(step)
        child = child_elements(scope).get(name.removeprefix("_"))
        if child is None:
            return None, owner
        value = value.get(name) if isinstance(value, dict) else None
        if name.startswith("_"):
            child, scope = None, ("Element", "")
            continue
        item = value[0] if isinstance(value, list) and value else value
        if child.type == "Resource" and isinstance(item, dict):
            scope = (str(item.get("resourceType", "")), "")
        else:
            scope = child.scope
    return child, owner
