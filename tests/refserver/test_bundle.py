"""Tests for carecheck.refserver.bundle: searchset Bundles and their paging links."""

from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest

from carecheck.refserver.bundle import page_links, searchset, searchset_json
from carecheck.refserver.outcome import operation_outcome
from tests.refserver.conftest import assert_stu3

SEARCH = "http://127.0.0.1:8080/STU3/Patient"


def _links(count: int, offset: int, total: int) -> dict[str, int]:
    """Relation → the _offset its URL asks for."""
    links = page_links(SEARCH, [("family", "x")], count=count, offset=offset, total=total)
    found = {}
    for link in links:
        query = dict(parse_qsl(urlsplit(link["url"]).query))
        assert query["family"] == "x" and query["_count"] == str(count)
        found[link["relation"]] = int(query.get("_offset", "0"))
    return found


@pytest.mark.parametrize(
    ("count", "offset", "total", "expected"),
    [
        (7, 0, 25, {"self": 0, "first": 0, "next": 7, "last": 21}),
        (7, 7, 25, {"self": 7, "first": 0, "previous": 0, "next": 14, "last": 21}),
        (7, 21, 25, {"self": 21, "first": 0, "previous": 14, "last": 21}),
        (7, 3, 25, {"self": 3, "first": 0, "previous": 0, "next": 10, "last": 21}),
        (7, 0, 7, {"self": 0, "first": 0, "last": 0}),
        (7, 0, 0, {"self": 0, "first": 0, "last": 0}),
        (7, 70, 25, {"self": 70, "first": 0, "previous": 21, "last": 21}),
        (0, 0, 25, {"self": 0}),
    ],
)
def test_page_links(count: int, offset: int, total: int, expected: dict[str, int]) -> None:
    assert _links(count, offset, total) == expected


def test_links_are_absolute_and_encode_only_what_a_query_string_must() -> None:
    params = [
        ("identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218873"),
        ("birthdate", "ge1927,lt2000-01-01T00:00:00+01:00"),
        ("name", "a b"),
    ]
    (self_link,) = page_links(SEARCH, params, count=0, offset=0, total=1)
    assert self_link["url"] == (
        SEARCH + "?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9658218873&birthdate=ge1927,lt2000-01-01T00:00:00%2B01:00&name=a%20b&_count=0"
    )


def test_searchset_shape() -> None:
    patient = {"resourceType": "Patient", "id": "1001"}
    links = page_links(SEARCH, [], count=20, offset=0, total=1)
    bundle = searchset(base_url="http://h/STU3", total=1, links=links, matches=[patient])
    assert bundle["type"] == "searchset" and bundle["total"] == 1 and bundle["link"] == links
    assert bundle["entry"] == [{"fullUrl": "http://h/STU3/Patient/1001", "resource": patient, "search": {"mode": "match"}}]
    uuid.UUID(bundle["id"])
    assert bundle["meta"]["lastUpdated"].endswith("+00:00")
    assert_stu3(bundle)


def test_an_outcome_is_an_entry_of_its_own_mode_and_not_counted() -> None:
    outcome = operation_outcome("warning", "not-supported", "unknown search parameter(s) ignored: 'foo'")
    bundle = searchset(base_url="http://h/STU3", total=0, links=[], matches=[], outcome=outcome)
    assert bundle["total"] == 0
    assert bundle["entry"] == [{"fullUrl": f"urn:uuid:{outcome['id']}", "resource": outcome, "search": {"mode": "outcome"}}]
    assert_stu3(bundle)


def test_no_matches_means_no_entry_element() -> None:
    assert "entry" not in searchset(base_url="http://h/STU3", total=0, links=[], matches=[])


def test_included_resources_follow_the_matches_in_include_mode() -> None:
    patient = {"resourceType": "Patient", "id": "p1", "managingOrganization": {"reference": "Organization/o1"}}
    organization = {"resourceType": "Organization", "id": "o1"}
    bundle = searchset(base_url="http://h/STU3", total=1, links=[], matches=[patient], included=[organization])
    assert [(entry["fullUrl"], entry["search"]["mode"]) for entry in bundle["entry"]] == [
        ("http://h/STU3/Patient/p1", "match"),
        ("http://h/STU3/Organization/o1", "include"),
    ]
    assert bundle["total"] == 1
    assert_stu3(bundle)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("with_outcome", [False, True])
@pytest.mark.parametrize("found", [0, 1, 3])
def test_searchset_json_is_the_searchset_written_without_parsing_the_stored_text(found: int, with_outcome: bool) -> None:
    resources = [
        {"resourceType": "Patient", "id": "p1", "name": [{"family": "Ó Briain", "given": ["Siân"]}], "multipleBirthInteger": 2},
        {"resourceType": "Observation", "id": "o-1", "valueQuantity": {"value": 1e-07, "unit": "µg"}, "status": "final"},
        {"resourceType": "Organization", "id": "org.1", "alias": ['"quoted" \\ and \u2028'], "active": True},
    ][:found]
    organization = {"resourceType": "Organization", "id": "o1", "name": "GP"}
    outcome = operation_outcome("warning", "not-supported", "unknown search parameter(s) ignored: 'föö'") if with_outcome else None
    links = page_links(SEARCH, [("name", "Siân")], count=20, offset=0, total=found)
    stored = [(r["resourceType"], r["id"], _compact(r)) for r in resources]
    included = [("Organization", "o1", _compact(organization))] if found else []
    text = searchset_json(base_url="http://h/STU3", total=found, links=links, matches=stored, included=included, outcome=outcome)
    written = json.loads(text)
    bundle = searchset(base_url="http://h/STU3", total=found, links=links, matches=resources, included=[organization] if found else [], outcome=outcome)
    bundle["id"], bundle["meta"] = written["id"], written["meta"]  # each call makes its own id and time
    assert text == _compact(bundle)
