"""Structural validation against the STU3 base definitions: fhir.resources models plus the JSON rules they miss.

``fhir.resources.STU3`` finds unknown elements, wrong shapes, bad primitive formats and missing 1..1 elements,
but accepts a string where a boolean or number is due, ``null`` values and empty objects or arrays, and raises
``KeyError`` rather than a validation error for an unknown resource type (dependencies-probed §1.2). This module
turns all of that into issues, never exceptions.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.STU3 import get_fhir_model_class
from pydantic import ValidationError

from carecheck.fhir.definitions import Child, Scope, child_elements, is_resource_type, primitive_json_type
from carecheck.fhir.issues import Issue, RuleKind, Severity, prefixed
from carecheck.fhir.model_errors import describe_value, expected_form, explain

__all__ = ["json_issues", "model_issues", "structural_issues"]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
}
_ELEMENT: Scope = ("Element", "")
_UNKNOWN_TYPE = "is not an STU3 resource type"


def structural_issues(resource: dict[str, Any]) -> list[Issue]:
    """Everything wrong with ``resource`` against the STU3 base definitions, JSON rules first."""
    found = json_issues(resource)
    if any(issue.message.endswith(_UNKNOWN_TYPE) for issue in found) and resource.get("resourceType") != "Bundle":
        return found
    seen = {issue.location for issue in found}
    return found + [issue for issue in model_issues(resource) if issue.location not in seen]


def model_issues(resource: dict[str, Any]) -> list[Issue]:
    """The fhir.resources verdict on ``resource`` as issues with FHIRPath-like locations.

    A Bundle's entries are validated one by one, so one entry of an unknown type (which makes the library
    raise ``KeyError``) does not hide what is wrong with the others.
    """
    resource_type = str(resource.get("resourceType", ""))
    entries = resource.get("entry")
    if resource_type != "Bundle" or not isinstance(entries, list):
        return _model_verdict(resource, resource_type)
    shell = [{k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries]
    found = _model_verdict({**resource, "entry": shell}, resource_type)
    for index, entry in enumerate(entries):
        inner = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(inner, dict):
            root = str(inner.get("resourceType", ""))
            found += prefixed(model_issues(inner), root or "Resource", f"Bundle.entry[{index}].resource")
    return found


def _model_verdict(resource: dict[str, Any], resource_type: str) -> list[Issue]:
    try:
        model = get_fhir_model_class(resource_type)
    except (KeyError, ValueError):
        return [_issue(resource_type or "Resource", f"{resource_type!r} {_UNKNOWN_TYPE}", resource_type)]
    try:
        model.model_validate(resource)
    except ValidationError as error:
        explained = [explain(detail, resource) for detail in error.errors(include_url=False)]
        return [_issue(item.location, item.message, resource_type) for item in explained]
    except (KeyError, ValueError, TypeError):
        return [_issue(resource_type, f"the resource cannot be read as an STU3 {resource_type}: its elements do not have the STU3 shapes", resource_type)]
    return []


def _issue(location: str, message: str, resource_type: str) -> Issue:
    return Issue(Severity.ERROR, RuleKind.STRUCTURE, location, message, resource_type)


def json_issues(resource: dict[str, Any]) -> list[Issue]:
    """FHIR JSON rules fhir.resources does not enforce: JSON types of primitives, nulls, empty objects and arrays."""
    found: list[Issue] = []
    resource_type = str(resource.get("resourceType", ""))
    if is_resource_type(resource_type):
        _walk(resource, (resource_type, ""), resource_type, resource_type, found)
    return found


def _walk(value: dict[str, Any], scope: Scope, location: str, resource_type: str, found: list[Issue]) -> None:
    if not value:
        found.append(_issue(location, "empty object: an element must have a value or children", resource_type))
        return
    children = child_elements(scope)
    for key, item in value.items():
        if key.startswith("_"):
            child = children.get(key[1:])
            if child is not None and child.primitive:
                _walk_extras(item, f"{location}.{key}", resource_type, found)
            continue
        child = children.get(key)
        if child is None:
            continue
        if isinstance(item, list):
            if not item:
                found.append(_issue(f"{location}.{key}", "empty array: leave the element out instead", resource_type))
            extras = value.get("_" + key)
            for index, entry in enumerate(item):
                aligned = isinstance(extras, list) and index < len(extras) and extras[index] is not None
                _check(entry, child, f"{location}.{key}[{index}]", resource_type, found, null_ok=aligned)
        else:
            _check(item, child, f"{location}.{key}", resource_type, found, null_ok=False)


def _check(item: Any, child: Child, location: str, resource_type: str, found: list[Issue], *, null_ok: bool) -> None:
    if item is None:
        if not null_ok:
            found.append(_issue(location, "null value: leave the element out instead", resource_type))
        return
    if child.primitive:
        expected = primitive_json_type(child.type)
        if (isinstance(item, bool) and expected != "boolean") or not isinstance(item, _JSON_TYPES[expected]):
            message = f"found {describe_value(item)} where STU3 expects {expected_form(child.type)}, written as a JSON {expected}"
            found.append(_issue(location, message, resource_type))
        elif isinstance(item, str) and not item.strip():
            found.append(_issue(location, "empty or blank string: leave the element out instead", resource_type))
        return
    if not isinstance(item, dict):
        return
    if child.type == "Resource":
        embedded = str(item.get("resourceType", ""))
        if not is_resource_type(embedded):
            found.append(_issue(location, f"{embedded!r} {_UNKNOWN_TYPE}", embedded or resource_type))
            return
        _walk(item, (embedded, ""), location, embedded, found)
    elif child.scope is not None:
        _walk(item, child.scope, location, resource_type, found)


def _walk_extras(item: Any, location: str, resource_type: str, found: list[Issue]) -> None:
    entries = item if isinstance(item, list) else [item]
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            where = f"{location}[{index}]" if isinstance(item, list) else location
            _walk(entry, _ELEMENT, where, resource_type, found)
