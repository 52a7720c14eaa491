"""Tests for carecheck.refserver.app over HTTP, in process: metadata, read, search, paging, errors, formats."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from carecheck.refserver import create_app
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.store import Store
from tests.refserver.conftest import TestClient, assert_stu3

F = "{http://hl7.org/fhir}"
JSON_TYPE = "application/fhir+json; charset=utf-8"
XML_TYPE = "application/fhir+xml; charset=utf-8"
MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"
NHS = "https://fhir.nhs.uk/Id/nhs-number"


def _issue(response: httpx.Response, status: int) -> dict[str, Any]:
    """The single issue of the OperationOutcome ``response`` must be, with ``status``."""
    assert response.status_code == status
    assert response.headers["content-type"] == JSON_TYPE
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    (issue,) = outcome["issue"]
    assert issue["severity"] == "error"
    found: dict[str, Any] = issue
    return found


def _xml(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"] == XML_TYPE
    return ET.fromstring(response.content)


def _value(element: ET.Element, path: str) -> str | None:
    found = element.find(path)
    assert found is not None, path
    return found.get("value")


def _ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", []) if entry["search"]["mode"] == "match"]


def _link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((link["url"] for link in bundle["link"] if link["relation"] == relation), None)


# metadata


def test_metadata_is_a_capability_statement_for_this_base(client: TestClient) -> None:
    response = client.get("/STU3/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_TYPE
    statement = response.json()
    assert_stu3(statement)
    assert statement["implementation"]["url"] == "http://testserver/STU3"
    assert statement["fhirVersion"] == "3.0.1"


def test_every_declared_search_parameter_is_accepted_and_an_undeclared_one_is_not(client: TestClient) -> None:
    samples = {"string": "a", "token": "male", "date": "1927", "reference": "x"}
    for resource in client.get("/STU3/metadata").json()["rest"][0]["resource"]:
        for param in resource["searchParam"]:
            response = client.get(f"/STU3/{resource['type']}", params={param["name"]: samples[param["type"]]})
            bundle = response.json()
            assert bundle["resourceType"] == "Bundle", (resource["type"], param["name"], bundle)
            assert all(entry["search"]["mode"] == "match" for entry in bundle.get("entry", [])), param["name"]
    undeclared = client.get("/STU3/Patient", params={"address-city": "Leeds"}).json()
    assert undeclared["entry"][0]["search"]["mode"] == "outcome"


# read


def test_read_returns_the_patient(client: TestClient) -> None:
    response = client.get(f"/STU3/Patient/{MEAKIN}")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_TYPE
    patient = response.json()
    assert (patient["id"], patient["name"][0]["family"], patient["birthDate"]) == (MEAKIN, "MEAKIN", "1927-06-19")


def test_a_read_carries_its_version_in_etag_and_last_modified(client: TestClient) -> None:
    response = client.get(f"/STU3/Patient/{MEAKIN}")
    assert response.json()["meta"]["versionId"] == "1"
    assert response.headers["etag"] == 'W/"1"'
    assert response.headers["last-modified"] == "Wed, 14 Nov 2018 16:25:58 GMT"  # meta.lastUpdated 2018-11-14T16:25:58.346+00:00


def test_a_vread_of_the_current_version_answers_as_the_read(client: TestClient) -> None:
    read = client.get(f"/STU3/Patient/{MEAKIN}")
    vread = client.get(f"/STU3/Patient/{MEAKIN}/_history/1", headers={"Accept": "application/fhir+xml"})
    assert vread.status_code == 200 and vread.headers["etag"] == read.headers["etag"]
    assert _value(_xml(vread), f"{F}meta/{F}versionId") == "1"
    assert client.get(f"/STU3/Observation/{MEAKIN}-observation-1/_history/1").json()["id"] == f"{MEAKIN}-observation-1"


def test_a_vread_of_another_version_or_record_is_not_found(client: TestClient) -> None:
    assert "has no version '2'" in _issue(client.get(f"/STU3/Patient/{MEAKIN}/_history/2"), 404)["diagnostics"]
    assert "Patient/no-such-patient" in _issue(client.get("/STU3/Patient/no-such-patient/_history/1"), 404)["diagnostics"]


@pytest.mark.parametrize("path", [f"/STU3/Patient/{MEAKIN}", "/STU3/Patient?family=MEAKIN&gender=male", f"/STU3/Patient/{MEAKIN}/_history/1"])
def test_head_answers_as_get_without_the_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert (head.status_code, head.content) == (200, b"")
    for name in ("content-type", "etag", "last-modified"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_read_of_an_unknown_id_is_404_naming_it(client: TestClient) -> None:
    issue = _issue(client.get("/STU3/Patient/no-such-patient"), 404)
    assert issue["code"] == "not-found"
    assert "Patient/no-such-patient" in issue["diagnostics"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/STU3/Basic", "not-supported"),
        ("/STU3/Basic/1", "not-supported"),
        ("/STU3/Patient/1/_history/2", "not-found"),
        ("/STU3/Patient/1/_history", "not-found"),
        ("/STU3/", "not-found"),
        ("/fhir/Patient/1", "not-found"),
    ],
)
def test_unknown_endpoints_are_404_outcomes(client: TestClient, path: str, code: str) -> None:
    assert _issue(client.get(path), 404)["code"] == code


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/STU3/Patient"),
        ("PUT", f"/STU3/Patient/{MEAKIN}"),
        ("DELETE", f"/STU3/Patient/{MEAKIN}"),
        ("PATCH", f"/STU3/Patient/{MEAKIN}"),
        ("POST", "/STU3/Observation"),
        ("PUT", "/STU3/Observation/x"),
        ("DELETE", "/STU3/Medication"),
        ("POST", "/STU3/metadata"),
    ],
)
def test_writes_are_405_outcomes_that_allow_get(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, content=b"{}", headers={"Content-Type": "application/fhir+json"})
    assert _issue(response, 405)["code"] == "not-supported"
    assert "GET" in response.headers["allow"] and method not in response.headers["allow"]


# search


def test_search_by_nhs_number_returns_a_searchset_with_absolute_full_urls(client: TestClient) -> None:
    response = client.get("/STU3/Patient", params={"identifier": f"{NHS}|9658218873"})
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_TYPE
    bundle = response.json()
    assert_stu3(bundle)
    assert (bundle["type"], bundle["total"]) == ("searchset", 1)
    assert bundle["id"] and bundle["meta"]["lastUpdated"]
    (entry,) = bundle["entry"]
    assert entry["fullUrl"] == f"http://testserver/STU3/Patient/{MEAKIN}"
    assert entry["search"] == {"mode": "match"}
    assert _link(bundle, "self") == f"http://testserver/STU3/Patient?identifier={NHS}%7C9658218873&_count=20"


def test_urls_follow_the_host_each_request_names(client: TestClient) -> None:
    """The base URL is cached by what it is made of: one host's URLs never show in another's answers."""
    for host in ("fhir.example:8443", "testserver", "other.example", "fhir.example:8443"):
        response = client.get("/STU3/Patient", params={"identifier": f"{NHS}|9658218873"}, headers={"host": host})
        bundle = response.json()
        assert bundle["entry"][0]["fullUrl"] == f"http://{host}/STU3/Patient/{MEAKIN}"
        assert str(_link(bundle, "self")).startswith(f"http://{host}/STU3/Patient?")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "meakin", "gender": "male"}, [MEAKIN]),
        ({"name": "mike", "birthdate": "1927-06-19"}, [MEAKIN]),
        ({"family": "howell", "gender": "male"}, ["1027", "1048"]),
        ({"given": "bruce", "gender": "male"}, ["1016", "1030"]),
        ({"family": "howell", "gender": "other"}, []),
    ],
)
def test_the_search_combinations_care_connect_requires(client: TestClient, query: dict[str, str], expected: list[str]) -> None:
    bundle = client.get("/STU3/Patient", params=query).json()
    assert _ids(bundle) == expected and bundle["total"] == len(expected)


def test_page_size_defaults_to_20_and_is_capped_at_100(client: TestClient) -> None:
    default = client.get("/STU3/Patient").json()
    assert default["total"] == 206 and len(default["entry"]) == 20  # 106 examples and 100 synthetic patients
    capped = client.get("/STU3/Patient", params={"_count": "500"}).json()
    assert len(capped["entry"]) == 100
    assert _link(capped, "self") == "http://testserver/STU3/Patient?_count=100"
    counted = client.get("/STU3/Patient", params={"_count": "0"}).json()
    assert counted["total"] == 206 and "entry" not in counted


def test_walking_next_links_visits_every_match_once(client: TestClient) -> None:
    query = {"birthdate": "lt1950", "_count": "7"}
    first = client.get("/STU3/Patient", params=query).json()
    everything = _ids(client.get("/STU3/Patient", params={"birthdate": "lt1950", "_count": "100"}).json())
    assert first["total"] > 20 and first["total"] == len(everything)
    seen: list[str] = []
    pages: list[dict[str, Any]] = [first]
    url = _link(first, "next")
    while url is not None:
        page = client.get(url).json()
        assert _link(page, "self") == url
        pages.append(page)
        url = _link(page, "next")
    for page in pages:
        assert page["total"] == first["total"]
        assert len(_ids(page)) <= 7
        seen.extend(_ids(page))
    assert seen == everything
    assert len(pages) == math.ceil(first["total"] / 7)
    assert _link(pages[-1], "self") == _link(first, "last")


def test_walking_previous_links_back_gives_the_same_pages(client: TestClient) -> None:
    first = client.get("/STU3/Patient", params={"gender": "female", "_count": "7"}).json()
    last = client.get(str(_link(first, "last"))).json()
    backwards: list[str] = []
    page: dict[str, Any] | None = last
    while page is not None:
        backwards[:0] = _ids(page)
        previous = _link(page, "previous")
        page = client.get(previous).json() if previous else None
    forwards = _ids(client.get("/STU3/Patient", params={"gender": "female", "_count": "100"}).json())
    assert backwards == forwards and len(forwards) == first["total"]


@pytest.mark.parametrize(
    ("query", "diagnostics"),
    [
        ("birthdate=19x7", "invalid date '19x7'"),
        ("birthdate=zz1927", "unknown prefix 'zz'"),
        ("family=", "empty value"),
        ("gender=", "empty value"),
        ("family:sounds-like=smith", "unknown modifier :sounds-like"),
        ("gender:text=male", "not supported"),
        ("_count=lots", "_count must be a whole number"),
    ],
)
def test_invalid_search_values_are_400_outcomes(client: TestClient, query: str, diagnostics: str) -> None:
    issue = _issue(client.get(f"/STU3/Patient?{query}"), 400)
    assert issue["code"] == "invalid"
    assert diagnostics in issue["diagnostics"]


def test_unknown_parameters_are_ignored_with_a_warning_entry(client: TestClient) -> None:
    bundle = client.get("/STU3/Patient", params={"family": "meakin", "nickname": "Mikey"}).json()
    assert_stu3(bundle)
    outcome_entry, *matches = bundle["entry"]
    assert outcome_entry["search"] == {"mode": "outcome"}
    (issue,) = outcome_entry["resource"]["issue"]
    assert issue["severity"] == "warning" and "'nickname'" in issue["diagnostics"]
    assert [entry["resource"]["id"] for entry in matches] == [MEAKIN] and bundle["total"] == 1
    assert "nickname" not in str(_link(bundle, "self"))


@pytest.mark.parametrize("prefer", ["handling=strict", "return=minimal, handling=strict", "handling = strict"])
def test_strict_handling_refuses_unknown_parameters(client: TestClient, prefer: str) -> None:
    response = client.get("/STU3/Patient", params={"family": "meakin", "nickname": "Mikey"}, headers={"Prefer": prefer})
    issue = _issue(response, 400)
    assert "'nickname'" in issue["diagnostics"]


def test_lenient_handling_is_the_default_behaviour(client: TestClient) -> None:
    response = client.get("/STU3/Patient", params={"nickname": "Mikey"}, headers={"Prefer": "handling=lenient"})
    assert response.status_code == 200


def test_a_server_failure_is_a_500_outcome(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Store, *args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "search", broken)
    with TestClient(app, raise_server_exceptions=False) as failing:
        issue = _issue(failing.get("/STU3/Patient?family=x"), 500)
        assert issue["code"] == "exception" and "disk on fire" in issue["diagnostics"]
        xml = failing.get("/STU3/Patient?family=x&_format=xml")
        assert xml.status_code == 500
        assert _value(_xml(xml), f"{F}issue/{F}code") == "exception"


# formats


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({"Accept": "application/fhir+xml"}, ""),
        ({"Accept": "application/xml+fhir"}, ""),
        ({}, "_format=xml"),
        ({"Accept": "application/fhir+json"}, "_format=application/fhir%2Bxml"),
    ],
)
def test_metadata_read_and_search_speak_xml(client: TestClient, headers: dict[str, str], query: str) -> None:
    metadata = _xml(client.get(f"/STU3/metadata?{query}", headers=headers))
    assert metadata.tag == f"{F}CapabilityStatement" and _value(metadata, f"{F}fhirVersion") == "3.0.1"
    patient = _xml(client.get(f"/STU3/Patient/{MEAKIN}?{query}", headers=headers))
    assert patient.tag == f"{F}Patient" and _value(patient, f"{F}birthDate") == "1927-06-19"
    bundle = _xml(client.get(f"/STU3/Patient?gender=male&{query}", headers=headers))
    assert bundle.tag == f"{F}Bundle" and _value(bundle, f"{F}total") == "111"
    assert len(bundle.findall(f"{F}entry/{F}resource/{F}Patient")) == 20


def test_format_survives_in_paging_links(client: TestClient) -> None:
    bundle = _xml(client.get("/STU3/Patient?gender=male&_format=xml&_count=5"))
    next_url = next(_value(link, f"{F}url") for link in bundle.findall(f"{F}link") if _value(link, f"{F}relation") == "next")
    assert next_url is not None and "_format=xml" in next_url
    assert _xml(client.get(next_url)).tag == f"{F}Bundle"


def test_errors_follow_the_negotiated_format(client: TestClient) -> None:
    outcome = _xml(client.get("/STU3/Patient/nobody", headers={"Accept": "application/fhir+xml"}))
    assert outcome.tag == f"{F}OperationOutcome" and _value(outcome, f"{F}issue/{F}code") == "not-found"
    assert _xml(client.get("/STU3/Patient?birthdate=19x7&_format=xml")).tag == f"{F}OperationOutcome"


def test_unanswerable_formats(client: TestClient) -> None:
    assert _issue(client.get("/STU3/metadata?_format=html"), 400)["code"] == "invalid"
    assert _issue(client.get("/STU3/metadata", headers={"Accept": "text/html"}), 406)["code"] == "not-supported"


def test_an_empty_app_has_no_resources_but_the_same_capabilities() -> None:
    with TestClient(create_app(seed=False)) as empty:
        assert empty.get("/STU3/Patient").json()["total"] == 0
        resources = empty.get("/STU3/metadata").json()["rest"][0]["resource"]
        assert [(r["type"], len(r["searchParam"])) for r in resources] == [(definition.type, len(definition.params)) for definition in RESOURCES.values()]


def test_a_smaller_population_is_a_prefix_of_the_default() -> None:
    with TestClient(create_app(population=3)) as small:
        bundle = small.get("/STU3/Patient", params={"_id": "pop-1,pop-3,pop-4"}).json()
        assert _ids(bundle) == ["pop-1", "pop-3"]


# every resource type: read and search, JSON and XML

ONE_OF_EACH = [
    ("Patient", MEAKIN),
    ("AllergyIntolerance", f"{MEAKIN}-allergy-1"),
    ("Condition", "780d64f8-c06a-4b9a-bd0a-f987f0f8e34b"),
    ("Procedure", f"{MEAKIN}-procedure-1"),
    ("Observation", "3b61a566-a22e-4435-ad7f-ca8c4a6ec958"),
    ("Encounter", "fb72c4ac-e0eb-450c-b3eb-5efbb631a93a"),
    ("Medication", "medication-1"),
    ("MedicationStatement", f"{MEAKIN}-medicationstatement-1"),
    ("MedicationRequest", f"{MEAKIN}-medicationrequest-1"),
    ("Immunization", f"{MEAKIN}-immunization-1"),
    ("Practitioner", "sds-g8133438"),
    ("PractitionerRole", "sds-g8133438-role"),
    ("Organization", "ods-c81010"),
    ("Location", "site-rtg08"),
]


@pytest.mark.parametrize(("resource_type", "resource_id"), ONE_OF_EACH)
def test_every_resource_type_reads_in_json_and_xml_with_its_care_connect_profile(client: TestClient, resource_type: str, resource_id: str) -> None:
    resource = client.get(f"/STU3/{resource_type}/{resource_id}").json()
    assert (resource["resourceType"], resource["id"]) == (resource_type, resource_id)
    assert resource["meta"]["profile"] == [RESOURCES[resource_type].profile]
    assert_stu3(resource)
    xml = _xml(client.get(f"/STU3/{resource_type}/{resource_id}", headers={"Accept": "application/xml+fhir"}))
    assert xml.tag == f"{F}{resource_type}" and _value(xml, f"{F}id") == resource_id
    assert _value(xml, f"{F}meta/{F}profile") == RESOURCES[resource_type].profile
    assert _issue(client.get(f"/STU3/{resource_type}/{resource_id}-nobody"), 404)["code"] == "not-found"


@pytest.mark.parametrize(("resource_type", "resource_id"), ONE_OF_EACH)
def test_every_resource_type_searches_in_json_and_xml(client: TestClient, resource_type: str, resource_id: str) -> None:
    bundle = client.get(f"/STU3/{resource_type}", params={"_id": resource_id}).json()
    assert_stu3(bundle)
    assert (bundle["total"], _ids(bundle)) == (1, [resource_id])
    xml = _xml(client.get(f"/STU3/{resource_type}?_id={resource_id}&_format=xml"))
    assert _value(xml, f"{F}total") == "1"
    assert _value(xml, f"{F}entry/{F}resource/{F}{resource_type}/{F}id") == resource_id


# references, chains and includes over HTTP


def test_a_patients_records_are_found_by_id_reference_url_and_nhs_number(client: TestClient) -> None:
    forms = [MEAKIN, f"Patient/{MEAKIN}", f"http://testserver/STU3/Patient/{MEAKIN}"]
    found = [_ids(client.get("/STU3/Condition", params={"patient": form}).json()) for form in forms]
    chained = client.get("/STU3/Condition", params={"patient.identifier": f"{NHS}|9658218873"}).json()
    assert found[0] == found[1] == found[2] == _ids(chained) and len(found[0]) >= 3
    assert "780d64f8-c06a-4b9a-bd0a-f987f0f8e34b" in found[0]


def test_medication_requests_include_their_medications(client: TestClient) -> None:
    query = {"patient": "2305a166-45ca-4716-8be6-e1a57eda55b0", "_include": "MedicationRequest:medication"}
    bundle = client.get("/STU3/MedicationRequest", params=query).json()
    assert_stu3(bundle)
    matches = [entry["resource"] for entry in bundle["entry"] if entry["search"]["mode"] == "match"]
    included = {entry["fullUrl"] for entry in bundle["entry"] if entry["search"]["mode"] == "include"}
    assert bundle["total"] == len(matches) >= 3
    wanted = {f"http://testserver/STU3/{match['medicationReference']['reference']}" for match in matches}
    assert included == wanted
    assert "_include=MedicationRequest:medication" in str(_link(bundle, "self"))


def test_get_record_revinclude_all_on_patient_and_encounter(client: TestClient) -> None:
    query = {"_id": MEAKIN, "_revinclude": "*", "_include": ["Patient:general-practitioner", "Patient:organization"]}
    bundle = client.get("/STU3/Patient", params=query).json()
    assert_stu3(bundle)
    assert bundle["total"] == 1 and _ids(bundle) == [MEAKIN]
    included = [entry["resource"] for entry in bundle["entry"] if entry["search"]["mode"] == "include"]
    kinds = {resource["resourceType"] for resource in included}
    assert kinds >= {
        "Practitioner", "Organization", "AllergyIntolerance", "Condition", "Procedure", "Observation", "Encounter",
        "MedicationStatement", "MedicationRequest", "Immunization",
    }  # fmt: skip
    assert len({(r["resourceType"], r["id"]) for r in included}) == len(included)
    encounter = client.get("/STU3/Encounter", params={"_id": "fb72c4ac-e0eb-450c-b3eb-5efbb631a93a", "_revinclude": "*"}).json()
    assert {entry["resource"]["id"] for entry in encounter["entry"] if entry["search"]["mode"] == "include"} >= {
        "f93b0d23-1b7e-4db0-b7a8-ca583bb9f243",  # an Encounter part of it
    }


def test_paging_a_clinical_search_keeps_its_includes_on_every_page(client: TestClient) -> None:
    query = {"patient": MEAKIN, "_include": "MedicationRequest:medication", "_count": "1"}
    page = client.get("/STU3/MedicationRequest", params=query).json()
    seen = []
    while True:
        seen.extend(_ids(page))
        assert any(entry["search"]["mode"] == "include" for entry in page["entry"])
        next_url = _link(page, "next")
        if next_url is None:
            break
        page = client.get(next_url).json()
    assert len(seen) == len(set(seen)) == page["total"]


# POST [type]/_search


@pytest.mark.parametrize(
    "query",
    [
        {"family": "howell", "gender": "male"},
        {"patient": MEAKIN, "date": ["ge2018-01-01", "le2018-12-31"]},
        {"patient.identifier": f"{NHS}|9658218873", "_include": "MedicationRequest:medication"},
        {"_id": MEAKIN, "_revinclude": "*"},
        {"name": "meakin", "_count": "1"},
    ],
)
def test_post_search_gives_what_get_gives(client: TestClient, query: dict[str, Any]) -> None:
    resource_type = "Observation" if "date" in query else "MedicationRequest" if "_include" in query else "Patient"
    got = client.get(f"/STU3/{resource_type}", params=query).json()
    posted = client.post(f"/STU3/{resource_type}/_search", data=query).json()
    assert posted["total"] == got["total"]
    assert [entry["fullUrl"] for entry in posted["entry"]] == [entry["fullUrl"] for entry in got["entry"]]
    assert [link["url"] for link in posted["link"]] == [link["url"] for link in got["link"]]


def test_post_search_joins_the_query_string_and_the_body(client: TestClient) -> None:
    response = client.post("/STU3/Patient/_search?gender=male&_format=xml", data={"family": "howell"})
    assert _value(_xml(response), f"{F}total") == "2"
    assert client.get("/STU3/Patient/_search", params={"family": "howell"}).json()["total"] == 3


def test_post_search_takes_only_a_form(client: TestClient) -> None:
    response = client.post("/STU3/Patient/_search", content=b'{"family": "howell"}', headers={"Content-Type": "application/json"})
    assert _issue(response, 415)["code"] == "not-supported"
    empty = client.post("/STU3/Patient/_search")
    assert empty.status_code == 200 and empty.json()["total"] == 206


@pytest.mark.parametrize(
    ("path", "diagnostics"),
    [
        ("/STU3/Observation?patient=Observation/1", "refers to Patient, not Observation"),
        ("/STU3/MedicationRequest?_include=MedicationRequest:status", "is not one this server follows"),
        ("/STU3/Patient?_revinclude=Observation:context", "cannot refer to Patient"),
        ("/STU3/Observation?patient.nickname=x", "Patient has no search parameter 'nickname'"),
        ("/STU3/Immunization?notgiven:missing=maybe", "must be true or false"),
    ],
)
def test_bad_references_includes_and_chains_are_400_outcomes(client: TestClient, path: str, diagnostics: str) -> None:
    assert diagnostics in _issue(client.get(path), 400)["diagnostics"]
