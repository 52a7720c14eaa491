"""The reference server's own search-parameter table: per resource type, each parameter's name, type and elements.

Everything else is derived from this table: the index rows the store writes, the query
parameters the parser accepts and the CapabilityStatement, so none of them can drift from what
is implemented. A new resource or parameter is a new row here (plus seed data), not new code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = [
    "MODIFIERS",
    "RESOURCES",
    "STU3_MODIFIERS",
    "ResourceDefinition",
    "SearchParam",
    "SearchParamType",
]


class SearchParamType(StrEnum):
    """The STU3 search-parameter types this server implements."""

    STRING = "string"
    TOKEN = "token"
    DATE = "date"


MODIFIERS: Mapping[SearchParamType, frozenset[str]] = MappingProxyType(
    {
        SearchParamType.STRING: frozenset({"exact", "contains"}),
        SearchParamType.TOKEN: frozenset(),
        SearchParamType.DATE: frozenset(),
    }
)
"""The modifiers implemented for each parameter type."""

STU3_MODIFIERS = frozenset({"missing", "exact", "contains", "text", "not", "above", "below", "in", "not-in", "type"})
"""Every modifier STU3 defines (besides ``:[type]`` on references), to tell unsupported from unknown."""


@dataclass(frozen=True)
class SearchParam:
    """One search parameter: what it is called, its type, and where its values are in a resource.

    ``path`` is a dotted element path from the resource root (``name.given``); ``datatype`` is the
    FHIR datatype found there, which decides how values become index rows. ``where`` keeps only
    elements whose children have the given values (``telecom`` with ``system`` = ``email``);
    ``system`` is the code system implied by a bare ``code`` element.
    """

    name: str
    type: SearchParamType
    path: str
    datatype: str
    description: str
    definition: str
    where: tuple[tuple[str, str], ...] = ()
    system: str | None = None

    def elements(self, resource: Mapping[str, Any]) -> list[Any]:
        """The elements at ``path`` in ``resource`` (repeating elements flattened), filtered by ``where``."""
        found: list[Any] = [resource]
        for step in self.path.split("."):
            found = [item for node in found if isinstance(node, Mapping) for item in _as_list(node.get(step))]
        return [item for item in found if all(_has(item, key, value) for key, value in self.where)]


@dataclass(frozen=True)
class ResourceDefinition:
    """A resource type the server serves: its Care Connect profile and its search parameters."""

    type: str
    profile: str
    params: tuple[SearchParam, ...]

    def param(self, name: str) -> SearchParam | None:
        """The search parameter called ``name``, or None if this resource has none by that name."""
        return next((param for param in self.params if param.name == name), None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _has(element: Any, key: str, value: str) -> bool:
    return isinstance(element, Mapping) and element.get(key) == value


_STU3 = "http://hl7.org/fhir/SearchParameter/"
_CARECONNECT = "https://fhir.hl7.org.uk/STU3/StructureDefinition/"
_STRING, _TOKEN, _DATE = SearchParamType.STRING, SearchParamType.TOKEN, SearchParamType.DATE

_PATIENT = ResourceDefinition(
    type="Patient",
    profile=_CARECONNECT + "CareConnect-Patient-1",
    params=(
        SearchParam("_id", _TOKEN, "id", "id", "Logical id of the Patient", _STU3 + "Resource-id"),
        SearchParam(
            "identifier",
            _TOKEN,
            "identifier",
            "Identifier",
            "A patient identifier: system|value, value in any system, |value (no system) or system|",
            _STU3 + "Patient-identifier",
        ),
        SearchParam(
            "family", _STRING, "name.family", "string", "A portion of the family name", _STU3 + "individual-family"
        ),
        SearchParam("given", _STRING, "name.given", "string", "A portion of a given name", _STU3 + "individual-given"),
        SearchParam(
            "name",
            _STRING,
            "name",
            "HumanName",
            "A portion of any part of any name: family, given, prefix, suffix or text",
            _STU3 + "Patient-name",
        ),
        SearchParam(
            "gender",
            _TOKEN,
            "gender",
            "code",
            "Administrative gender: male | female | other | unknown",
            _STU3 + "individual-gender",
            system="http://hl7.org/fhir/administrative-gender",
        ),
        SearchParam(
            "birthdate",
            _DATE,
            "birthDate",
            "date",
            "The date of birth; prefixes eq ne gt lt ge le sa eb ap, partial dates as ranges",
            _STU3 + "individual-birthdate",
        ),
        SearchParam(
            "email",
            _TOKEN,
            "telecom",
            "ContactPoint",
            "An email address, matched exactly",
            _STU3 + "individual-email",
            where=(("system", "email"),),
        ),
        SearchParam(
            "phone",
            _TOKEN,
            "telecom",
            "ContactPoint",
            "A phone number, matched exactly as recorded",
            _STU3 + "individual-phone",
            where=(("system", "phone"),),
        ),
        SearchParam(
            "address-postalcode",
            _STRING,
            "address.postalCode",
            "string",
            "A portion of a postal code of any address",
            _STU3 + "individual-address-postalcode",
        ),
    ),
)

RESOURCES: Mapping[str, ResourceDefinition] = MappingProxyType({_PATIENT.type: _PATIENT})
"""Every resource type the server serves, by type name."""
