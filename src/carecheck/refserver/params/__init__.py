"""The reference server's own search-parameter table: per resource type, each parameter's name, type and elements.

Everything else is derived from this table: the index rows the store writes, the query
parameters the parser accepts, the includes it follows and the CapabilityStatement, so none of
them can drift from what is implemented. A new resource or parameter is a new row in one of the
family modules (plus seed data), not new code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from carecheck.refserver.params.clinical import (
    ALLERGY_INTOLERANCE,
    CONDITION,
    ENCOUNTER,
    IMMUNIZATION,
    OBSERVATION,
    PROCEDURE,
)
from carecheck.refserver.params.entities import LOCATION, ORGANIZATION, PATIENT, PRACTITIONER, PRACTITIONER_ROLE
from carecheck.refserver.params.medication import MEDICATION, MEDICATION_REQUEST, MEDICATION_STATEMENT
from carecheck.refserver.params.model import (
    CARECONNECT_PROFILE,
    MODIFIERS,
    STU3_MODIFIERS,
    Element,
    ResourceDefinition,
    SearchParam,
    SearchParamType,
)

__all__ = [
    "CARECONNECT_PROFILE",
    "MODIFIERS",
    "RESOURCES",
    "STU3_MODIFIERS",
    "Element",
    "ResourceDefinition",
    "SearchParam",
    "SearchParamType",
]

RESOURCES: Mapping[str, ResourceDefinition] = MappingProxyType(
    {
        definition.type: definition
        for definition in (
            PATIENT,
            ALLERGY_INTOLERANCE,
            CONDITION,
            PROCEDURE,
            OBSERVATION,
            ENCOUNTER,
            MEDICATION,
            MEDICATION_STATEMENT,
            MEDICATION_REQUEST,
            IMMUNIZATION,
            PRACTITIONER,
            PRACTITIONER_ROLE,
            ORGANIZATION,
            LOCATION,
        )
    }
)
"""Every resource type the server serves, by type name, in the order of the Care Connect API pages."""
