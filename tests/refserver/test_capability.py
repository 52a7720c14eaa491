"""Tests for carecheck.refserver.capability: the CapabilityStatement generated from the parameter table."""

from __future__ import annotations

from carecheck.refserver.capability import capability_statement
from carecheck.refserver.params import RESOURCES

from .conftest import assert_stu3

STATEMENT = capability_statement("http://127.0.0.1:8080/STU3", RESOURCES, date="2026-01-01T00:00:00+00:00")


def test_it_is_a_valid_stu3_instance_statement() -> None:
    assert_stu3(STATEMENT)
    assert (STATEMENT["fhirVersion"], STATEMENT["kind"], STATEMENT["status"]) == ("3.0.1", "instance", "active")
    assert STATEMENT["format"] == ["application/fhir+json", "application/fhir+xml"]
    assert STATEMENT["date"] == "2026-01-01T00:00:00+00:00"
    assert STATEMENT["implementation"]["url"] == "http://127.0.0.1:8080/STU3"
    assert STATEMENT["software"]["name"]


def test_it_declares_the_patient_profile_interactions_and_exactly_the_table_parameters() -> None:
    (rest,) = STATEMENT["rest"]
    assert rest["mode"] == "server"
    (patient,) = rest["resource"]
    profile = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"
    assert patient["type"] == "Patient"
    assert patient["profile"] == {"reference": profile}
    assert {"reference": profile} in STATEMENT["profile"]
    assert [interaction["code"] for interaction in patient["interaction"]] == ["read", "search-type"]
    declared = {(param["name"], param["type"]) for param in patient["searchParam"]}
    assert declared == {(param.name, param.type.value) for param in RESOURCES["Patient"].params}
    assert all(param["documentation"] and param["definition"] for param in patient["searchParam"])
