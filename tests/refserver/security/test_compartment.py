"""Tests for carecheck.refserver.security.compartment: how a patient-context token's requests are confined."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.types import Scope

from carecheck.refserver import create_app
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.security.compartment import DIRECTORY_TYPES, Confinement, confine, in_compartment, with_criteria
from tests.refserver.conftest import TestClient

ME = "2f88064f-8dc3-4763-af75-94faf6b08b18"
BOUND = f"the access token is bound to Patient/{ME}"
OTHERS = f"{BOUND}: it reads no other patient's records"
INCLUDES = f"{BOUND}: an _include or _revinclude may bring in only Practitioner, PractitionerRole, Organization, Location and Medication records"


@pytest.mark.parametrize(
    ("route", "included", "confinement"),
    [
        (f"/Patient/{ME}", (), Confinement()),
        ("/Patient/someone-else", (), Confinement(OTHERS)),
        ("/Organization/ods-c81010", (), Confinement()),
        ("/Medication/m1", (), Confinement()),
        ("/Observation/o1", (), Confinement(OTHERS, record=("Observation", "o1"))),
        ("/Observation/a,b", (), Confinement(OTHERS)),
        ("/Patient", (), Confinement(criteria=(("_id", ME),))),
        ("/Patient/_search", (), Confinement(criteria=(("_id", ME),))),
        ("/Condition", (), Confinement(criteria=(("patient", f"Patient/{ME}"),))),
        ("/MedicationRequest", ("Medication",), Confinement(criteria=(("patient", f"Patient/{ME}"),))),
        ("/Practitioner", ("PractitionerRole",), Confinement()),
        ("/Practitioner", ("Observation",), Confinement(INCLUDES)),
        ("/Observation", ("Patient",), Confinement(INCLUDES)),
        ("/Patient", ("*",), Confinement(INCLUDES)),
        ("", (), Confinement(f"{BOUND}: it only reads and searches")),
        (f"/Patient/{ME}/_history", (), Confinement(f"{BOUND}: it only reads and searches")),
        (f"/Patient/{ME}/_history/1", (), Confinement()),  # a vread reads what the read would
        ("/Patient/someone-else/_history/1", (), Confinement(OTHERS)),
        ("/Observation/o1/_history/1", (), Confinement(OTHERS, record=("Observation", "o1"))),
    ],
)
def test_confine(route: str, included: tuple[str, ...], confinement: Confinement) -> None:
    assert confine(route, included, ME) == confinement


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"", b"patient=Patient%2Fp1"),
        (b"_count=2", b"_count=2&patient=Patient%2Fp1"),
        (b"patient=Patient%2Fp1&_count=2&_offset=2", b"patient=Patient%2Fp1&_count=2&_offset=2"),
        (b"patient=Patient/p2", b"patient=Patient/p2&patient=Patient%2Fp1"),
    ],
)
def test_criteria_are_added_once(query: bytes, expected: bytes) -> None:
    scope: Scope = {"type": "http", "query_string": query}
    assert with_criteria(scope, [("patient", "Patient/p1")])["query_string"] == expected
    assert with_criteria(scope, []) is scope


def test_every_served_type_is_the_patient_a_directory_type_or_searchable_by_patient() -> None:
    """The filter adds ``patient=`` to every other type: each must have that parameter, or nothing would be filtered."""
    for name, definition in RESOURCES.items():
        param = definition.param("patient")
        assert name == "Patient" or name in DIRECTORY_TYPES or (param is not None and param.targets == ("Patient",)), name


@pytest.fixture(scope="module")
def seeded() -> Starlette:
    return create_app(population=1)


@pytest.fixture(scope="module")
def observations(seeded: Starlette) -> Iterator[dict[str, str]]:
    """An Observation id of the context patient (``mine``) and one of another patient (``theirs``)."""
    with TestClient(seeded) as client:
        entries = client.get("/STU3/Observation", params={"_count": "200"}).json()["entry"]
    owners = {entry["resource"]["subject"]["reference"]: entry["resource"]["id"] for entry in entries}
    yield {"mine": owners.pop(f"Patient/{ME}"), "theirs": next(iter(owners.values()))}


def _asks(seeded: Starlette, resource_type: str, resource_id: str) -> bool:
    scope: Scope = {
        "type": "http",
        "http_version": "1.1",
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "method": "GET",
        "path": f"/STU3/{resource_type}/{resource_id}",
        "query_string": b"_format=xml",
        "headers": [(b"host", b"testserver"), (b"accept", b"application/fhir+xml")],
    }
    return asyncio.run(in_compartment(seeded, scope, "/STU3", (resource_type, resource_id), ME))


def test_the_app_says_whether_a_record_is_in_the_patients_compartment(seeded: Starlette, observations: dict[str, str]) -> None:
    assert _asks(seeded, "Observation", observations["mine"])
    assert not _asks(seeded, "Observation", observations["theirs"])
    assert not _asks(seeded, "Observation", "no-such-observation")
    assert not _asks(seeded, "NoSuchType", observations["mine"])


def test_a_type_without_a_patient_parameter_is_never_in_the_compartment(seeded: Starlette) -> None:
    """The search is strict, so an unknown ``patient`` parameter is a 400, not a search of every record."""
    assert not _asks(seeded, "Organization", "ods-c81010")
