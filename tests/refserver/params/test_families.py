"""Tests for the parameter tables (carecheck.refserver.params entities, clinical, medication): all 14 resources.

The harness keeps its own table of the Care Connect parameters (data/careconnect/search-parameters.csv);
the server's table is independent code, and must cover the same rows with the same types.
"""

from __future__ import annotations

import csv

import pytest

from carecheck.project import data_path
from carecheck.refserver.params import RESOURCES, SearchParamType

CARE_CONNECT_TYPES = [
    "Patient", "AllergyIntolerance", "Condition", "Procedure", "Observation", "Encounter", "Medication",
    "MedicationStatement", "MedicationRequest", "Immunization", "Practitioner", "PractitionerRole",
    "Organization", "Location",
]  # fmt: skip

with data_path("careconnect", "search-parameters.csv").open(encoding="utf-8", newline="") as source:
    ROWS = [(row["resource"], row["parameter"], row["type"]) for row in csv.DictReader(source)]


def test_the_server_serves_exactly_the_care_connect_resources() -> None:
    assert list(RESOURCES) == CARE_CONNECT_TYPES


@pytest.mark.parametrize(("resource_type", "parameter", "kind"), ROWS, ids=[f"{r}.{p}" for r, p, _ in ROWS])
def test_every_care_connect_parameter_is_implemented_with_its_type(resource_type: str, parameter: str, kind: str) -> None:
    name, _, chained = parameter.partition(".")
    param = RESOURCES[resource_type].param(name)
    assert param is not None and param.type.value == kind
    if chained:
        assert param.type is SearchParamType.REFERENCE and "Patient" in param.targets
        assert RESOURCES["Patient"].param(chained) is not None


@pytest.mark.parametrize("resource_type", CARE_CONNECT_TYPES)
def test_every_resource_has_id_a_profile_and_documented_parameters(resource_type: str) -> None:
    definition = RESOURCES[resource_type]
    assert definition.profile == f"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{resource_type}-1"
    assert definition.params[0].name == "_id"
    assert len({param.name for param in definition.params}) == len(definition.params)
    for param in definition.params:
        assert param.description and param.elements
        assert param.definition is None or param.definition.startswith("http://hl7.org/fhir/SearchParameter/")
        assert bool(param.targets) is (param.type is SearchParamType.REFERENCE)


def test_only_the_care_connect_extension_parameter_has_no_stu3_definition() -> None:
    undefined = [(t, p.name) for t, d in RESOURCES.items() for p in d.params if p.definition is None]
    assert undefined == [("Immunization", "vaccination-procedure-code")]


def test_the_clinical_patient_parameter_keeps_only_references_to_patients() -> None:
    clinical = [definition.param("patient") for definition in RESOURCES.values() if definition.param("patient")]
    assert len(clinical) == 8
    assert all(param is not None and param.targets == ("Patient",) for param in clinical)
