"""Tests for carecheck.refserver.index: which index entries each FHIR datatype yields."""

from __future__ import annotations

import pytest

from carecheck.refserver.index import (
    ReferenceEntry,
    StringEntry,
    TokenEntry,
    date_entries,
    parse_reference,
    reference_entries,
    string_entries,
    token_entries,
)
from carecheck.refserver.params import RESOURCES, Element, SearchParam, SearchParamType
from carecheck.refserver.values import EARLIEST, LATEST, DateRange, date_range

_DEFINITION = "http://hl7.org/fhir/SearchParameter/test"


def _param(name: str) -> SearchParam:
    param = RESOURCES["Patient"].param(name)
    assert param is not None
    return param


def _made_up(kind: SearchParamType, path: str, datatype: str, targets: tuple[str, ...] = ()) -> SearchParam:
    return SearchParam("test", kind, (Element(path, datatype),), "test", _DEFINITION, targets=targets)


def test_human_name_yields_every_part_folded_and_as_written() -> None:
    patient = {"name": [{"text": "Mr Jon Antić", "family": "Antić", "given": ["Jon", "Q"], "prefix": ["Mr"], "suffix": ["Jr"]}]}
    assert string_entries(_param("name"), patient) == [
        StringEntry("Antić", "antic"),
        StringEntry("Jon", "jon"),
        StringEntry("Q", "q"),
        StringEntry("Mr", "mr"),
        StringEntry("Jr", "jr"),
        StringEntry("Mr Jon Antić", "mr jon antic"),
    ]


def test_address_yields_its_text_parts() -> None:
    param = _made_up(SearchParamType.STRING, "address", "Address")
    address = {"address": [{"line": ["1 High St"], "city": "Leeds", "postalCode": "LS1 1AA", "use": "home"}]}
    assert [entry.exact for entry in string_entries(param, address)] == ["1 High St", "Leeds", "LS1 1AA"]


def test_empty_strings_are_not_indexed() -> None:
    assert string_entries(_param("family"), {"name": [{"family": ""}]}) == []


@pytest.mark.parametrize(
    ("param", "resource", "tokens"),
    [
        (
            _param("identifier"),
            {"identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9658218873"}, {"value": "X1"}]},
            [TokenEntry("https://fhir.nhs.uk/Id/nhs-number", "9658218873"), TokenEntry(None, "X1")],
        ),
        (_param("gender"), {"gender": "male"}, [TokenEntry("http://hl7.org/fhir/administrative-gender", "male")]),
        (_param("_id"), {"id": "1001"}, [TokenEntry(None, "1001")]),
        (
            _param("email"),
            {"telecom": [{"system": "email", "value": "a@b.org"}, {"system": "phone", "value": "0113"}]},
            [TokenEntry(None, "a@b.org")],
        ),
        (
            _made_up(SearchParamType.TOKEN, "code", "CodeableConcept"),
            {"code": {"coding": [{"system": "http://snomed.info/sct", "code": "22298006"}, {"code": "MI"}]}},
            [TokenEntry("http://snomed.info/sct", "22298006"), TokenEntry(None, "MI")],
        ),
        (_made_up(SearchParamType.TOKEN, "active", "boolean"), {"active": True}, [TokenEntry(None, "true")]),
    ],
)
def test_tokens_by_datatype(param: SearchParam, resource: dict[str, object], tokens: list[TokenEntry]) -> None:
    assert token_entries(param, resource) == tokens


def test_dates_become_ranges() -> None:
    assert date_entries(_param("birthdate"), {"birthDate": "1927-06-19"}) == [date_range("1927-06-19")]
    assert date_entries(_param("birthdate"), {}) == []


def test_a_period_runs_from_the_start_of_its_start_to_the_end_of_its_end() -> None:
    param = _made_up(SearchParamType.DATE, "period", "Period")
    closed = {"period": {"start": "2010-01", "end": "2011"}}
    assert date_entries(param, closed) == [DateRange(date_range("2010-01").low, date_range("2011").high)]
    assert date_entries(param, {"period": {"start": "2010"}}) == [DateRange(date_range("2010").low, LATEST)]
    assert date_entries(param, {"period": {"end": "2010"}}) == [DateRange(EARLIEST, date_range("2010").high)]


def test_a_malformed_stored_date_is_an_error() -> None:
    with pytest.raises(ValueError):
        date_entries(_param("birthdate"), {"birthDate": "19/06/1927"})


def test_a_choice_of_datetime_and_period_yields_whichever_is_there() -> None:
    date = RESOURCES["Observation"].param("date")
    assert date is not None
    assert date_entries(date, {"effectiveDateTime": "2012"}) == [date_range("2012")]
    assert date_entries(date, {"effectivePeriod": {"start": "2012"}}) == [DateRange(date_range("2012").low, LATEST)]


@pytest.mark.parametrize(
    ("reference", "entry"),
    [
        ("Patient/p1", ReferenceEntry("Patient", "p1")),
        ("Patient/p1/_history/2", ReferenceEntry("Patient", "p1")),
        ("https://elsewhere.org/fhir/Patient/p1", ReferenceEntry("Patient", "p1", "https://elsewhere.org/fhir/Patient/p1")),
        ("urn:uuid:2f88064f-8dc3-4763-af75-94faf6b08b18", None),
        ("#contained", None),
        ("patient/p1", None),
        ("Patient/", None),
    ],
)
def test_parse_reference(reference: str, entry: ReferenceEntry | None) -> None:
    assert parse_reference(reference) == entry


def test_references_are_kept_only_to_the_parameter_targets() -> None:
    param = _made_up(SearchParamType.REFERENCE, "subject", "Reference", targets=("Patient",))
    assert reference_entries(param, {"subject": {"reference": "Patient/p1"}}) == [ReferenceEntry("Patient", "p1")]
    assert reference_entries(param, {"subject": {"reference": "Group/g1"}}) == []
    assert reference_entries(param, {"subject": {"display": "Mr Smith"}}) == []
    assert reference_entries(param, {"subject": {"reference": "urn:uuid:1234"}}) == []
