"""Search values built from a record, in every form a scenario can ask for."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.search import Outcome, default_registry, matches, parse_criterion
from carecheck.search.examples import FORMS, example, why_no_example

PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "m",
    "name": [{"use": "official", "family": "Antić", "given": ["Mina"]}],
    "gender": "female",
    "birthDate": "1954-08-10",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9534377821"}],
    "generalPractitioner": [{"reference": "Practitioner/g1"}],
}
CONDITION: dict[str, Any] = {
    "resourceType": "Condition",
    "id": "c",
    "subject": {"reference": "Patient/m"},
    "clinicalStatus": "active",
    "assertedDate": "2012-03-04T10:30:00+00:00",
    "category": [{"coding": [{"system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1", "code": "problem-list-item"}]}],
}


def build(resource: dict[str, Any], name: str, form: str) -> tuple[str, str] | None:
    parameter = default_registry().parameter(resource["resourceType"], name)
    found = example(
        resource,
        parameter,
        form,
        base_url="http://fhir.test/STU3",
        resolve=lambda ref: {"identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9534377821"}]},
    )
    return (found.key, found.value) if found else None


@pytest.mark.parametrize(
    ("name", "form", "expected"),
    [
        ("family", "value", ("family", "Antić")),
        ("family", "lower-case", ("family", "antić")),
        ("family", "prefix", ("family", "ant")),
        ("family", "accents-folded", ("family", "antic")),
        ("family", "exact", ("family:exact", "Antić")),
        ("family", "exact-wrong-case", ("family:exact", "aNTIĆ")),
        ("family", "contains", ("family:contains", "nti")),
        ("gender", "code", ("gender", "female")),
        ("gender", "system|code", None),
        ("gender", "not", ("gender:not", "female")),
        ("identifier", "system|code", ("identifier", "https://fhir.nhs.uk/Id/nhs-number|9534377821")),
        ("identifier", "system|", ("identifier", "https://fhir.nhs.uk/Id/nhs-number|")),
        ("birthdate", "year", ("birthdate", "1954")),
        ("birthdate", "month", ("birthdate", "1954-08")),
        ("birthdate", "day", ("birthdate", "1954-08-10")),
        ("birthdate", "lt", ("birthdate", "lt1954-08-10")),
        ("general-practitioner", "id", ("general-practitioner", "g1")),
        ("general-practitioner", "type/id", ("general-practitioner", "Practitioner/g1")),
        ("general-practitioner", "url", ("general-practitioner", "http://fhir.test/STU3/Practitioner/g1")),
        ("general-practitioner", "typed", ("general-practitioner:Practitioner", "g1")),
        ("email", "code", None),
    ],
)
def test_patient_examples(name: str, form: str, expected: tuple[str, str] | None) -> None:
    assert build(PATIENT, name, form) == expected


@pytest.mark.parametrize(
    ("name", "form", "expected"),
    [
        ("asserted-date", "day", None),  # a dateTime with a time: a day search would depend on the time zone
        ("asserted-date", "ge", ("asserted-date", "ge2012-03-02")),
        ("asserted-date", "lt", ("asserted-date", "lt2012-03-06")),
        ("asserted-date", "year", ("asserted-date", "2012")),
        ("patient", "identifier", ("patient.identifier", "https://fhir.nhs.uk/Id/nhs-number|9534377821")),
        ("category", "system|code", ("category", "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1|problem-list-item")),
    ],
)
def test_condition_examples(name: str, form: str, expected: tuple[str, str] | None) -> None:
    assert build(CONDITION, name, form) == expected


@pytest.mark.parametrize(
    ("name", "form", "outcome"),
    [("family", form, Outcome.MATCH) for form in ("value", "lower-case", "prefix", "accents-folded", "exact", "contains")]
    + [
        ("family", "exact-wrong-case", Outcome.NO_MATCH),
        ("gender", "not", Outcome.NO_MATCH),
        ("birthdate", "ge", Outcome.MATCH),
        ("birthdate", "lt", Outcome.NO_MATCH),
        ("birthdate", "sa", Outcome.NO_MATCH),
    ],
)
def test_the_oracle_decides_what_each_form_should_find(name: str, form: str, outcome: Outcome) -> None:
    built = build(PATIENT, name, form)
    assert built is not None
    criterion = parse_criterion("Patient", *built)
    assert matches(PATIENT, criterion).outcome is outcome


CONTACT: dict[str, Any] = {
    **PATIENT,
    "telecom": [{"system": "phone", "value": "0113 496 0234"}, {"system": "email", "value": "mike.meakin@example.com"}],
}


def test_contact_forms_fit_only_their_kind_of_contact() -> None:
    assert build(CONTACT, "email", "tel") is None
    assert build(CONTACT, "phone", "mailto") is None
    assert build(CONTACT, "phone", "other-system") is None
    assert build(CONTACT, "identifier", "digits") is None


@pytest.mark.parametrize(
    ("resource", "name", "form", "expected", "outcome"),
    [
        (CONTACT, "phone", "code", "0113 496 0234", Outcome.MATCH),
        (CONTACT, "phone", "digits", "01134960234", Outcome.UNDECIDABLE),
        (CONTACT, "phone", "spaced", "(0113) 4960234", Outcome.UNDECIDABLE),
        (CONTACT, "phone", "international", "+44 1134960234", Outcome.UNDECIDABLE),
        (CONTACT, "phone", "tel", "tel:01134960234", Outcome.UNDECIDABLE),
        (CONTACT, "phone", "tel-international", "tel:+441134960234", Outcome.UNDECIDABLE),
        (CONTACT, "phone", "absent", "+999 0000 0000", Outcome.NO_MATCH),
        (CONTACT, "email", "code", "mike.meakin@example.com", Outcome.MATCH),
        (CONTACT, "email", "upper-case", "MIKE.MEAKIN@EXAMPLE.COM", Outcome.UNDECIDABLE),
        (CONTACT, "email", "mailto", "mailto:mike.meakin@example.com", Outcome.UNDECIDABLE),
        (CONTACT, "email", "absent", "nobody@carecheck.invalid", Outcome.NO_MATCH),
        (PATIENT, "identifier", "other-system", "https://fhir.nhs.uk/Id/local-patient-identifier|9534377821", Outcome.NO_MATCH),
        (PATIENT, "identifier", "unknown-system", "https://carecheck.invalid/Id/unknown-system|9534377821", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "eq", "eq1954-08-10", Outcome.MATCH),
        (PATIENT, "birthdate", "eq-year", "eq1954", Outcome.MATCH),
        (PATIENT, "birthdate", "ne-year", "ne1954", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "gt-year", "gt1954", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "lt-month", "lt1954-08", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "ge-month", "ge1954-08", Outcome.MATCH),
        (PATIENT, "birthdate", "le-year", "le1954", Outcome.MATCH),
        (PATIENT, "birthdate", "sa-year", "sa1954", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "eb-month", "eb1954-08", Outcome.NO_MATCH),
        (PATIENT, "birthdate", "ap-year", "ap1954", Outcome.MATCH),
        (PATIENT, "birthdate", "ap-month", "ap1954-08", Outcome.MATCH),
    ],
)
def test_contact_system_and_prefix_forms_and_what_stu3_makes_of_them(resource: dict[str, Any], name: str, form: str, expected: str, outcome: Outcome) -> None:
    built = build(resource, name, form)
    assert built == (name, expected)
    assert matches(resource, parse_criterion("Patient", *built)).outcome is outcome


def test_a_code_in_the_wrong_system() -> None:
    observation = {"resourceType": "Observation", "id": "o", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "364075005"}]}}
    built = build(observation, "code", "other-system")
    assert built == ("code", "http://loinc.org|364075005")
    assert matches(observation, parse_criterion("Observation", *built)).outcome is Outcome.NO_MATCH


def test_an_unknown_form_is_a_mistake_in_the_scenario() -> None:
    with pytest.raises(ValueError, match="no form 'soundex'"):
        build(PATIENT, "family", "soundex")


def test_every_type_has_forms() -> None:
    assert set(FORMS) == {"string", "token", "date", "reference"}


ZOE: dict[str, Any] = {"resourceType": "Patient", "id": "z", "name": [{"family": "Smith", "given": ["Zoë"]}]}
ALLERGY: dict[str, Any] = {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/m"}, "onsetDateTime": "2011-05-06"}


def explain(resource: dict[str, Any], name: str, form: str) -> str:
    return why_no_example(resource, default_registry().parameter(resource["resourceType"], name), form, resolve=lambda ref: None)


def test_every_part_of_a_name_is_tried_for_a_form() -> None:
    assert build(ZOE, "name", "accents-folded") == ("name", "zoe"), "the accent is in the given name, not the first part"
    assert build(ZOE, "name", "value") == ("name", "Smith")
    criterion = parse_criterion("Patient", "name", "zoe")
    assert matches(ZOE, criterion).outcome is Outcome.MATCH


def test_why_no_example_names_the_record_the_element_and_what_it_lacks() -> None:
    assert explain(ALLERGY, "date", "year") == (
        "AllergyIntolerance/a1 has no AllergyIntolerance.assertedDate (what date searches); it has dates under onsetDateTime, which date does not search"
    )
    assert explain(PATIENT, "name", "accents-folded") == "", "Antić has an accent to fold"
    assert explain({**PATIENT, "name": [{"family": "Meakin", "given": ["Mike"]}]}, "name", "accents-folded").endswith(
        "none of Meakin, Mike has an accent or other mark to fold away"
    )
    assert "2012-03-04T10:30:00+00:00 has a time of day" in explain(CONDITION, "asserted-date", "day")
    assert "Condition/c's patient values" in explain(CONDITION, "patient", "identifier")
    assert "Patient/m, which it refers to, is not a known record" in explain(CONDITION, "patient", "identifier")
    assert explain(PATIENT, "gender", "system|code").endswith("the code female has no system, which the system|code form needs")
    assert explain(PATIENT, "email", "code") == "Patient/m has no Patient.telecom.where(system='email') (what email searches)"
