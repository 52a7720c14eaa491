"""Tests for carecheck.fhir.nhs_number: Modulus 11 and the verification status."""

from __future__ import annotations

import csv

import pytest

from carecheck.fhir import RuleKind, Severity, is_valid_nhs_number, nhs_number_issues
from carecheck.project import data_path
from tests.fhir.samples import broken, patient


@pytest.mark.parametrize("number", ["9876543210", "9658218873", "9000000009", "9014017642"])
def test_valid_numbers(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", ["9658218874", "1352465790", "135 246 5790", "965821887", "96582188733", "１２３４５６７８９０", ""])
def test_invalid_numbers(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_a_check_digit_of_ten_is_invalid() -> None:
    assert not is_valid_nhs_number("0000000060")  # 6 x 2 = 12; 11 - 12 mod 11 = 10


def test_every_seeded_demo_patient_number_is_valid() -> None:
    with data_path("testdata", "ccri-demo-patients.csv").open(encoding="utf-8") as file:
        numbers = [row["nhs_number"] for row in csv.DictReader(file) if row["nhs_number"]]
    assert numbers and all(is_valid_nhs_number(number) for number in numbers)


def test_a_good_patient_has_no_issues() -> None:
    assert nhs_number_issues(patient()) == []


@pytest.mark.parametrize(
    ("path", "value", "location", "severity"),
    [
        ("identifier.0.value", "1234567890", "Patient.identifier[0].value", Severity.ERROR),
        ("identifier.0.extension", None, "Patient.identifier[0].extension", Severity.ERROR),
        ("identifier.0.extension.0.valueCodeableConcept.coding.0.code", "03", "Patient.identifier[0].extension", Severity.WARNING),
    ],
)
def test_rules(path: str, value: object, location: str, severity: Severity) -> None:
    issues = nhs_number_issues(broken(patient(), path, value))
    assert [(i.kind, i.location, i.severity) for i in issues] == [(RuleKind.NHS_NUMBER, location, severity)]
