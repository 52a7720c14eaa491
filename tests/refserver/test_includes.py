"""Tests for carecheck.refserver.includes: which _include and _revinclude values a search accepts."""

from __future__ import annotations

import pytest

from carecheck.refserver.includes import include_names, parse_include, revinclude_names
from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.store import Include


@pytest.mark.parametrize(
    ("searched", "key", "value", "include"),
    [
        ("MedicationRequest", "_include", "MedicationRequest:medication", Include(False, "MedicationRequest", "medication")),
        ("MedicationStatement", "_include", "MedicationStatement:medication", Include(False, "MedicationStatement", "medication")),
        ("Patient", "_include", "Patient:general-practitioner", Include(False, "Patient", "general-practitioner")),
        (
            "Patient",
            "_include",
            "Patient:general-practitioner:Practitioner",
            Include(False, "Patient", "general-practitioner", "Practitioner"),
        ),
        ("Patient", "_include", "Patient:organization", Include(False, "Patient", "organization")),
        ("Patient", "_include", "*", Include(False, "Patient", None)),
        ("Patient", "_revinclude", "*", Include(True, None, None)),
        ("Patient", "_revinclude", "Observation:patient", Include(True, "Observation", "patient")),
        ("Encounter", "_revinclude", "*", Include(True, None, None)),
        ("Encounter", "_revinclude", "Condition:context", Include(True, "Condition", "context")),
        ("Medication", "_revinclude", "MedicationRequest:medication", Include(True, "MedicationRequest", "medication")),
    ],
)
def test_the_includes_care_connect_names(searched: str, key: str, value: str, include: Include) -> None:
    assert parse_include(key, value, RESOURCES[searched], RESOURCES, reverse=key == "_revinclude") == include


@pytest.mark.parametrize(
    ("searched", "key", "value", "diagnostics"),
    [
        ("MedicationRequest", "_include", "MedicationStatement:medication", "is not one this server follows"),
        ("MedicationRequest", "_include", "MedicationRequest:status", "MedicationRequest:patient"),
        ("MedicationRequest", "_include", "Nothing:here", "is not one this server follows"),
        ("MedicationRequest", "_include", "MedicationRequest", "is not one this server follows"),
        ("Patient", "_include", "Patient:organization:Practitioner", "Patient.organization refers to Organization"),
        ("Patient", "_revinclude", "Observation:context", "Observation.context cannot refer to Patient"),
        ("Patient", "_revinclude", "Observation:patient:Patient", "cannot refer to Patient"),
        ("Patient", "_include:iterate", "Patient:organization", "only one level of includes"),
    ],
)
def test_includes_it_cannot_follow_are_refused(searched: str, key: str, value: str, diagnostics: str) -> None:
    with pytest.raises(FhirError) as refused:
        parse_include(key, value, RESOURCES[searched], RESOURCES, reverse=key.startswith("_revinclude"))
    assert refused.value.status == 400
    assert diagnostics in refused.value.diagnostics


def test_the_names_offered() -> None:
    assert include_names(RESOURCES["Patient"]) == ["Patient:general-practitioner", "Patient:organization"]
    assert include_names(RESOURCES["Organization"]) == []
    assert "Observation:patient" in revinclude_names(RESOURCES["Patient"], RESOURCES)
    assert "Procedure:subject" in revinclude_names(RESOURCES["Patient"], RESOURCES)
    assert "Encounter:part-of" in revinclude_names(RESOURCES["Encounter"], RESOURCES)
    assert revinclude_names(RESOURCES["Location"], RESOURCES) == []
