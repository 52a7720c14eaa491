"""fhir.resources errors explained: real bad resources give plain messages (where, what is wrong, what STU3 expects),
never the library's own wording."""

from __future__ import annotations

import re
from typing import Any

import pytest

from carecheck.checks import CHECKS, Outcome
from carecheck.fhir import validate
from carecheck.fhir.model_errors import describe_value, expected_form
from carecheck.fhir.structure import structural_issues
from tests.exchanges import exchange, interaction

LIBRARY_TEXT = re.compile(
    r"<class |Input should|got type|spec regex|Value error|Invalid JSON|root\b|model_|pydantic|validation error|"
    r"\b(str|dict|NoneType)\b|'[a-z]+': |Any of one field|String should|Base64 decoding"
)

BAD = [
    # (resource, location, words the message must carry)
    (
        {"resourceType": "Location", "id": "l", "name": "Ward 1", "type": [{"text": "ward"}]},
        "Location.type",
        ("found 1 value in a list", "at most one CodeableConcept", "does not repeat"),
    ),
    ({"resourceType": "Location", "id": "l", "type": "ward"}, "Location.type", ('the string "ward"', "STU3 expects a CodeableConcept")),
    ({"resourceType": "Location", "id": "l", "name": ["Ward 1", "Ward 2"]}, "Location.name", ("found 2 values", "at most one string")),
    (
        {"resourceType": "Patient", "id": "p", "birthDate": "1990-13-45"},
        "Patient.birthDate",
        ('"1990-13-45"', "STU3 expects a date (YYYY, YYYY-MM or YYYY-MM-DD"),
    ),
    ({"resourceType": "Patient", "id": "p", "meta": {"lastUpdated": "2020-01-01"}}, "Patient.meta.lastUpdated", ("STU3 expects an instant", "time zone")),
    ({"resourceType": "Patient", "id": "p", "name": [{"given": "Bob"}]}, "Patient.name[0].given", ("given repeats in STU3", 'the string "Bob"')),
    (
        {"resourceType": "Patient", "id": "p", "telecom": [{"system": "phone", "value": "1", "rank": -1}]},
        "Patient.telecom[0].rank",
        ("the number -1 is out of range", "positiveInt (a whole number, 1 or more)"),
    ),
    (
        {"resourceType": "Patient", "id": "p", "contact": [{"bogus": 1}]},
        "Patient.contact[0].bogus",
        ("unknown element", "Patient.contact has no element 'bogus'"),
    ),
    ({"resourceType": "AllergyIntolerance", "id": "a"}, "AllergyIntolerance.patient", ("required element missing", "STU3 requires patient")),
    (
        {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}, "valueQuantity": {"value": 1.5}, "valueString": "x"},
        "Observation.value[x]",
        ("carries valueQuantity, valueString", "value[x] in one type only"),
    ),
    ({"resourceType": "Patient", "id": "bad id!"}, "Patient.id", ('"bad id!"', "STU3 expects an id (1 to 64 letters")),
    ({"resourceType": "Patient", "id": "p", "photo": [{"data": "!!notbase64"}]}, "Patient.photo[0].data", ("STU3 expects a base64Binary",)),
    ({"resourceType": "Patient", "id": "p", "active": "yes"}, "Patient.active", ('found the string "yes"', "STU3 expects a boolean (true or false)")),
    (
        {"resourceType": "Patient", "id": "p", "contained": [{"resourceType": "Organization", "id": "o", "name": ["x"]}]},
        "Patient.contained[0].name",
        ("at most one string",),
    ),
    ({"resourceType": "Patient", "id": "p", "_birthDate": {"id": 5}}, "Patient._birthDate.id", ("found the number 5", "STU3 expects a string")),
]


@pytest.mark.parametrize(("resource", "location", "words"), BAD, ids=[case[1] for case in BAD])
def test_a_bad_resource_is_explained_in_plain_words(resource: dict[str, Any], location: str, words: tuple[str, ...]) -> None:
    issues = [issue for issue in structural_issues(resource) if issue.location == location]
    assert issues, [i.describe() for i in structural_issues(resource)]
    message = issues[0].message
    assert all(word in message for word in words), message
    assert not LIBRARY_TEXT.search(message), message


def test_no_structural_message_carries_library_text() -> None:
    for resource, _, _ in BAD:
        for issue in validate(resource):
            assert not LIBRARY_TEXT.search(issue.message), issue.describe()


def test_the_profile_check_reports_the_translation_for_an_r4_shaped_location() -> None:
    r4 = {
        "resourceType": "Location",
        "id": "l",
        "name": "Ward",
        "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "HOSP"}]}],
    }
    findings = CHECKS.get("profile_valid").run(interaction(exchange(r4, url="http://fhir.test/STU3/Location/l"), kind="read", resource_type="Location"))
    failures = [f for f in findings if f.outcome is Outcome.FAIL and f.pointer == "Location.type"]
    assert failures and "at most one CodeableConcept" in failures[0].message
    assert all(not LIBRARY_TEXT.search(f.message) for f in findings), [f.message for f in findings]


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (None, "null"),
        (True, "true"),
        (3, "the number 3"),
        ("x" * 50, 'the string "' + "x" * 37 + '..."'),
        ([], "no value (an empty list)"),
        ([1, 2], "2 values"),
        ({"b": 1, "a": 2}, "an element with a, b"),
    ],
)
def test_values_are_described_without_python_names(value: Any, described: str) -> None:
    assert describe_value(value) == described


def test_expected_forms_name_the_stu3_type_and_its_form() -> None:
    assert expected_form("positiveInt") == "a positiveInt (a whole number, 1 or more)"
    assert expected_form("Identifier") == "an Identifier (an element with its own elements)"
    assert expected_form("Resource") == "one resource"
