"""Whose record a resource is: the patient a Patient is, or the Patient its `patient` or `subject` refers to.

This is the Patient compartment as the Care Connect types spell it: AllergyIntolerance and
Immunization name their patient in `patient`, the other clinical types in `subject`. A reference may
be relative (`Patient/[id]`), absolute (`[base]/Patient/[id]`) or versioned (`…/_history/[v]`); one to
anything but a Patient (a Group, a contained resource) names no patient.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["patient_of"]

_PATIENT_REFERENCE = re.compile(r"(?:.*/)?Patient/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?")
_ELEMENTS = ("patient", "subject")


def patient_of(resource: Mapping[str, Any]) -> str | None:
    """The id of the patient whose record `resource` is, or None when it names none."""
    if resource.get("resourceType") == "Patient":
        found = resource.get("id")
        return found if isinstance(found, str) and found else None
    for name in _ELEMENTS:
        element = resource.get(name)
        reference = element.get("reference") if isinstance(element, dict) else None
        match = _PATIENT_REFERENCE.fullmatch(reference) if isinstance(reference, str) else None
        if match is not None:
            return match["id"]
    return None
