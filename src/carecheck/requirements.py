"""The requirements catalogue: every requirement a check or scenario can name, as data.

Two tables make it: `data/careconnect/requirements.csv` (general, capability, read, errors, search
rules) and the search-parameter conformance tables, whose rows become `CC-SEARCH-<RESOURCE>-<PARAM>`
(and `CC-SEARCH-<RESOURCE>-<A>+<B>` for combinations) with the IG's or CORE's level.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from carecheck.project import data_path
from carecheck.search import default_registry

__all__ = ["Requirement", "catalogue"]


@dataclass(frozen=True)
class Requirement:
    """One requirement. `level` is its strongest; a search parameter or combination also has its `ig` and `core`
    levels, of which the target's `expectations.conformance` picks the one in force."""

    id: str
    level: str
    area: str
    text: str
    source: str
    ig: str | None = None
    core: str | None = None

    def level_for(self, conformance: str) -> str | None:
        """The level in force at `conformance` (`ig` or `core`): None when that level does not name it."""
        if self.ig is None and self.core is None:
            return self.level or None
        return self.core if conformance == "core" else self.ig


@cache
def catalogue() -> Mapping[str, Requirement]:
    """Every known requirement by id (loaded once; immutable)."""
    found: dict[str, Requirement] = {}
    with data_path("careconnect", "requirements.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[row["id"]] = Requirement(row["id"], row["level"], row["area"], row["text"], row["source"])
    registry = default_registry()
    for resource_type in registry.resource_types():
        for parameter in registry.parameters(resource_type):
            levels = registry.conformance(resource_type, parameter.name)
            if levels.ig or levels.core:
                requirement_id = registry.requirement_id(resource_type, parameter.name)
                text = f"{resource_type} search parameter {parameter.name} ({parameter.type}): IG {levels.ig or '-'}, CORE {levels.core or '-'}"
                found[requirement_id] = Requirement(
                    requirement_id, levels.ig or levels.core or "", "search", text, "IG/CORE search parameter tables", levels.ig, levels.core
                )
        for combination in registry.combinations(resource_type):
            levels = combination.conformance
            names = " + ".join(combination.parameters)
            text = f"{resource_type} search combination {names}: IG {levels.ig or '-'}, CORE {levels.core or '-'}"
            found[combination.requirement_id] = Requirement(
                combination.requirement_id, levels.ig or levels.core or "", "search", text, "IG/CORE search combinations", levels.ig, levels.core
            )
    return MappingProxyType(found)
