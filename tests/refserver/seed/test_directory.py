"""Tests for carecheck.refserver.seed.directory: practices, trusts, their sites, staff and roles."""

from __future__ import annotations

from carecheck.refserver.seed.directory import ODS_ORGANIZATION, ODS_SITE, SDS_ROLE_PROFILE, SDS_USER, build_directory
from tests.refserver.conftest import assert_stu3

DIRECTORY = build_directory()
BY_ID = {(resource["resourceType"], resource["id"]): resource for resource in DIRECTORY.resources}


def test_it_is_the_same_every_time_with_unique_ids() -> None:
    assert build_directory() == DIRECTORY
    assert len(BY_ID) == len(DIRECTORY.resources)


def test_every_resource_is_careconnect_shaped_with_its_national_identifiers() -> None:
    systems = {
        "Organization": [ODS_ORGANIZATION],
        "Location": [ODS_SITE],
        "Practitioner": [SDS_USER, SDS_ROLE_PROFILE],
        "PractitionerRole": [SDS_ROLE_PROFILE],
    }
    for (kind, _), resource in BY_ID.items():
        assert_stu3(resource)
        assert resource["meta"]["profile"] == [f"https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{kind}-1"]
        assert [identifier["system"] for identifier in resource["identifier"]] == systems[kind]


def test_the_ig_sample_entities_are_there() -> None:
    moir = BY_ID[("Organization", "ods-c81010")]
    assert (moir["identifier"][0]["value"], moir["name"], moir["address"][0]["postalCode"]) == (
        "C81010", "The Moir Medical Centre", "NG10 1QQ"
    )  # fmt: skip
    assert BY_ID[("Organization", "ods-rtg")]["name"] == "Derby Teaching Hospitals NHS Trust"
    clinic = BY_ID[("Location", "site-rtg08")]
    assert (clinic["name"], clinic["address"]["postalCode"]) == ("Long Eaton Clinic", "NG10 1RY")
    bhatia = BY_ID[("Practitioner", "sds-g8133438")]
    assert (bhatia["identifier"][0]["value"], bhatia["name"][0]["family"]) == ("G8133438", "Bhatia")
    role = BY_ID[("PractitionerRole", "sds-g8133438-role")]
    assert role["code"][0]["coding"][0]["code"] == "R0260"
    assert role["organization"]["reference"] == "Organization/ods-c81010"


def test_practices_and_trusts_name_resources_of_the_directory() -> None:
    for practice in (*DIRECTORY.practices, *DIRECTORY.trusts):
        assert ("Organization", practice.organization) in BY_ID and ("Location", practice.location) in BY_ID
        assert all(("Practitioner", staff) in BY_ID for staff in practice.practitioners)
        assert BY_ID[("Location", practice.location)]["managingOrganization"]["reference"] == (f"Organization/{practice.organization}")
