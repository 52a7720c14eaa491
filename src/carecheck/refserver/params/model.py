"""What a search parameter is to this server: its name, type, and the elements of a resource that hold its values.

An element is a dotted path from the resource root with the FHIR datatype found there; a step may
keep only the elements whose child has a given value (``telecom[system=email]``,
``extension[url=https://…].valueCodeableConcept``). A parameter on a choice element lists one
path per choice (``performedDateTime`` as dateTime, ``performedPeriod`` as Period).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = [
    "CARECONNECT_PROFILE",
    "MODIFIERS",
    "STU3_MODIFIERS",
    "Element",
    "ResourceDefinition",
    "SearchParam",
    "SearchParamType",
    "context_param",
    "identifier_param",
    "resource_definition",
    "search_param",
]

CARECONNECT_PROFILE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{}-1"
"""The Care Connect profile of a resource type: ``CARECONNECT_PROFILE.format("Patient")``."""
_STU3 = "http://hl7.org/fhir/SearchParameter/"


class SearchParamType(StrEnum):
    """The STU3 search-parameter types this server implements."""

    STRING = "string"
    TOKEN = "token"
    DATE = "date"
    REFERENCE = "reference"


MODIFIERS: Mapping[SearchParamType, frozenset[str]] = MappingProxyType(
    {
        SearchParamType.STRING: frozenset({"exact", "contains", "missing"}),
        SearchParamType.TOKEN: frozenset({"not", "missing"}),
        SearchParamType.DATE: frozenset({"missing"}),
        SearchParamType.REFERENCE: frozenset({"missing"}),
    }
)
"""The modifiers implemented for each parameter type (besides ``:[type]`` on references)."""

STU3_MODIFIERS = frozenset({"missing", "exact", "contains", "text", "not", "above", "below", "in", "not-in", "type"})
"""Every modifier STU3 defines (besides ``:[type]`` on references), to tell unsupported from unknown."""

_STEP = re.compile(r"(?P<name>[A-Za-z]+)(?:\[(?P<key>[A-Za-z]+)=(?P<value>[^\]]+)\])?(?:\.|$)")


@dataclass(frozen=True)
class _Step:
    name: str
    where: tuple[str, str] | None


@dataclass(frozen=True)
class Element:
    """Where a parameter's values are in a resource: ``path`` (steps may filter) and the ``datatype`` found there."""

    path: str
    datatype: str
    _steps: tuple[_Step, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        steps, end = [], 0
        for match in _STEP.finditer(self.path):
            if match.start() != end:
                break
            where = (match["key"], match["value"]) if match["key"] else None
            steps.append(_Step(match["name"], where))
            end = match.end()
        if not steps or end != len(self.path) or self.path.endswith("."):
            raise ValueError(f"not an element path: {self.path!r}")
        object.__setattr__(self, "_steps", tuple(steps))

    def find(self, resource: Mapping[str, Any]) -> list[Any]:
        """The elements at this path in ``resource``, repeating elements flattened, filters applied."""
        found: list[Any] = [resource]
        for step in self._steps:
            found = [item for node in found if isinstance(node, Mapping) for item in _as_list(node.get(step.name))]
            if step.where is not None:
                key, value = step.where
                found = [item for item in found if isinstance(item, Mapping) and item.get(key) == value]
        return found


@dataclass(frozen=True)
class SearchParam:
    """One search parameter: its name and type, where its values are, and what it means.

    ``system`` is the code system implied by a bare ``code`` element (``gender``); ``targets`` are
    the resource types a reference parameter may point to (only references to them are indexed).
    """

    name: str
    type: SearchParamType
    elements: tuple[Element, ...]
    description: str
    definition: str | None
    system: str | None = None
    targets: tuple[str, ...] = ()

    def values(self, resource: Mapping[str, Any]) -> list[tuple[Element, Any]]:
        """Every element of ``resource`` that holds a value of this parameter, with where it was found."""
        return [(element, found) for element in self.elements for found in element.find(resource)]


@dataclass(frozen=True)
class ResourceDefinition:
    """A resource type the server serves: its Care Connect profile and its search parameters."""

    type: str
    profile: str
    params: tuple[SearchParam, ...]

    def param(self, name: str) -> SearchParam | None:
        """The search parameter called ``name``, or None if this resource has none by that name."""
        return next((param for param in self.params if param.name == name), None)

    def references(self) -> tuple[SearchParam, ...]:
        """The reference parameters: what ``_include`` can follow from this type."""
        return tuple(param for param in self.params if param.type is SearchParamType.REFERENCE)


def search_param(
    name: str,
    kind: SearchParamType,
    definition: str | None,
    description: str,
    *elements: tuple[str, str],
    system: str | None = None,
    targets: tuple[str, ...] = (),
) -> SearchParam:
    """A row of a parameter table: ``definition`` is the STU3 SearchParameter id (None: there is none), ``elements``
    (path, datatype) pairs."""
    found = tuple(Element(path, datatype) for path, datatype in elements)
    url = None if definition is None else _STU3 + definition
    return SearchParam(name, kind, found, description, url, system=system, targets=targets)


def context_param(resource_type: str) -> SearchParam:
    """``context``: the encounter (or episode of care) a clinical record was made in."""
    return search_param(
        "context",
        SearchParamType.REFERENCE,
        f"{resource_type}-context",
        "The encounter (or episode of care) the record was made in",
        ("context", "Reference"),
        targets=("Encounter", "EpisodeOfCare"),
    )


def identifier_param(definition: str, example: str) -> SearchParam:
    """``identifier``: a token on the business identifiers (``system|value``, ``value``, ``|value``, ``system|``)."""
    description = f"A business identifier as system|value, value (any system), |value or system|, e.g. {example}"
    return search_param("identifier", SearchParamType.TOKEN, definition, description, ("identifier", "Identifier"))


def resource_definition(resource_type: str, *params: SearchParam) -> ResourceDefinition:
    """A served resource type with its Care Connect profile, ``_id`` and ``params``."""
    id_param = search_param("_id", SearchParamType.TOKEN, "Resource-id", f"Logical id of the {resource_type}", ("id", "id"))
    return ResourceDefinition(resource_type, CARECONNECT_PROFILE.format(resource_type), (id_param, *params))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
