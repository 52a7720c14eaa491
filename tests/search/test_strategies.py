"""The search strategies: generated searches are valid STU3 built from the records' own values, dates come
from the records at every precision, and malformed criteria are malformed."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from carecheck.search import SearchSyntaxError, parse_criterion, parse_date_value, parse_search
from carecheck.search.strategies import (
    SearchSpace,
    criteria,
    date_boundaries,
    date_parameters,
    escape,
    malformed_criteria,
    page_sizes,
    searches,
)

DETERMINISTIC = settings(database=None, derandomize=True, max_examples=60, deadline=None)

OBSERVATION: dict[str, Any] = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "category": [{"coding": [{"system": "http://hl7.org/fhir/observation-category", "code": "vital-signs"}]}],
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "86290005", "display": "Respiration rate"}]},
    "subject": {"reference": "Patient/p1"},
    "effectiveDateTime": "2018-11-29T08:54:18+00:00",
}
PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "p1",
    "name": [{"family": "O'Brien, Jr", "given": ["Zoë"]}],
    "gender": "male",
    "birthDate": "1927-06-19",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9658218873"}],
}
DECLARED = ("category", "code", "date", "patient", "status")
OBSERVATIONS = SearchSpace("Observation", base=(("patient", "Patient/p1"),), records=(OBSERVATION,), parameters=DECLARED, base_url="http://fhir.test/STU3")
PATIENTS = SearchSpace("Patient", base=(("family", "OBrien"),), records=(PATIENT,), parameters=("birthdate", "family", "gender", "given", "identifier", "name"))


@DETERMINISTIC
@given(criteria(OBSERVATIONS))
def test_every_generated_criterion_is_valid_stu3_of_a_declared_parameter(criterion: tuple[str, str]) -> None:
    key, value = criterion
    parsed = parse_criterion("Observation", key, value)
    assert parsed.name in DECLARED


@DETERMINISTIC
@given(criteria(PATIENTS))
def test_strings_with_commas_and_accents_are_escaped_and_valid(criterion: tuple[str, str]) -> None:
    parse_criterion("Patient", *criterion)


@DETERMINISTIC
@given(searches(OBSERVATIONS, min_criteria=1, max_criteria=3))
def test_a_search_keeps_its_base_and_adds_criteria(query: tuple[tuple[str, str], ...]) -> None:
    assert query[0] == ("patient", "Patient/p1")
    assert 2 <= len(query) <= 4
    assert not parse_search("Observation", query).unknown


@DETERMINISTIC
@given(date_boundaries(OBSERVATIONS))
def test_boundaries_are_the_records_dates_at_a_precision(boundary: tuple[str, str]) -> None:
    parameter, value = boundary
    assert parameter == "date"
    parse_date_value(value)
    assert value in {"2018", "2018-11", "2018-11-27", "2018-11-28", "2018-11-29", "2018-11-30", "2018-12-01", "2018-11-29T08:54:18+00:00"}


def test_every_precision_of_a_record_date_is_reachable() -> None:
    seen: set[str] = set()

    @settings(database=None, derandomize=True, max_examples=200, deadline=None)
    @given(date_boundaries(OBSERVATIONS))
    def collect(boundary: tuple[str, str]) -> None:
        seen.add(boundary[1])

    collect()
    assert {"2018", "2018-11", "2018-11-29", "2018-11-29T08:54:18+00:00"} <= seen


def test_date_parameters_need_a_value_in_the_records() -> None:
    assert [p.name for p in date_parameters(OBSERVATIONS)] == ["date"]
    assert date_parameters(SearchSpace("Observation", records=({"resourceType": "Observation", "id": "x"},), parameters=DECLARED)) == ()


def test_nothing_to_build_from_gives_an_empty_strategy() -> None:
    empty = SearchSpace("Observation", records=(), parameters=DECLARED)
    assert criteria(empty).is_empty and date_boundaries(empty).is_empty


def test_escape_applies_the_stu3_search_escapes() -> None:
    assert escape(r"a,b|c$d\e") == r"a\,b\|c\$d\\e"


_MALFORMED_DATES = ("2020-13-01", "2020-02-30", "2021-02-29", "20201", "2020-01-01T25:00", "2020-01-01T10", "xx2020-01-01", "ge")


@DETERMINISTIC
@given(malformed_criteria(OBSERVATIONS))
def test_malformed_criteria_are_pairs_of_text(criterion: tuple[str, str]) -> None:
    key, value = criterion
    assert isinstance(key, str) and isinstance(value, str)


def test_the_malformed_dates_are_malformed() -> None:
    for value in _MALFORMED_DATES:
        try:
            parse_date_value(value)
        except SearchSyntaxError:
            continue
        raise AssertionError(f"{value} parses")


@settings(database=None, derandomize=True, max_examples=30, deadline=None)
@given(page_sizes())
def test_page_sizes_are_small(count: int) -> None:
    assert 1 <= count <= 5


def test_a_declared_parameter_list_limits_what_is_generated() -> None:
    only_codes = SearchSpace("Observation", records=(OBSERVATION,), parameters=("code",))
    names: set[str] = set()

    @settings(database=None, derandomize=True, max_examples=40, deadline=None)
    @given(criteria(only_codes))
    def collect(criterion: tuple[str, str]) -> None:
        names.add(criterion[0].split(":")[0])

    collect()
    assert names == {"code"}


def test_values_come_from_the_records() -> None:
    values: set[str] = set()

    @settings(database=None, derandomize=True, max_examples=150, deadline=None)
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        _, value = data.draw(criteria(SearchSpace("Observation", records=(OBSERVATION,), parameters=("code",))))
        values.add(value)

    collect()
    assert {"86290005", "http://snomed.info/sct|86290005", "http://snomed.info/sct|"} <= values
