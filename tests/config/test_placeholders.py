"""Filling scenario placeholders from test data."""

from __future__ import annotations

import datetime as dt

import pytest

from carecheck.config import MissingTestData, PatientData, TestData, fill, fill_query

DATA = TestData(patient=PatientData(id="p1", family="MEAKIN", given="Mike", birthdate=dt.date(1927, 6, 19)))


def test_a_query_template_becomes_pairs() -> None:
    assert fill_query("name={patient.family}&birthdate=ge{patient.birthdate}", DATA) == [
        ("name", "MEAKIN"),
        ("birthdate", "ge1927-06-19"),
    ]


def test_derived_fields() -> None:
    assert fill("{patient.family_lower} {patient.family_prefix} {patient.birth_year} {patient.birth_month}", DATA) == "meakin mea 1927 1927-06"


def test_system_and_value_keep_their_bar() -> None:
    data = TestData(patient=PatientData(id="p1", nhs_number="9658218873"))
    assert fill_query("identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}", data) == [
        ("identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218873")
    ]


@pytest.mark.parametrize(("template", "data"), [("{patient.nhs_number}", DATA), ("{patient.id}", TestData())])
def test_missing_values_are_reported_as_missing_test_data(template: str, data: TestData) -> None:
    with pytest.raises(MissingTestData):
        fill(template, data)


def test_an_unknown_field_is_a_mistake_in_the_scenario() -> None:
    with pytest.raises(KeyError, match=r"patient.shoe_size"):
        fill("{patient.shoe_size}", DATA)
