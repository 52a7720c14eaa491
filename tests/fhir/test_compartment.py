"""Tests for carecheck.fhir.compartment: whose record a resource is."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.fhir import patient_of


@pytest.mark.parametrize(
    ("resource", "patient"),
    [
        ({"resourceType": "Patient", "id": "p1"}, "p1"),
        ({"resourceType": "Patient"}, None),
        ({"resourceType": "Observation", "subject": {"reference": "Patient/p1"}}, "p1"),
        ({"resourceType": "Condition", "subject": {"reference": "http://fhir.test/STU3/Patient/p-2.a"}}, "p-2.a"),
        ({"resourceType": "Encounter", "subject": {"reference": "Patient/p1/_history/3"}}, "p1"),
        ({"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/p3"}}, "p3"),
        ({"resourceType": "Immunization", "patient": {"reference": "Patient/p3", "display": "x"}, "subject": {"reference": "Patient/p4"}}, "p3"),
        ({"resourceType": "Observation", "subject": {"reference": "Group/g1"}}, None),
        ({"resourceType": "Observation", "subject": {"reference": "#contained"}}, None),
        ({"resourceType": "Observation", "subject": {"reference": "Patient/p1/Observation/o1"}}, None),
        ({"resourceType": "Observation", "subject": {"display": "no reference"}}, None),
        ({"resourceType": "Observation", "subject": "Patient/p1"}, None),
        ({"resourceType": "Practitioner", "id": "dr1"}, None),
    ],
)
def test_patient_of(resource: dict[str, Any], patient: str | None) -> None:
    assert patient_of(resource) == patient
