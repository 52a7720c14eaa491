"""The reference server's STU3 CapabilityStatement, generated from its search-parameter table.

Only what the table holds is declared (resource types, profiles, search parameters, the
references ``_include`` and ``_revinclude`` follow), so the statement cannot claim more or less
than the server does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carecheck import __version__
from carecheck.refserver.includes import include_names, revinclude_names
from carecheck.refserver.params import ResourceDefinition

__all__ = ["capability_statement"]


def capability_statement(
    base_url: str,
    resources: Mapping[str, ResourceDefinition],
    *,
    date: str,
    security: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The CapabilityStatement of a server at ``base_url`` serving ``resources``, dated ``date``.

    ``security`` is the ``rest.security`` element of a server that needs access tokens.
    """
    return {
        "resourceType": "CapabilityStatement",
        "id": "carecheck-reference-server",
        "name": "CarecheckReferenceServer",
        "title": "carecheck embedded Care Connect reference server",
        "status": "active",
        "experimental": True,
        "date": date,
        "publisher": "carecheck",
        "description": "Read-only Care Connect API (FHIR STU3) served from SQLite, for conformance testing.",
        "kind": "instance",
        "software": {"name": "carecheck reference server", "version": __version__},
        "implementation": {"description": "carecheck embedded Care Connect reference server", "url": base_url},
        "fhirVersion": "3.0.1",
        "acceptUnknown": "no",
        "format": ["application/fhir+json", "application/fhir+xml"],
        "profile": [{"reference": definition.profile} for definition in resources.values()],
        "rest": [
            {
                "mode": "server",
                **({} if security is None else {"security": dict(security)}),
                "resource": [_resource(definition, resources) for definition in resources.values()],
            }
        ],
    }


def _resource(definition: ResourceDefinition, resources: Mapping[str, ResourceDefinition]) -> dict[str, Any]:
    includes = include_names(definition)
    revincludes = revinclude_names(definition, resources)
    return {
        "type": definition.type,
        "profile": {"reference": definition.profile},
        "interaction": [{"code": "read"}, {"code": "vread"}, {"code": "search-type"}],
        "versioning": "versioned",
        "readHistory": False,
        "updateCreate": False,
        **({"searchInclude": ["*", *includes]} if includes else {}),
        **({"searchRevInclude": ["*", *revincludes]} if revincludes else {}),
        "searchParam": [
            {
                "name": param.name,
                **({"definition": param.definition} if param.definition else {}),
                "type": param.type.value,
                "documentation": param.description,
            }
            for param in definition.params
        ],
    }
