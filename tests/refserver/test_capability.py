"""Tests for carecheck.refserver.capability: the CapabilityStatement generated from the parameter table."""

from __future__ import annotations

from carecheck.refserver.capability import capability_statement
from carecheck.refserver.params import RESOURCES
from tests.refserver.conftest import assert_stu3

STATEMENT = capability_statement("http://127.0.0.1:8080/STU3", RESOURCES, date="2026-01-01T00:00:00+00:00")


def test_it_is_a_valid_stu3_instance_statement() -> None:
    assert_stu3(STATEMENT)
    assert (STATEMENT["fhirVersion"], STATEMENT["kind"], STATEMENT["status"]) == ("3.0.1", "instance", "active")
    assert STATEMENT["format"] == ["application/fhir+json", "application/fhir+xml"]
    assert STATEMENT["date"] == "2026-01-01T00:00:00+00:00"
    assert STATEMENT["implementation"]["url"] == "http://127.0.0.1:8080/STU3"
    assert STATEMENT["software"]["name"]


def test_it_declares_every_resource_with_its_profile_interactions_and_exactly_the_table_parameters() -> None:
    (rest,) = STATEMENT["rest"]
    assert rest["mode"] == "server"
    assert [resource["type"] for resource in rest["resource"]] == list(RESOURCES)
    for resource in rest["resource"]:
        definition = RESOURCES[resource["type"]]
        assert resource["profile"] == {"reference": definition.profile}
        assert {"reference": definition.profile} in STATEMENT["profile"]
        assert [interaction["code"] for interaction in resource["interaction"]] == ["read", "vread", "search-type"]
        assert (resource["versioning"], resource["readHistory"]) == ("versioned", False)  # vread of the current version only
        declared = {(param["name"], param["type"]) for param in resource["searchParam"]}
        assert declared == {(param.name, param.type.value) for param in definition.params}
        assert all(param["documentation"] for param in resource["searchParam"])


def test_it_declares_the_includes_it_follows() -> None:
    resources = {resource["type"]: resource for resource in STATEMENT["rest"][0]["resource"]}
    assert resources["MedicationRequest"]["searchInclude"] == [
        "*",
        "MedicationRequest:patient",
        "MedicationRequest:medication",
        "MedicationRequest:context",
    ]
    assert "Patient:general-practitioner" in resources["Patient"]["searchInclude"]
    assert "*" in resources["Patient"]["searchRevInclude"] and "*" in resources["Encounter"]["searchRevInclude"]
    assert "Condition:context" in resources["Encounter"]["searchRevInclude"]
    assert "searchInclude" not in resources["Organization"] and "searchRevInclude" not in resources["Location"]
