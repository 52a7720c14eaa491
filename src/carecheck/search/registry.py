"""The STU3 search parameters of the 14 Care Connect resources, with their Care Connect conformance levels.

Data comes from ``data/fhir-stu3/search-parameters.json`` (HL7's definitions, filtered) and
``data/careconnect/search-{parameters,combinations}.csv`` (the IG and CORE tables). The registry is
immutable: load it once (``default_registry()``) and share it.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast

from carecheck.project import data_path
from carecheck.search.dates import COMPARATORS

__all__ = [
    "CARE_CONNECT_RESOURCES",
    "Conformance",
    "Level",
    "SearchCombination",
    "SearchParameter",
    "SearchRegistry",
    "UnknownResourceType",
    "UnknownSearchParameter",
    "default_registry",
]

Level = Literal["SHALL", "SHOULD", "MAY"]

CARE_CONNECT_RESOURCES: tuple[str, ...] = (
    "Patient",
    "AllergyIntolerance",
    "Condition",
    "Procedure",
    "Observation",
    "Encounter",
    "Medication",
    "MedicationStatement",
    "MedicationRequest",
    "Immunization",
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "Location",
)

_COMMON_BASES = ("Resource", "DomainResource")
# STU3 search.html, "modifiers" per parameter type; reference also takes a target type (see targets).
_MODIFIERS: Mapping[str, tuple[str, ...]] = {
    "string": ("missing", "exact", "contains"),
    "token": ("missing", "text", "not", "above", "below", "in", "not-in"),
    "reference": ("missing",),
    "uri": ("missing", "above", "below"),
    "date": ("missing",),
    "number": ("missing",),
    "quantity": ("missing",),
    "composite": ("missing",),
}
_FHIR_PRIMITIVES = {
    name.lower(): name
    for name in (
        "boolean",
        "integer",
        "string",
        "decimal",
        "uri",
        "base64Binary",
        "instant",
        "date",
        "dateTime",
        "time",
        "code",
        "oid",
        "id",
        "markdown",
        "unsignedInt",
        "positiveInt",
    )
}
_AS_TYPE = re.compile(r"\.(as|is|ofType)\((\w+)\)")


class UnknownResourceType(KeyError):
    """A resource type that is not one of the 14 Care Connect resources."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownSearchParameter(KeyError):
    """A search parameter name that STU3 does not define for that resource type."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class SearchParameter:
    """One STU3 search parameter as it applies to one resource type.

    ``name`` is the STU3 ``SearchParameter.code`` (what goes in a query string). ``expression`` is the
    part of the STU3 FHIRPath for this resource only, or None where STU3 gives none (``_text``,
    ``_content``, ``_query``). ``chains`` is empty because the STU3 definitions list no allowed chains:
    any parameter of a target type may be chained.
    """

    resource_type: str
    name: str
    type: str
    expression: str | None
    targets: tuple[str, ...]
    modifiers: tuple[str, ...]
    comparators: tuple[str, ...]
    chains: tuple[str, ...]
    url: str


@dataclass(frozen=True, slots=True)
class Conformance:
    """How strongly Care Connect asks for a search parameter or combination (None: not named)."""

    ig: Level | None
    core: Level | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SearchCombination:
    """A combination of search parameters that a Care Connect server is asked to support together."""

    resource_type: str
    parameters: tuple[str, ...]
    conformance: Conformance

    @property
    def requirement_id(self) -> str:
        """Stable requirement id, e.g. ``CC-SEARCH-PATIENT-NAME+GENDER``."""
        return _requirement_id(self.resource_type, "+".join(self.parameters))


@dataclass(frozen=True, slots=True)
class SearchRegistry:
    """Look-ups of STU3 search parameters and Care Connect conformance, by resource type and name."""

    _parameters: Mapping[str, Mapping[str, SearchParameter]]
    _conformance: Mapping[str, Mapping[str, Conformance]]
    _combinations: Mapping[str, tuple[SearchCombination, ...]]

    @classmethod
    def load(cls, fixtures_dir: Path | None = None) -> SearchRegistry:
        """Read the registry from ``data/`` (or another folder laid out the same way)."""
        base = fixtures_dir if fixtures_dir is not None else data_path()
        with (base / "fhir-stu3" / "search-parameters.json").open(encoding="utf-8") as f:
            bundle = json.load(f)
        definitions = [entry["resource"] for entry in bundle["entry"]]
        parameters = {rt: _parameters_for(rt, definitions) for rt in CARE_CONNECT_RESOURCES}
        conformance: dict[str, dict[str, Conformance]] = {rt: {} for rt in CARE_CONNECT_RESOURCES}
        for row in _read_csv(base / "careconnect" / "search-parameters.csv"):
            conformance[_known(row["resource"])][row["parameter"]] = _conformance(row)
        combinations: dict[str, list[SearchCombination]] = {rt: [] for rt in CARE_CONNECT_RESOURCES}
        for row in _read_csv(base / "careconnect" / "search-combinations.csv"):
            resource_type = _known(row["resource"])
            names = tuple(row["parameters"].split("+"))
            combinations[resource_type].append(SearchCombination(resource_type, names, _conformance(row)))
        return cls(
            MappingProxyType({rt: MappingProxyType(params) for rt, params in parameters.items()}),
            MappingProxyType({rt: MappingProxyType(levels) for rt, levels in conformance.items()}),
            MappingProxyType({rt: tuple(combos) for rt, combos in combinations.items()}),
        )

    def resource_types(self) -> tuple[str, ...]:
        """The 14 Care Connect resource types, in the IG's order."""
        return CARE_CONNECT_RESOURCES

    def parameter(self, resource_type: str, name: str) -> SearchParameter:
        """The STU3 parameter ``name`` of ``resource_type``; raises UnknownSearchParameter if none."""
        parameters = self._of(resource_type)
        try:
            return parameters[name]
        except KeyError:
            raise UnknownSearchParameter(f"{resource_type} has no STU3 search parameter {name!r}") from None

    def has_parameter(self, resource_type: str, name: str) -> bool:
        """Whether STU3 defines ``name`` for ``resource_type`` (False for unknown resource types)."""
        return name in self._parameters.get(resource_type, {})

    def parameters(self, resource_type: str) -> tuple[SearchParameter, ...]:
        """Every STU3 parameter of ``resource_type`` (common ones included), sorted by name."""
        return tuple(self._of(resource_type).values())

    def conformance(self, resource_type: str, name: str) -> Conformance:
        """The IG and CORE levels for a parameter (``patient.identifier`` for the chained form)."""
        self._check_named(resource_type, name)
        return self._conformance[resource_type].get(name, Conformance(None, None))

    def combinations(self, resource_type: str) -> tuple[SearchCombination, ...]:
        """The parameter combinations that the IG or CORE names for ``resource_type``."""
        self._of(resource_type)
        return self._combinations[resource_type]

    def requirement_id(self, resource_type: str, name: str) -> str:
        """Stable requirement id, e.g. ``CC-SEARCH-PATIENT-BIRTHDATE``."""
        self._check_named(resource_type, name)
        return _requirement_id(resource_type, name)

    def _of(self, resource_type: str) -> Mapping[str, SearchParameter]:
        try:
            return self._parameters[resource_type]
        except KeyError:
            raise UnknownResourceType(f"{resource_type!r} is not a Care Connect resource type (one of {', '.join(CARE_CONNECT_RESOURCES)})") from None

    def _check_named(self, resource_type: str, name: str) -> None:
        head = name.split(".", 1)[0]
        if head not in self._of(resource_type) and name not in self._conformance[resource_type]:
            raise UnknownSearchParameter(f"{resource_type} has no STU3 or Care Connect search parameter {name!r}")


