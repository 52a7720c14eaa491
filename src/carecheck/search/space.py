"""Where generated searches come from (`SearchSpace`): the target's own records and the parameters to search them by.

Apart from the strategies (`carecheck.search.strategies`) so that what the run knows of its target can name its
search spaces without importing hypothesis (`carecheck run`'s own process never generates a search).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from carecheck.search.registry import SearchParameter, SearchRegistry, default_registry

__all__ = ["Query", "SearchSpace"]

Query = tuple[tuple[str, str], ...]
"""A search as the (name, value) pairs sent, in order."""

_TYPES = ("string", "token", "date", "reference")


@dataclass(frozen=True)
class SearchSpace:
    """Where generated searches come from: a resource type, the criteria every search keeps (`base`,
    e.g. the known patient), the target's own records to take values from, and the parameters to use
    (those the target declares; empty means every STU3 parameter of the type)."""

    resource_type: str
    base: Query = ()
    records: tuple[Mapping[str, Any], ...] = ()
    parameters: tuple[str, ...] = ()
    base_url: str = ""
    related: tuple[Mapping[str, Any], ...] = ()
    """Records chained criteria may point at, for the oracle (the known patient and directory records)."""

    def with_records(self, records: Sequence[Mapping[str, Any]]) -> SearchSpace:
        """The space with more records to take values from (duplicates by id dropped, order kept)."""
        seen: dict[str, Mapping[str, Any]] = {}
        for record in (*self.records, *records):
            if record.get("resourceType") == self.resource_type:
                seen.setdefault(str(record.get("id")), record)
        return replace(self, records=tuple(seen.values()))

    def searchable(self, registry: SearchRegistry | None = None) -> tuple[SearchParameter, ...]:
        """The parameters generated searches use: declared (or all), typed string/token/date/reference, with a FHIRPath."""
        registry = registry or default_registry()
        wanted = set(self.parameters)
        return tuple(
            parameter
            for parameter in registry.parameters(self.resource_type)
            if parameter.type in _TYPES and parameter.expression and (not wanted or parameter.name in wanted)
        )
