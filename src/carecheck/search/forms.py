"""How strongly Care Connect asks for each form of a search parameter (`ge`, `:exact`, `system|code` ...).

A form that is part of a parameter's own STU3 meaning (a value, a partial date, `system|code`) is asked for
as strongly as the parameter; a modifier or prefix the guide never names is an option a server may refuse.
A server that refuses an optional form it does not support has that form recorded as unsupported, not failed.
The levels are data: `data/careconnect/search-forms.csv` (a row for a resource's parameter overrides the
row for its type), each row with the text it rests on.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, cast

from carecheck.project import data_path
from carecheck.search.registry import Level, SearchRegistry

__all__ = ["FormLevels", "form_levels"]

_AS_PARAMETER = "parameter"
_AS_CHAIN = "chain"


@dataclass(frozen=True)
class _Rule:
    ig: str
    core: str
    source: str


@dataclass(frozen=True)
class FormLevels:
    """The form table, resolved against a registry's parameter levels."""

    registry: SearchRegistry
    rules: Mapping[tuple[str, str, str], _Rule]
    """By (resource or type, parameter or "", form)."""

    def level(self, resource_type: str, parameter: str, form: str, conformance: Literal["ig", "core"]) -> Level | None:
        """The level (SHALL, SHOULD, MAY; None: not asked for) at which Care Connect asks for `parameter` given as `form`."""
        kind = self.registry.parameter(resource_type, parameter).type
        rule = self.rules.get((resource_type, parameter, form)) or self.rules.get((kind, "", form))
        if rule is None:
            return None
        text = rule.ig if conformance == "ig" else rule.core
        if text == _AS_PARAMETER:
            return cast(Level | None, getattr(self.registry.conformance(resource_type, parameter), conformance))
        if text == _AS_CHAIN:
            return cast(Level | None, getattr(self.registry.conformance(resource_type, f"{parameter}.identifier"), conformance))
        return cast(Level, text) if text else None

    def part_of_the_parameter(self, resource_type: str, parameter: str, form: str, conformance: Literal["ig", "core"]) -> bool:
        """Whether the form is asked for as strongly as its parameter: a server declaring the parameter claims the form too
        (a CapabilityStatement cannot declare modifiers, prefixes or chains on their own)."""
        kind = self.registry.parameter(resource_type, parameter).type
        rule = self.rules.get((resource_type, parameter, form)) or self.rules.get((kind, "", form))
        return rule is not None and (rule.ig if conformance == "ig" else rule.core) == _AS_PARAMETER

    def source(self, resource_type: str, parameter: str, form: str) -> str:
        """The text the level of `parameter` given as `form` rests on."""
        kind = self.registry.parameter(resource_type, parameter).type
        rule = self.rules.get((resource_type, parameter, form)) or self.rules.get((kind, "", form))
        return rule.source if rule else "not in the form table"


def form_levels(registry: SearchRegistry) -> FormLevels:
    """The form table of `data/careconnect/search-forms.csv`, for `registry`'s parameters."""
    return FormLevels(registry, _rules())


@functools.cache
def _rules() -> Mapping[tuple[str, str, str], _Rule]:
    rules: dict[tuple[str, str, str], _Rule] = {}
    with data_path("careconnect", "search-forms.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for text in (row["ig"], row["core"]):
                if text not in ("", "SHALL", "SHOULD", "MAY", _AS_PARAMETER, _AS_CHAIN):
                    raise ValueError(f"search-forms.csv: level {text!r} is not SHALL, SHOULD, MAY, parameter, chain or blank")
            key = (row["resource"] or row["type"], row["parameter"], row["form"])
            rules[key] = _Rule(row["ig"], row["core"], row["source"])
    return MappingProxyType(rules)
