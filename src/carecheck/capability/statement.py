"""Reading a target's CapabilityStatement: which resources, interactions and search parameters it declares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Capabilities"]


@dataclass(frozen=True)
class Capabilities:
    """What a server says it supports, from its CapabilityStatement (rest mode server)."""

    statement: Mapping[str, Any]

    @property
    def fhir_version(self) -> str | None:
        """The declared `fhirVersion` (None when absent or not a string)."""
        value = self.statement.get("fhirVersion")
        return value if isinstance(value, str) else None

    def declares_stu3(self) -> bool:
        """Whether the declared FHIR version is STU3: `3.0` or any `3.0.x` (Care Connect is built on 3.0.1)."""
        version = self.fhir_version
        return version is not None and (version == "3.0" or version.startswith("3.0."))

    def _resource(self, resource_type: str) -> Mapping[str, Any] | None:
        for rest in self.statement.get("rest") or []:
            if not isinstance(rest, dict) or rest.get("mode") != "server":
                continue
            for resource in rest.get("resource") or []:
                if isinstance(resource, dict) and resource.get("type") == resource_type:
                    return resource
        return None

    def resource_types(self) -> tuple[str, ...]:
        found: list[str] = []
        for rest in self.statement.get("rest") or []:
            if isinstance(rest, dict) and rest.get("mode") == "server":
                found += [r["type"] for r in rest.get("resource") or [] if isinstance(r, dict) and isinstance(r.get("type"), str)]
        return tuple(found)

    def declares(self, resource_type: str) -> bool:
        return self._resource(resource_type) is not None

    def interactions(self, resource_type: str) -> frozenset[str]:
        resource = self._resource(resource_type) or {}
        return frozenset(i["code"] for i in resource.get("interaction") or [] if isinstance(i, dict) and isinstance(i.get("code"), str))

    def search_parameters(self, resource_type: str) -> frozenset[str]:
        resource = self._resource(resource_type) or {}
        return frozenset(p["name"] for p in resource.get("searchParam") or [] if isinstance(p, dict) and isinstance(p.get("name"), str))

    def declares_search(self, resource_type: str, parameter: str) -> bool:
        """Whether the parameter is declared; a chained form (`patient.identifier`) counts by its first part."""
        return parameter.split(".", 1)[0].split(":", 1)[0] in self.search_parameters(resource_type)

    def includes(self, resource_type: str) -> frozenset[str]:
        """Every `_include` and `_revinclude` value declared for searches of `resource_type`."""
        return self.search_includes(resource_type, reverse=False) | self.search_includes(resource_type, reverse=True)

    def search_includes(self, resource_type: str, *, reverse: bool) -> frozenset[str]:
        """The `searchInclude` (or, reverse, `searchRevInclude`) values declared for searches of `resource_type`."""
        resource = self._resource(resource_type) or {}
        declared = resource.get("searchRevInclude" if reverse else "searchInclude")
        return frozenset(str(item) for item in declared if isinstance(item, str)) if isinstance(declared, list) else frozenset()

    def declares_include(self, resource_type: str, include: str, *, reverse: bool) -> bool:
        """Whether `_include=include` (or `_revinclude`) is declared; `Type:param` and `Type.param` count alike."""
        wanted = include.replace(".", ":")
        return any(item.replace(".", ":") == wanted for item in self.search_includes(resource_type, reverse=reverse))
