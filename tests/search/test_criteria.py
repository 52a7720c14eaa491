"""Parsing search queries into criteria, controls and unknown names; typed values; syntax errors."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from carecheck.search import (
    Criterion,
    ReferenceValue,
    SearchSyntaxError,
    TokenValue,
    UnknownResourceType,
    parse_criterion,
    parse_date_value,
    parse_reference_value,
    parse_search,
    parse_token_value,
)
from carecheck.search.criteria import split_values, unescape

# (resource, key, value) → (name, modifier, chain, values as sent)
KEYS = [
    ("Patient", "family", "smith", ("family", None, None, ("smith",))),
    ("Patient", "family:exact", "Smith", ("family", "exact", None, ("Smith",))),
    ("Patient", "gender:not", "male", ("gender", "not", None, ("male",))),
    ("Patient", "birthdate:missing", "true", ("birthdate", "missing", None, ("true",))),
    ("Patient", "given", "jo,mike", ("given", None, None, ("jo", "mike"))),
    ("Patient", "family", r"o\,brien", ("family", None, None, (r"o\,brien",))),
    ("Patient", "family", r"a\\,b", ("family", None, None, (r"a\\", "b"))),
    ("Patient", "identifier", r"sys|a\|b,sys|c", ("identifier", None, None, (r"sys|a\|b", "sys|c"))),
    ("Condition", "patient", "123", ("patient", None, None, ("123",))),
    ("Condition", "patient.identifier", "sys|1", ("patient", None, "identifier", ("sys|1",))),
    ("Procedure", "subject:Patient", "1", ("subject", "Patient", None, ("1",))),
    ("Procedure", "subject:Patient.identifier", "sys|1", ("subject", "Patient", "identifier", ("sys|1",))),
    ("Condition", "patient.name:exact", "Smith", ("patient", None, "name:exact", ("Smith",))),
    ("MedicationRequest", "patient.organization.name", "acme", ("patient", None, "organization.name", ("acme",))),
    ("Observation", "code:text", "blood pressure", ("code", "text", None, ("blood pressure",))),
    ("Patient", "_id", "a,b", ("_id", None, None, ("a", "b"))),
    ("Patient", "_lastUpdated", "ge2020-01-01", ("_lastUpdated", None, None, ("ge2020-01-01",))),
]


@pytest.mark.parametrize(("resource_type", "key", "value", "expected"), KEYS, ids=[f"{r[0]}?{r[1]}={r[2]}" for r in KEYS])
def test_criterion_key_and_values(resource_type: str, key: str, value: str, expected: tuple[str, str | None, str | None, tuple[str, ...]]) -> None:
    criterion = parse_criterion(resource_type, key, value)
    assert (criterion.name, criterion.modifier, criterion.chain, criterion.values) == expected
    assert (criterion.key, criterion.value) == (key, value)


@pytest.mark.parametrize(
    ("value", "strings"),
    [("smith", ("smith",)), (r"o\,brien", ("o,brien",)), (r"a\|b\$c\\d", (r"a|b$c\d",)), (r"a\xb", (r"a\xb",)), ("a,b,c", ("a", "b", "c"))],
    ids=["plain", "escaped-comma", "all-escapes", "other-backslash", "three-alternatives"],
)
def test_strings_resolve_escapes(value: str, strings: tuple[str, ...]) -> None:
    assert parse_criterion("Patient", "family", value).strings() == strings
    assert tuple(unescape(part) for part in split_values(value)) == strings


# STU3 search.html §2.1.1.7 token forms: [code] any system; [system]|[code]; |[code] no system; [system]| any code.
TOKENS = [
    ("male", TokenValue(None, "male", "male")),
    (
        "http://hl7.org/fhir/administrative-gender|male",
        TokenValue("http://hl7.org/fhir/administrative-gender", "male", "http://hl7.org/fhir/administrative-gender|male"),
    ),
    ("|9000000009", TokenValue("", "9000000009", "|9000000009")),
    ("https://fhir.nhs.uk/Id/nhs-number|", TokenValue("https://fhir.nhs.uk/Id/nhs-number", None, "https://fhir.nhs.uk/Id/nhs-number|")),
    (r"a\|b", TokenValue(None, "a|b", r"a\|b")),
    (r"urn:x|a\|b", TokenValue("urn:x", "a|b", r"urn:x|a\|b")),
]


@pytest.mark.parametrize(("value", "token"), TOKENS, ids=[row[0] for row in TOKENS])
def test_token_forms(value: str, token: TokenValue) -> None:
    assert parse_token_value(value) == token


@pytest.mark.parametrize("value", ["|", "a|b|c"], ids=["no-system-no-code", "two-bars"])
def test_malformed_tokens(value: str) -> None:
    with pytest.raises(SearchSyntaxError):
        parse_token_value(value)


# [prefix][date]: the prefix defaults to eq; the precision fixes the bounds (end exclusive).
DATES = [
    ("2010", "eq", datetime(2010, 1, 1), datetime(2011, 1, 1)),
    ("eq2010-06", "eq", datetime(2010, 6, 1), datetime(2010, 7, 1)),
    ("ne2010-06-15", "ne", datetime(2010, 6, 15), datetime(2010, 6, 16)),
    ("gt2010-06-15T10:00", "gt", datetime(2010, 6, 15, 10), datetime(2010, 6, 15, 10, 1)),
    ("lt2010-06-15T10:00:30", "lt", datetime(2010, 6, 15, 10, 0, 30), datetime(2010, 6, 15, 10, 0, 31)),
    ("ge2010-06-15T10:00:30.25", "ge", datetime(2010, 6, 15, 10, 0, 30, 250000), datetime(2010, 6, 15, 10, 0, 30, 260000)),
    ("le2010-06-15T10:00Z", "le", datetime(2010, 6, 15, 10, tzinfo=UTC), datetime(2010, 6, 15, 10, 1, tzinfo=UTC)),
    ("sa2010-06-15T10:00:00+02:00", "sa", datetime(2010, 6, 15, 8, tzinfo=UTC), datetime(2010, 6, 15, 8, 0, 1, tzinfo=UTC)),
    ("eb2010-06-15T10:00:00-03:30", "eb", datetime(2010, 6, 15, 13, 30, tzinfo=UTC), datetime(2010, 6, 15, 13, 30, 1, tzinfo=UTC)),
    ("ap2010", "ap", datetime(2010, 1, 1), datetime(2011, 1, 1)),
]


@pytest.mark.parametrize(("value", "prefix", "low", "high"), DATES, ids=[row[0] for row in DATES])
def test_date_values(value: str, prefix: str, low: datetime, high: datetime) -> None:
    parsed = parse_date_value(value)
    assert (parsed.prefix, parsed.low, parsed.high, parsed.text) == (prefix, low, high, value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("xx2010", "unknown prefix 'xx'"),
        ("2010-13", "not a calendar date"),
        ("gt", "not a FHIR date"),
        ("2010-01-01T10", "not a FHIR date"),
        ("ge2010-02-30", "not a calendar date"),
        ("today", "unknown prefix"),
    ],
    ids=["bad-prefix", "bad-month", "prefix-only", "hour-without-minutes", "bad-day", "word"],
)
def test_malformed_dates(value: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message):
        parse_date_value(value)


URN = "urn:uuid:6b7b8c2e-8d7a-4c1e-9d4b-1a2b3c4d5e6f"
REFERENCES = [
    ("123", ReferenceValue(None, "123", None, "123")),
    ("Patient/123", ReferenceValue("Patient", "123", None, "Patient/123")),
    ("Patient/123/_history/2", ReferenceValue("Patient", "123", None, "Patient/123/_history/2")),
    ("https://ccri.example/STU3/Patient/123", ReferenceValue("Patient", "123", "https://ccri.example/STU3", "https://ccri.example/STU3/Patient/123")),
    (URN, ReferenceValue(None, None, None, URN)),
]


@pytest.mark.parametrize(("value", "reference"), REFERENCES, ids=[row[0] for row in REFERENCES])
def test_reference_values(value: str, reference: ReferenceValue) -> None:
    assert parse_reference_value(value) == reference


@pytest.mark.parametrize("value", ["a b", "patient/123", "Patient/", "Patient/a_b"])
def test_malformed_references(value: str) -> None:
    with pytest.raises(SearchSyntaxError):
        parse_reference_value(value)


def test_parse_search_sorts_criteria_controls_and_unknown_names() -> None:
    url = httpx.URL(
        "https://server.example/STU3/Patient?family=smith&family=jones&_count=10&_include=Patient:organization"
        "&_revinclude:recurse=Observation:patient&_sort=-birthdate&_format=json&_summary=count&_elements=name"
        "&_total=accurate&_contained=true&bogus=1&_has:Observation:patient:code=1234&organization.bogus=x"
    )
    search = parse_search("Patient", url.params.multi_items())
    assert search.resource_type == "Patient"
    assert [(c.name, c.values) for c in search.criteria] == [("family", ("smith",)), ("family", ("jones",))]
    assert [key for key, _ in search.controls] == [
        "_count",
        "_include",
        "_revinclude:recurse",
        "_sort",
        "_format",
        "_summary",
        "_elements",
        "_total",
        "_contained",
    ]
    assert search.unknown == ("bogus", "_has:Observation:patient:code", "organization.bogus")


@pytest.mark.parametrize(
    "query",
    [
        "?name=bernie%20kanfeld&birthdate=1998-03-19T10:00:00+01:00",
        "name=bernie kanfeld&birthdate=1998-03-19T10:00:00%2B01:00",
    ],
    ids=["plus-left-unescaped", "plus-escaped"],
)
def test_raw_query_strings(query: str) -> None:
    search = parse_search("Patient", query)
    name, birthdate = search.criteria
    assert name.strings() == ("bernie kanfeld",)
    assert birthdate.dates()[0].low == datetime(1998, 3, 19, 9, tzinfo=UTC)


def test_typed_readers() -> None:
    criterion = Criterion("gender", None, ("male", "|female"), None, "gender", "male,|female")
    assert criterion.tokens() == (TokenValue(None, "male", "male"), TokenValue("", "female", "|female"))
    assert [d.prefix for d in parse_criterion("Patient", "birthdate", "ge2010,lt2000").dates()] == ["ge", "lt"]
    assert parse_criterion("Condition", "patient", "1,Patient/2").references()[1].type == "Patient"


# Malformed input the harness can send on purpose to test a server's error handling.
SYNTAX_ERRORS = [
    ("Patient", "family:foo", "x", "has no modifier 'foo'"),
    ("Patient", "birthdate:exact", "2010", "has no modifier 'exact'"),
    ("Patient", "family:", "x", "is not a search parameter key"),
    ("Patient", "family.name", "x", "only reference parameters can be chained"),
    ("Patient", ".x", "1", "is not a search parameter key"),
    ("Patient", "gender", "", "empty search value"),
    ("Patient", "gender", "male,,female", "empty value"),
    ("Patient", "identifier", "|", "neither a system nor a code"),
    ("Patient", "birthdate", "xx2010", "unknown prefix"),
    ("Patient", "birthdate", "2010-13-01", "not a calendar date"),
    ("Patient", "birthdate:missing", "maybe", ":missing takes true or false"),
    ("Condition", "patient", "a b", "is not an id"),
    ("Condition", "subject:Practitioner", "1", "has no modifier 'Practitioner'"),
    ("Procedure", "subject:Patient", "Group/1", "contradicts the :Patient modifier"),
    ("Condition", "patient:missing.identifier", "x", ":missing cannot be chained"),
    ("Condition", "patient.birthdate", "xx1990", "unknown prefix"),
    ("Encounter", "length", "abc", "is not a [prefix]number"),
    ("Observation", "value-quantity", "5|kg", "is not a [prefix]number[|system|code]"),
]


@pytest.mark.parametrize(("resource_type", "key", "value", "message"), SYNTAX_ERRORS, ids=[f"{r[1]}={r[2]}" for r in SYNTAX_ERRORS])
def test_syntax_errors(resource_type: str, key: str, value: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message.replace("[", r"\[").replace("|", r"\|")):
        parse_search(resource_type, [(key, value)])


def test_valid_numbers_quantities_and_composites_parse() -> None:
    search = parse_search("Observation", "value-quantity=ge5.4|http://unitsofmeasure.org|mg&code-value-concept=1234$5678")
    assert [c.name for c in search.criteria] == ["value-quantity", "code-value-concept"]
    assert parse_search("Encounter", "length=gt-1.5e3").criteria[0].values == ("gt-1.5e3",)


def test_unknown_resource_type() -> None:
    with pytest.raises(UnknownResourceType):
        parse_search("Group", "name=x")