@functools.cache
def default_registry() -> SearchRegistry:
    """The registry read from the project's fixtures, loaded once."""
    return SearchRegistry.load()


def _requirement_id(resource_type: str, name: str) -> str:
    return f"CC-SEARCH-{resource_type.upper()}-{name.upper()}"


def _known(resource_type: str) -> str:
    if resource_type not in CARE_CONNECT_RESOURCES:
        raise UnknownResourceType(f"{resource_type!r} in a Care Connect table is not an in-scope resource")
    return resource_type


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _conformance(row: Mapping[str, str]) -> Conformance:
    return Conformance(_level(row["ig"]), _level(row["core"]), row.get("note", ""))


def _level(text: str) -> Level | None:
    if text == "":
        return None
    if text not in ("SHALL", "SHOULD", "MAY"):
        raise ValueError(f"conformance level {text!r} is not SHALL, SHOULD, MAY or blank")
    return cast(Level, text)


def _parameters_for(resource_type: str, definitions: Iterable[Mapping[str, object]]) -> dict[str, SearchParameter]:
    found: dict[str, SearchParameter] = {}
    for definition in definitions:
        bases = cast(list[str], definition["base"])
        if resource_type in bases:
            owner = resource_type
        elif any(base in bases for base in _COMMON_BASES):
            owner = next(base for base in _COMMON_BASES if base in bases)
        else:
            continue
        parameter = _parameter(resource_type, owner, definition)
        found[parameter.name] = parameter
    return dict(sorted(found.items()))


def _parameter(resource_type: str, owner: str, definition: Mapping[str, object]) -> SearchParameter:
    name = cast(str, definition["code"])
    kind = cast(str, definition["type"])
    targets = tuple(cast(list[str], definition.get("target", [])))
    if name == "patient" and "Patient" in targets:
        targets = ("Patient",)
    expression = definition.get("expression")
    return SearchParameter(
        resource_type=resource_type,
        name=name,
        type=kind,
        expression=_own_expression(resource_type, owner, cast(str, expression)) if expression else None,
        targets=targets,
        modifiers=tuple(cast(list[str], definition.get("modifier", []))) or _MODIFIERS.get(kind, ()),
        comparators=tuple(cast(list[str], definition.get("comparator", []))) or (COMPARATORS if kind in ("date", "number", "quantity") else ()),
        chains=tuple(cast(list[str], definition.get("chain", []))),
        url=cast(str, definition["url"]),
    )


def _own_expression(resource_type: str, owner: str, expression: str) -> str | None:
    """The parts of a union expression that start at ``owner``, re-rooted at ``resource_type``."""
    parts = [part.strip() for part in _split_union(expression)]
    own = [resource_type + part[len(owner) :] for part in parts if part == owner or part.startswith((owner + ".", owner + " "))]
    if not own:
        return None
    return " | ".join(_AS_TYPE.sub(_fhir_type_name, part) for part in own)


def _fhir_type_name(match: re.Match[str]) -> str:
    function, type_name = match.group(1), match.group(2)
    return f".{function}({_FHIR_PRIMITIVES.get(type_name.lower(), type_name)})"


def _split_union(expression: str) -> list[str]:
    """Split on top-level ``|`` (not inside brackets or quotes)."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for index, char in enumerate(expression):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth -= 1
        elif not quoted and depth == 0 and char == "|":
            parts.append(expression[start:index])
            start = index + 1
    parts.append(expression[start:])
    return parts
