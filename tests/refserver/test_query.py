"""Tests for carecheck.refserver.query: parsing and validating searches, and what the compiled SQL matches.

The match tables run real SQL over the seeded store; each parameter, date prefix, modifier and
token form has a case that must match and one that must not.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

import pytest

from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.query import (
    DEFAULT_COUNT,
    MAX_COUNT,
    DateValue,
    SearchQuery,
    StringValue,
    TokenValue,
    parse_search,
)
from carecheck.refserver.store import Condition
from carecheck.refserver.values import date_range

from .conftest import FIXED_NOW

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"  # MEAKIN Mike MR, male, 1927-06-19, NHS 9658218873
KANFELD = "1"  # Miss Bernie Kanfeld, female, 1998-03-19, NG10 1ZZ, 0115 9737320, bernie.kanfeld@nhsdigital.nhs.uk
MUNOZ = "1001"  # Mrs Vicky Munoz, no NHS number, PAS LOCAL1001
FITZGERALD = "1002"  # PAS LOCAL1002
ANTIC = "1009"  # Mrs Mina Antić
NHS = "https://fhir.nhs.uk/Id/nhs-number"
PAS = "https://fhir.leedsth.nhs.uk/Id/pas-number"
GENDER = "http://hl7.org/fhir/administrative-gender"


def _parse(query: str) -> SearchQuery:
    return parse_search(RESOURCES["Patient"], parse_qsl(query, keep_blank_values=True))


MATCHES = [
    # _id (token on the logical id)
    ("_id=1001", MUNOZ, True),
    ("_id=1002", MUNOZ, False),
    ("_id=1002,1001", MUNOZ, True),
    # identifier: system|value, bare value (any system), |value (no system), system| (any value)
    (f"identifier={NHS}|9658218873", MEAKIN, True),
    (f"identifier={NHS}|9658218881", MEAKIN, False),
    (f"identifier={PAS}|9658218873", MEAKIN, False),
    ("identifier=9658218873", MEAKIN, True),
    ("identifier=9658218874", MEAKIN, False),
    ("identifier=LOCAL1002", FITZGERALD, True),
    ("identifier=local1002", FITZGERALD, False),
    ("_id=|1001", MUNOZ, True),
    ("identifier=|LOCAL1001", MUNOZ, False),
    (f"identifier={PAS}|", MUNOZ, True),
    (f"identifier={PAS}|", MEAKIN, False),
    (f"identifier={NHS}|", MUNOZ, False),
    # family (string: starts-with, case and accent folded; :exact; :contains)
    ("family=meak", MEAKIN, True),
    ("family=MEAKIN", MEAKIN, True),
    ("family=eakin", MEAKIN, False),
    ("family=meakins", MEAKIN, False),
    ("family=antic", ANTIC, True),
    ("family=ANTIĆ", ANTIC, True),
    ("family:exact=MEAKIN", MEAKIN, True),
    ("family:exact=Meakin", MEAKIN, False),
    ("family:exact=MEAK", MEAKIN, False),
    ("family:exact=Antić", ANTIC, True),
    ("family:exact=Antic", ANTIC, False),
    ("family:contains=aki", MEAKIN, True),
    ("family:contains=kia", MEAKIN, False),
    # given
    ("given=mi", MEAKIN, True),
    ("given=jon", MEAKIN, False),
    ("given:exact=Mike", MEAKIN, True),
    ("given:exact=mike", MEAKIN, False),
    ("given:contains=IK", MEAKIN, True),
    ("given:contains=mk", MEAKIN, False),
    # name: family, given, prefix, suffix or text of any name
    ("name=meakin", MEAKIN, True),
    ("name=mike", MEAKIN, True),
    ("name=mr", MEAKIN, True),
    ("name=burrows", MEAKIN, False),
    ("name:exact=MR", MEAKIN, True),
    ("name:exact=Mr", MEAKIN, False),
    ("name:contains=eaki", MEAKIN, True),
    ("name:contains=xyz", MEAKIN, False),
    # gender (token on a code with an implied system)
    ("gender=male", MEAKIN, True),
    ("gender=female", MEAKIN, False),
    ("gender=MALE", MEAKIN, False),
    (f"gender={GENDER}|male", MEAKIN, True),
    ("gender=http://example.org/other|male", MEAKIN, False),
    ("gender=|male", MEAKIN, False),
    (f"gender={GENDER}|", MEAKIN, True),
    ("gender=female,male", MEAKIN, True),
    # birthdate 1927-06-19: each prefix, partial dates as ranges
    ("birthdate=1927", MEAKIN, True),
    ("birthdate=1928", MEAKIN, False),
    ("birthdate=1927-06", MEAKIN, True),
    ("birthdate=1927-07", MEAKIN, False),
    ("birthdate=1927-06-19", MEAKIN, True),
    ("birthdate=eq1927-06-19", MEAKIN, True),
    ("birthdate=eq1927-06-20", MEAKIN, False),
    ("birthdate=1927-06-19T10:00:00Z", MEAKIN, False),
    ("birthdate=ne1927-06-20", MEAKIN, True),
    ("birthdate=ne1927", MEAKIN, False),
    ("birthdate=gt1927-06-18", MEAKIN, True),
    ("birthdate=gt1927-06-19", MEAKIN, False),
    ("birthdate=gt1927", MEAKIN, False),
    ("birthdate=lt1927-06-20", MEAKIN, True),
    ("birthdate=lt1927-06-19", MEAKIN, False),
    ("birthdate=lt1927", MEAKIN, False),
    ("birthdate=ge1927-06-19", MEAKIN, True),
    ("birthdate=ge1927", MEAKIN, True),
    ("birthdate=ge1927-06-20", MEAKIN, False),
    ("birthdate=le1927-06-19", MEAKIN, True),
    ("birthdate=le1927", MEAKIN, True),
    ("birthdate=le1927-06-18", MEAKIN, False),
    ("birthdate=sa1927-06-18", MEAKIN, True),
    ("birthdate=sa1927-06-19", MEAKIN, False),
    ("birthdate=eb1927-06-20", MEAKIN, True),
    ("birthdate=eb1927-06-19", MEAKIN, False),
    ("birthdate=ap1930-01-01", MEAKIN, True),  # 10% of the ~96 years to FIXED_NOW
    ("birthdate=ap1945-01-01", MEAKIN, False),
    ("birthdate=ge1927-06-19T00:00:00Z", MEAKIN, True),
    ("birthdate=lt1927-06-19T00:00:00-01:00", MEAKIN, True),  # 01:00 UTC, inside the day
    ("birthdate=lt1927-06-19T00:00:00%2B01:00", MEAKIN, False),  # 23:00 UTC the day before
    ("birthdate=ge1927-01-01&birthdate=le1927-12-31", MEAKIN, True),
    ("birthdate=ge1927-07-01&birthdate=le1927-12-31", MEAKIN, False),
    ("birthdate=1926,1927", MEAKIN, True),
    ("birthdate=1925,1926", MEAKIN, False),
    ("birthdate=lt1900,gt1927-06-18", MEAKIN, True),
    # email and phone (tokens on the ContactPoint value: exact)
    ("email=bernie.kanfeld@nhsdigital.nhs.uk", KANFELD, True),
    ("email=bernie.kanfeld", KANFELD, False),
    ("email=0115 9737320", KANFELD, False),
    ("phone=0115 9737320", KANFELD, True),
    ("phone=01159737320", KANFELD, False),
    ("phone=bernie.kanfeld@nhsdigital.nhs.uk", KANFELD, False),
    # address-postalcode (string)
    ("address-postalcode=NG10", KANFELD, True),
    ("address-postalcode=ng10 1zz", KANFELD, True),
    ("address-postalcode=LS", KANFELD, False),
    ("address-postalcode:exact=NG10 1ZZ", KANFELD, True),
    ("address-postalcode:exact=NG10", KANFELD, False),
    ("address-postalcode:contains=10 1", KANFELD, True),
    ("address-postalcode:contains=1ZZZ", KANFELD, False),
    # different parameters together: AND
    ("family=howell&given=adam", "1027", True),
    ("family=howell&given=adam", "1007", False),
]


@pytest.mark.parametrize(("query", "patient_id", "matches"), MATCHES)
def test_search_semantics(patient_ids: Callable[[str], set[str]], query: str, patient_id: str, matches: bool) -> None:
    assert (patient_id in patient_ids(query)) is matches


def test_every_parameter_and_every_prefix_and_modifier_is_in_the_match_table() -> None:
    queries = [query for query, _, _ in MATCHES]
    for param in RESOURCES["Patient"].params:
        for expected in (True, False):
            assert any(
                any(key.split(":")[0] == param.name for key, _ in parse_qsl(query)) and matches is expected
                for query, _, matches in MATCHES
            ), (param.name, expected)
    for prefix in ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"):
        assert sum(f"birthdate={prefix}" in query for query in queries) >= 2, prefix


def test_no_criteria_matches_everything(patient_ids: Callable[[str], set[str]]) -> None:
    assert len(patient_ids("")) == 106
    assert _parse("").condition(now=FIXED_NOW) == Condition()


def test_ge_and_lt_split_every_birthdate_between_them(patient_ids: Callable[[str], set[str]]) -> None:
    everyone = patient_ids("")
    for boundary in ("1927", "1927-06-19", "1950-01", "2000-02-29T12:00:00Z"):
        ge, lt = patient_ids(f"birthdate=ge{boundary}"), patient_ids(f"birthdate=lt{boundary}")
        assert ge | lt == everyone and not ge & lt


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
    query = _parse("foo=1&family=x&bar:exact=2&_format=xml&_sort=family&family.given=x")
    assert query.ignored == ("foo", "bar:exact", "_sort", "family.given")
    assert [criterion.param.name for criterion in query.criteria] == ["family"]


def test_link_params_keep_the_criteria_as_received() -> None:
    query = _parse("family:exact=MEAKIN&foo=1&birthdate=ge1927,lt1900&_count=5")
    assert query.link_params() == [("family:exact", "MEAKIN"), ("birthdate", "ge1927,lt1900")]


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
        ("birthdate:missing=true", "modifier :missing is not supported on date parameter 'birthdate'"),
        ("family:missing=true", "modifier :missing is not supported"),
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
