"""The search oracle on string, token, reference, uri and chained parameters, and folding whole searches.

Dates have their own tables in test_oracle_dates.py. Rules quoted from STU3 search.html: string "a field
matches a string query if the value of the field equals or starts with the supplied parameter value, after
both have been normalized by case and accent"; ``:exact`` "the search parameter must match the entire
string, including casing and combining characters"; ``:contains`` matches anywhere. Token "[system]|[code]",
"[code]" in any system, "|[code]" with no system, "[system]|" any code; ``:not`` "reverses the code matching:
returns all resources that do not have a matching item"; ``:text`` searches the text or display.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from carecheck.search import (
    CARE_CONNECT_RESOURCES,
    Decision,
    Outcome,
    default_registry,
    matches,
    matches_search,
    parse_criterion,
    parse_search,
)

M, N, U, K = Outcome.MATCH, Outcome.NO_MATCH, Outcome.UNDECIDABLE, Outcome.UNKNOWN
NHS = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
PROFILE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"
URN = "urn:uuid:6b7b8c2e-8d7a-4c1e-9d4b-1a2b3c4d5e6f"

MEAKIN = {
    "resourceType": "Patient",
    "id": "x",
    "meta": {"profile": [PROFILE]},
    "identifier": [{"system": NHS, "value": "9000000009"}, {"value": "LOCAL1001"}],
    "active": True,
    "name": [{"family": "Meakin", "given": ["Mike"], "prefix": ["Mr"]}],
    "telecom": [{"system": "phone", "value": "0113 496 0000"}, {"system": "email", "value": "mike@example.org"}],
    "gender": "male",
    "birthDate": "1927-06-19",
    "address": [{"line": ["1 Leeds Road"], "city": "Leeds", "postalCode": "LS15 8BD"}],
    "managingOrganization": {"reference": "Organization/o1"},
}
ANTIC = {
    "resourceType": "Patient",
    "id": "a",
    "name": [{"family": "Antić", "given": ["Željko"]}],
    "deceasedBoolean": True,
}
KANFELD = {"resourceType": "Patient", "id": "bk", "name": [{"family": "Kanfeld", "given": ["Bernie"]}]}
KANFELD_TEXT = {"resourceType": "Patient", "id": "bt", "name": [{"text": "Bernie Kanfeld"}]}
ORGANIZATION = {
    "resourceType": "Organization",
    "id": "o1",
    "name": "Leeds City Medical Practice",
    "alias": ["LCMP"],
    "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B86012"}],
}
CONDITION = {
    "resourceType": "Condition",
    "id": "c1",
    "clinicalStatus": "active",
    "category": [
        {
            "coding": [
                {
                    "system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1",
                    "code": "problem-list-item",
                    "display": "Problem list item",
                }
            ]
        }
    ],
    "code": {
        "coding": [{"system": "http://read.info/readv2", "code": "G30.."}, {"system": SNOMED, "code": "22298006", "display": "Myocardial infarction"}],
        "text": "Heart attack",
    },
    "subject": {"reference": "Patient/x"},
}
GROUP_CONDITION = {"resourceType": "Condition", "id": "c2", "subject": {"reference": "Group/x"}}
IMMUNIZATION = {
    "resourceType": "Immunization",
    "id": "i1",
    "status": "completed",
    "notGiven": False,
    "patient": {"reference": "https://server.example/STU3/Patient/x/_history/3"},
}
RESOURCES: Mapping[str, Mapping[str, Any]] = {
    "meakin": MEAKIN,
    "antic": ANTIC,
    "kanfeld": KANFELD,
    "kanfeld-text": KANFELD_TEXT,
    "org": ORGANIZATION,
    "condition": CONDITION,
    "group-condition": GROUP_CONDITION,
    "immunization": IMMUNIZATION,
}


def _judge(name: str, key: str, value: str, **options: Any) -> Decision:
    resource = RESOURCES[name]
    return matches(resource, parse_criterion(resource["resourceType"], key, value), **options)


def _cases(rows: list[tuple[str, str, str, Outcome, str]]) -> list[Any]:
    return [pytest.param(*row, id=f"{row[0]}?{row[1]}={row[2]}->{row[3].name}") for row in rows]


STRINGS = [
    ("antic", "family", "antic", M, 'family of Patient/a starts with "antic" (case- and accent-insensitive): Antić'),
    ("antic", "family", "ANTIĆ", M, ""),
    ("antic", "family", "ant", M, ""),
    ("antic", "family", "tic", N, 'no family of Patient/a starts with "tic" (case- and accent-insensitive); families: Antić'),
    ("antic", "given", "zel", M, "Željko"),
    ("antic", "family:exact", "Antić", M, 'is exactly "Antić" (case- and accent-sensitive)'),
    ("antic", "family:exact", "Antic", N, ""),
    ("antic", "family:exact", "antić", N, ""),
    ("antic", "family:exact", "Anti", N, ""),
    ("antic", "family:contains", "TIC", M, 'family of Patient/a contains "TIC"'),
    ("antic", "family:contains", "x", N, ""),
    ("meakin", "name", "smi", N, 'no name of Patient/x starts with "smi" (case- and accent-insensitive); names: Meakin Mike Mr'),
    ("meakin", "name", "mea", M, ""),
    ("meakin", "name", "mik", M, ""),
    ("meakin", "name", "mr", M, ""),
    ("meakin", "name", "smith,meakin", M, ""),
    ("meakin", "name", "smith,jones", N, '"smith" or "jones"'),
    ("meakin", "given", "Mike Meakin", N, ""),
    # The IG's own example name=bernie%20kanfeld: STU3 calls name "a server defined search" over the parts.
    ("kanfeld", "name", "bernie kanfeld", U, "STU3 leaves a search across the parts of one name to the server"),
    ("kanfeld", "name", "bernie jones", N, ""),
    ("kanfeld-text", "name", "bernie kan", M, ""),
    ("meakin", "address-postalcode", "ls15", M, ""),
    ("meakin", "address-postalcode", "LS158BD", N, ""),
    ("meakin", "address", "leeds", M, "Leeds"),
    ("meakin", "address", "road", N, ""),
    ("meakin", "address-city", "LEEDS", M, ""),
    ("org", "name", "lcmp", M, "LCMP"),
    ("org", "name", "leeds city", M, ""),
    ("org", "name:exact", "Leeds City Medical Practice", M, ""),
    ("antic", "address", "leeds", N, "addresses: (none)"),
]


@pytest.mark.parametrize(("resource", "key", "value", "outcome", "reason"), _cases(STRINGS))
def test_string(resource: str, key: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(resource, key, value)
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


TOKENS = [
    ("meakin", "gender", "male", M, "gender male of Patient/x matches male"),
    ("meakin", "gender", "Male", N, "no gender of Patient/x matches Male; genders: male"),  # codes are case-sensitive
    ("meakin", "gender", "female,male", M, ""),
    ("meakin", "gender", "http://hl7.org/fhir/administrative-gender|male", K, "system is implicit"),
    ("meakin", "gender", "|male", K, ""),
    ("meakin", "gender", "http://hl7.org/fhir/administrative-gender|female", N, ""),
    ("meakin", "gender", "http://hl7.org/fhir/administrative-gender|", K, ""),
    ("meakin", "gender:not", "male", N, "so :not=male does not match"),
    ("meakin", "gender:not", "female", M, "so :not=female matches"),
    ("antic", "gender:not", "male", M, ""),  # "a resource with no value matches :not"
    ("meakin", "gender:not", "|male", K, ""),
    ("meakin", "identifier", f"{NHS}|9000000009", M, f"identifier {NHS}|9000000009 of Patient/x"),
    ("meakin", "identifier", "9000000009", M, ""),
    ("meakin", "identifier", f"{NHS}|", M, ""),
    ("meakin", "identifier", "|9000000009", N, ""),  # it has a system
    ("meakin", "identifier", "|LOCAL1001", M, ""),  # it has none
    ("meakin", "identifier", "local1001", N, ""),  # identifier values are compared exactly
    ("meakin", "identifier", "https://fhir.example.nhs.uk/PAS/Patient|9000000009", N, ""),
    ("meakin", "identifier", f"{NHS}|1,{NHS}|9000000009", M, ""),
    ("meakin", "identifier:not", f"{NHS}|9000000009", N, ""),
    ("meakin", "active", "true", M, ""),
    ("meakin", "active", "false", N, ""),
    ("antic", "deceased", "true", M, ""),
    ("meakin", "deceased", "false", M, ""),
    ("meakin", "_id", "x", M, "id x of Patient/x matches x"),
    ("meakin", "_id", "y,x", M, ""),
    ("meakin", "_id", "X", N, ""),
    ("meakin", "email", "mike@example.org", M, ""),
    ("meakin", "email", "MIKE@example.org", U, "which STU3 neither requires nor forbids for ContactPoint"),
    ("meakin", "email", "mailto:mike@example.org", U, "a tel:/mailto: scheme"),
    ("meakin", "email", "nobody@carecheck.invalid", N, ""),
    ("meakin", "phone", "tel:01134960000", U, ""),
    ("meakin", "phone", "+44 113 496 0000", U, "+44 for a leading 0"),
    ("meakin", "phone", "tel:+441134960000", U, ""),
    ("meakin", "phone", "0044 113 496 0000", U, ""),
    ("meakin", "phone", "(0113) 4960000", U, ""),
    ("meakin", "phone", "+999 0000 0000", N, ""),
    ("meakin", "phone", "+45 113 496 0000", N, ""),
    ("meakin", "email", "0113 496 0000", N, ""),  # the phone is not an email: the expression filters by system
    ("meakin", "phone", "0113 496 0000", M, ""),
    ("meakin", "phone", "01134960000", U, ""),
    ("meakin", "phone", "07999", N, ""),
    ("meakin", "phone", "tel|0113 496 0000", U, "no token system"),
    ("condition", "code", f"{SNOMED}|22298006", M, f"code http://read.info/readv2|G30.. {SNOMED}|22298006"),
    ("condition", "code", "22298006", M, ""),
    ("condition", "code", "G30..", M, ""),
    ("condition", "code", f"{SNOMED}|G30..", N, ""),
    ("condition", "code", "|22298006", N, ""),
    ("condition", "code", f"{SNOMED}|", M, ""),
    ("condition", "code:not", "22298006", N, ""),
    ("condition", "code:text", "heart", M, 'code text of Condition/c1 starts with "heart"'),
    ("condition", "code:text", "myocardial", M, ""),
    ("condition", "code:text", "attack", N, ""),
    ("condition", "code:below", "22298006", K, "needs the terminology server"),
    ("condition", "code:in", "http://example.org/ValueSet/x", K, ""),
    ("condition", "category", "problem-list-item", M, ""),
    ("condition", "category", "encounter-diagnosis", N, ""),
    ("condition", "clinical-status", "active", M, ""),
    ("condition", "clinical-status", "active,resolved", M, ""),
    ("immunization", "notgiven", "false", M, ""),
    ("immunization", "status", "completed", M, ""),
]


@pytest.mark.parametrize(("resource", "key", "value", "outcome", "reason"), _cases(TOKENS))
def test_token(resource: str, key: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(resource, key, value)
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


REFERENCES = [
    ("condition", "patient", "x", M, "subject Patient/x of Condition/c1 refers to x"),
    ("condition", "patient", "Patient/x", M, ""),
    ("condition", "patient", "y,x", M, ""),
    ("condition", "patient", "Patient/y", N, "no subject of Condition/c1 refers to Patient/y; subjects: Patient/x"),
    ("condition", "patient", "https://server.example/STU3/Patient/x", M, "is taken to be this server's base"),
    ("condition", "subject", "x", M, ""),
    ("condition", "subject:Patient", "x", M, ""),
    ("condition", "subject:Group", "x", N, "(a Group)"),
    ("group-condition", "patient", "x", N, ""),  # patient means a Patient subject
    ("group-condition", "subject", "x", M, ""),
    ("group-condition", "subject", "Patient/x", N, ""),
    ("immunization", "patient", "x", M, "(same type and id; https://server.example/STU3 is taken"),
    ("immunization", "patient", "https://server.example/STU3/Patient/x", M, ""),
    ("immunization", "patient", "https://other.example/fhir/Patient/x", N, ""),
    ("meakin", "organization", "o1", M, ""),
    ("meakin", "organization", "Organization/o2", N, ""),
    ("meakin", "general-practitioner", "p1", N, "generalPractitioners: (none)"),
]


@pytest.mark.parametrize(("resource", "key", "value", "outcome", "reason"), _cases(REFERENCES))
def test_reference(resource: str, key: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(resource, key, value)
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


@pytest.mark.parametrize(
    ("reference", "value", "outcome"),
    [
        ({"reference": "Patient/x/_history/2"}, "x", M),
        ({"reference": "#p1"}, "p1", N),
        ({"identifier": {"system": NHS, "value": "9000000009"}}, "x", N),
        ({"display": "Mike Meakin"}, "x", N),
        ({"reference": URN}, URN, M),
        ({"reference": URN}, "x", N),
    ],
    ids=["versioned", "contained", "identifier-only", "display-only", "same-urn", "other-urn"],
)
def test_reference_forms(reference: dict[str, Any], value: str, outcome: Outcome) -> None:
    observation = {"resourceType": "Observation", "id": "o", "subject": reference}
    assert matches(observation, parse_criterion("Observation", "patient", value)).outcome is outcome


def test_medication_reference_and_code_choice() -> None:
    request = {"resourceType": "MedicationRequest", "id": "m", "medicationReference": {"reference": "Medication/1"}}
    assert matches(request, parse_criterion("MedicationRequest", "medication", "1")).matched
    coded = {"resourceType": "MedicationRequest", "id": "m", "medicationCodeableConcept": {"coding": [{"system": SNOMED, "code": "10097211000001102"}]}}
    assert matches(coded, parse_criterion("MedicationRequest", "medication", "1")).outcome is N
    assert matches(coded, parse_criterion("MedicationRequest", "code", "10097211000001102")).matched


def _resolver(*resources: Mapping[str, Any]) -> Any:
    known = {f"{r['resourceType']}/{r['id']}": r for r in resources}
    return known.get


CHAINS = [
    ("condition", "patient.identifier", f"{NHS}|9000000009", M, f"subject Patient/x: identifier {NHS}|9000000009"),
    ("condition", "patient.identifier", f"{NHS}|1234567890", N, "subject Patient/x: no identifier of Patient/x"),
    ("condition", "patient.name", "mea", M, ""),
    (
        "condition",
        "patient.birthdate",
        "lt1900",
        N,
        "birthDate 1927-06-19 (from 1927-06-19T00:00:00 to before 1927-06-20T00:00:00 in the server's local time) against lt1900",
    ),
    ("condition", "subject:Patient.identifier", "9000000009", M, ""),
    ("condition", "patient.organization.name", "leeds", M, "Organization/o1: name or alias of Organization/o1 starts"),
    ("condition", "patient.organization.identifier", "B86012,X", M, ""),
    ("group-condition", "subject:Patient.identifier", "9000000009", N, "no subject of Condition/c2 refers to a Patient"),
    ("immunization", "patient.identifier", "9000000009", M, ""),
]


@pytest.mark.parametrize(("resource", "key", "value", "outcome", "reason"), _cases(CHAINS))
def test_chained(resource: str, key: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(resource, key, value, resolve=_resolver(MEAKIN, ORGANIZATION))
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


@pytest.mark.parametrize(
    ("resolve", "reason"),
    [
        (None, "needs the referenced resource and no resolver was given"),
        (_resolver(), "subject Patient/x of Condition/c1 could not be resolved"),
        (lambda key: ORGANIZATION, "resolving Patient/x gave a Organization"),
    ],
    ids=["no-resolver", "not-found", "wrong-type"],
)
def test_chained_without_the_referenced_resource_is_unknown(resolve: Any, reason: str) -> None:
    decision = _judge("condition", "patient.identifier", "9000000009", resolve=resolve)
    assert decision.outcome is K
    assert reason in decision.reason


def test_chain_through_a_contained_reference_is_unknown() -> None:
    observation = {"resourceType": "Observation", "id": "o", "subject": {"reference": "#p"}, "contained": [dict(MEAKIN, id="p")]}
    decision = matches(observation, parse_criterion("Observation", "patient.name", "mea"), resolve=_resolver())
    assert decision.outcome is K and "contained reference" in decision.reason


MISSING_AND_URIS = [
    ("meakin", "birthdate:missing", "false", M, "Patient/x has birthDate 1927-06-19, so :missing=false matches"),
    ("meakin", "birthdate:missing", "true", N, ""),
    ("antic", "birthdate:missing", "true", M, "Patient/a has no birthDate, so :missing=true matches"),
    ("antic", "email:missing", "true", M, ""),
    ("condition", "patient:missing", "false", M, ""),
    ("condition", "asserted-date:missing", "true", M, ""),
    ("meakin", "_profile", PROFILE, M, ""),
    ("meakin", "_profile", PROFILE.lower(), N, ""),
    ("meakin", "_profile:below", "https://fhir.hl7.org.uk/STU3/", M, ""),
    ("meakin", "_profile:above", PROFILE + "/extra", M, ""),
    ("meakin", "_profile:below", "https://fhir.nhs.uk/", N, ""),
]


@pytest.mark.parametrize(("resource", "key", "value", "outcome", "reason"), _cases(MISSING_AND_URIS))
def test_missing_and_uri(resource: str, key: str, value: str, outcome: Outcome, reason: str) -> None:
    decision = _judge(resource, key, value)
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


@pytest.mark.parametrize(
    ("resource_type", "key", "value"),
    [
        ("Encounter", "length", "5"),
        ("Observation", "value-quantity", "gt5|http://unitsofmeasure.org|kg"),
        ("Observation", "code-value-concept", "1234$5678"),
        ("Patient", "_text", "x"),
        ("Patient", "_content", "x"),
    ],
    ids=["number", "quantity", "composite", "_text", "_content"],
)
def test_types_the_oracle_does_not_judge_are_unknown(resource_type: str, key: str, value: str) -> None:
    resource = {"resourceType": resource_type, "id": "r", "valueQuantity": {"value": 6}}
    assert matches(resource, parse_criterion(resource_type, key, value)).outcome is K


SEARCHES = [
    ("name=mea&gender=male", M, "name=mea: name of Patient/x starts with"),
    ("name=mea&gender=female", N, "gender=female: no gender of Patient/x matches female"),
    ("family=meakin&birthdate=1927-06-19", M, "; birthdate=1927-06-19: birthDate 1927-06-19 (from 1927-06-19T00:00:00"),
    ("name=mea&gender=http://hl7.org/fhir/administrative-gender|male", K, "gender=http"),
    ("name=zzz&gender=http://hl7.org/fhir/administrative-gender|male", N, "name=zzz"),
    ("given=mike&given=bob", N, "given=bob"),
    ("bogus=1&_count=5", M, "the search has no criteria"),
]


@pytest.mark.parametrize(("query", "outcome", "reason"), SEARCHES, ids=[row[0] for row in SEARCHES])
def test_matches_search_ands_criteria(query: str, outcome: Outcome, reason: str) -> None:
    decision = matches_search(MEAKIN, parse_search("Patient", query))
    assert decision.outcome is outcome, decision.reason
    assert reason in decision.reason


def test_matches_search_rejects_another_resource_type() -> None:
    with pytest.raises(ValueError, match="cannot be judged against a Patient search"):
        matches_search(CONDITION, parse_search("Patient", "family=x"))


def test_decision_has_no_truth_value() -> None:
    decision = _judge("meakin", "gender", "male")
    with pytest.raises(TypeError, match="four outcomes"):
        bool(decision)
    assert str(decision) == "MATCH: gender male of Patient/x matches male"


def _sample_value(kind: str) -> str:
    return {"string": "a", "token": "a", "date": "ge2010", "reference": "1", "number": "1", "quantity": "1", "uri": "http://a", "composite": "a$b"}[kind]


ODD = {
    "name": "not-a-list",
    "birthDate": 1927,
    "telecom": [None, 5, {"system": "email"}],
    "subject": "Patient/1",
    "code": {"coding": "x"},
    "effectiveDateTime": "yesterday",
    "period": {"start": "2010-02-30"},
    "meta": {"lastUpdated": []},
}


@pytest.mark.parametrize("resource_type", CARE_CONNECT_RESOURCES)
def test_every_parameter_judges_an_empty_and_an_odd_resource_without_raising(resource_type: str) -> None:
    registry = default_registry()
    for resource in ({"resourceType": resource_type}, {"resourceType": resource_type, "id": "r", **ODD}):
        for parameter in registry.parameters(resource_type):
            criterion = parse_criterion(resource_type, parameter.name, _sample_value(parameter.type))
            decision = matches(resource, criterion)
            assert decision.reason, parameter.name
