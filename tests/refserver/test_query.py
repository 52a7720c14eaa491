"""Tests for carecheck.refserver.query: parsing and validating searches (what they match: test_sql)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.query import (
    DEFAULT_COUNT,
    MAX_COUNT,
    Chain,
    DateValue,
    MissingValue,
    ReferenceValue,
    SearchQuery,
    StringValue,
    TokenValue,
    parse_search,
)
from carecheck.refserver.store import Include
from carecheck.refserver.values import date_range

NHS = "https://fhir.nhs.uk/Id/nhs-number"
BASE = "http://127.0.0.1:8080/STU3"


def _parse(query: str, resource_type: str = "Patient") -> SearchQuery:
    return parse_search(RESOURCES[resource_type], parse_qsl(query, keep_blank_values=True), base_url=BASE)


def test_parse_reads_values_by_type() -> None:
    query = _parse(f"family:exact=O\\,Neil&identifier={NHS}|9658218873&gender=|male&birthdate=ge1927,1930")
    family, identifier, gender, birthdate = query.criteria
    assert (family.modifier, family.values) == ("exact", (StringValue("O,Neil"),))
    assert identifier.values == (TokenValue(NHS, "9658218873"),)
    assert gender.values == (TokenValue(None, "male"),)
    assert birthdate.values == (DateValue("ge", date_range("1927")), DateValue("eq", date_range("1930")))


def test_escaped_bars_stay_in_a_token() -> None:
    (criterion,) = _parse("identifier=urn:a\\|b|c\\\\").criteria
    assert criterion.values == (TokenValue("urn:a|b", "c\\"),)


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("9658218873", TokenValue(None, "9658218873", any_system=True)),
        (f"{NHS}|9658218873", TokenValue(NHS, "9658218873")),
        ("|9658218873", TokenValue(None, "9658218873")),
        (f"{NHS}|", TokenValue(NHS, None)),
    ],
)
def test_the_four_token_forms(value: str, token: TokenValue) -> None:
    (criterion,) = parse_search(RESOURCES["Patient"], [("identifier", value)]).criteria
    assert criterion.values == (token,)


def test_paging_defaults_and_limits() -> None:
    assert (_parse("").count, _parse("").offset) == (DEFAULT_COUNT, 0)
    assert _parse("_count=7&_offset=14").count == 7
    assert _parse("_count=7&_offset=14").offset == 14
    assert _parse("_count=0").count == 0
    assert _parse("_count=500").count == MAX_COUNT


def test_unknown_names_are_collected_and_format_is_not_one() -> None:
    query = _parse("foo=1&family=x&bar:exact=2&_format=xml&_sort=family&nickname.given=x&a b=1")
    assert query.ignored == ("foo", "bar:exact", "_sort", "nickname.given", "a b")
    assert [criterion.param.name for criterion in query.criteria] == ["family"]


def test_link_params_keep_the_criteria_and_includes_as_received() -> None:
    query = _parse("family:exact=MEAKIN&foo=1&_revinclude=*&birthdate=ge1927,lt1900&_count=5")
    assert query.link_params() == [("family:exact", "MEAKIN"), ("birthdate", "ge1927,lt1900"), ("_revinclude", "*")]


@pytest.mark.parametrize(
    ("value", "reference"),
    [
        ("p1", ReferenceValue(None, "p1")),
        ("Patient/p1", ReferenceValue("Patient", "p1")),
        (f"{BASE}/Patient/p1", ReferenceValue("Patient", "p1")),
        (f"{BASE}/p1", ReferenceValue(None, "p1")),
        ("https://elsewhere.example.org/fhir/Patient/p1", ReferenceValue(url="https://elsewhere.example.org/fhir/Patient/p1")),
    ],
)
def test_the_reference_forms(value: str, reference: ReferenceValue) -> None:
    (criterion,) = _parse(f"patient={value}", "Observation").criteria
    assert criterion.values == (reference,)


def test_a_type_modifier_names_the_target_type() -> None:
    (criterion,) = _parse("subject:Patient=p1", "Procedure").criteria
    assert (criterion.modifier, criterion.values) == (None, (ReferenceValue("Patient", "p1"),))


def test_a_chain_is_a_criterion_on_the_referenced_type() -> None:
    (criterion,) = _parse(f"patient.identifier={NHS}|9658218873", "Observation").criteria
    assert criterion.param.name == "patient" and criterion.values == ()
    assert isinstance(criterion.chain, Chain) and criterion.chain.target == "Patient"
    inner = criterion.chain.criterion
    assert (inner.param.name, inner.values) == ("identifier", (TokenValue(NHS, "9658218873"),))
    (typed,) = _parse("subject:Patient.family:exact=MEAKIN", "Procedure").criteria
    assert typed.chain is not None and typed.chain.criterion.modifier == "exact"
    assert typed.raw == ("subject:Patient.family:exact", "MEAKIN")


def test_missing_takes_true_or_false() -> None:
    (criterion,) = _parse("category:missing=true", "Observation").criteria
    assert criterion.values == (MissingValue(True),)


def test_includes_are_collected_in_order() -> None:
    query = _parse("_include=MedicationRequest:medication&_revinclude=*&patient=p1", "MedicationRequest")
    assert query.includes == (Include(False, "MedicationRequest", "medication"), Include(True, None, None))


@pytest.mark.parametrize(
    ("query", "diagnostics"),
    [
        ("birthdate=19x7", "invalid date '19x7' for 'birthdate': not a FHIR date"),
        ("birthdate=1927-02-30", "invalid date '1927-02-30'"),
        ("birthdate=1927-06-19T00:00:00+01:00", "must be sent as %2B"),
        ("birthdate=xx1927", "unknown prefix 'xx'"),
        ("birthdate=ge", "prefix 'ge' for 'birthdate' is not followed by a date"),
        ("birthdate=ge1927,", "empty value"),
        ("family=", "'family' has an empty value"),
        ("family:exact=", "'family:exact' has an empty value"),
        ("identifier=|", "neither a system nor a code"),
        ("identifier=a|b|c", "more than one unescaped '|'"),
        ("family:foo=x", "unknown modifier :foo"),
        ("family:=x", "unknown modifier :"),
        ("gender:exact=male", "modifier :exact is not supported on token parameter 'gender'"),
        ("birthdate:missing=yes", "must be true or false"),
        ("gender:text=male", "modifier :text is not supported on token parameter 'gender'"),
        ("family.given=x", "only reference parameters can be chained"),
        ("organization:missing.name=x", "a chained parameter takes no :missing"),
        ("_count=abc", "_count must be a whole number"),
        ("_count=-1", "_count must be a whole number"),
        ("_count=", "_count must be a whole number"),
        ("_count=1&_count=2", "_count is given more than once"),
        ("_offset=1.5", "_offset must be a whole number"),
        ("_offset=1234567890", "_offset must be a whole number from 0 to 999999999"),
        ("_count:exact=5", "_count takes no modifier"),
    ],
)
def test_invalid_searches_are_refused_with_a_reason(query: str, diagnostics: str) -> None:
    with pytest.raises(FhirError) as refused:
        _parse(query)
    assert refused.value.status == 400
    assert refused.value.code == "invalid"
    assert diagnostics in refused.value.diagnostics


@pytest.mark.parametrize(
    ("resource_type", "query", "diagnostics"),
    [
        ("Observation", "patient=Observation/1", "'patient' refers to Patient, not Observation"),
        ("Observation", "patient=a b", "is not an id, Type/id or absolute URL"),
        ("Procedure", "subject:Observation=1", "'subject' refers to Group or Patient, not Observation"),
        ("Procedure", "subject:Patient=Group/1", "subject:Patient cannot match a reference to Group"),
        ("Patient", "general-practitioner.identifier=x", "e.g. general-practitioner:Organization.identifier"),
        ("Observation", "patient.nickname=x", "Patient has no search parameter 'nickname'"),
        ("Observation", "patient.organization.name=x", "only one level of chaining"),
        ("Observation", "patient.family:missing=true", "only one level of chaining, without :missing"),
        ("Observation", "patient:Patient:missing=true", "is not a search parameter key"),
        ("MedicationRequest", "_include=MedicationRequest:patient:Practitioner", "refers to Patient"),
    ],
)
def test_invalid_references_and_chains_are_refused(resource_type: str, query: str, diagnostics: str) -> None:
    with pytest.raises(FhirError) as refused:
        _parse(query, resource_type)
    assert refused.value.status == 400
    assert refused.value.code == "invalid"
    assert diagnostics in refused.value.diagnostics
