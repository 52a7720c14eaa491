"""Reading what chained searches' results refer to, against the reference server on loopback: each record read
once per run, recorded, known and foreign references left alone, a failed read explained, reads capped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from carecheck.http import Exchange, FhirClient
from carecheck.probe import MAX_READS, ReferenceReads, ScenarioReferences
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.search import parse_search

NHS = "https://fhir.nhs.uk/Id/nhs-number"
CHAIN = parse_search("AllergyIntolerance", [("patient.identifier", f"{NHS}|9658218873")])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with EmbeddedServer(create_app(population=30)) as server:
        yield server.base_url


@pytest.fixture
def sent() -> list[Exchange]:
    return []


@pytest.fixture
def client(base_url: str, sent: list[Exchange]) -> Iterator[FhirClient]:
    with FhirClient(base_url, record=sent.append) as fhir:
        yield fhir


def allergies(client: FhirClient, patients: int = 5) -> list[dict[str, Any]]:
    """Allergies of the first few patients the server lists (several records per patient)."""
    bundle = client.search("AllergyIntolerance", [("_count", "100")], all_pages=False).first.ok_json()
    records = [entry["resource"] for entry in bundle["entry"]]
    chosen = list(dict.fromkeys(r["patient"]["reference"] for r in records))[:patients]
    return [r for r in records if r["patient"]["reference"] in chosen]


def locate(exchange: Exchange) -> str:
    return f"evidence/scenario/{exchange.id}.json"


def test_each_referenced_record_is_read_once_per_run_and_recorded(base_url: str, client: FhirClient, sent: list[Exchange]) -> None:
    records = allergies(client)
    patients = {r["patient"]["reference"] for r in records}
    reads = ReferenceReads(base_url)
    first = reads.needed(client, locate, records, CHAIN)
    assert {read["reference"] for read in first} == patients and len(patients) == 5 < len(records)
    assert all(read["status"] == 200 and read["resource"]["resourceType"] == "Patient" and read["problem"] is None for read in first)
    assert all(read["evidence"].startswith("evidence/scenario/") for read in first)
    requests = len(sent)
    again = reads.needed(client, locate, records, CHAIN)
    assert again == first and len(sent) == requests, "a second scenario reuses the run's reads"


def test_known_records_are_not_read(base_url: str, client: FhirClient, sent: list[Exchange]) -> None:
    records = allergies(client)[:1]
    before = len(sent)
    assert ReferenceReads(base_url).needed(client, locate, records, CHAIN, known=[records[0]["patient"]["reference"]]) == []
    assert len(sent) == before


def test_a_record_on_another_server_is_never_read(base_url: str, client: FhirClient, sent: list[Exchange]) -> None:
    elsewhere = {"resourceType": "AllergyIntolerance", "id": "x", "patient": {"reference": "https://other.example/STU3/Patient/p"}}
    before = len(sent)
    (read,) = ReferenceReads(base_url).needed(client, locate, [elsewhere], CHAIN)
    assert read["resource"] is None and "on another server" in read["problem"] and len(sent) == before


def test_a_read_that_fails_says_why(base_url: str, client: FhirClient) -> None:
    missing = {"resourceType": "AllergyIntolerance", "id": "x", "patient": {"reference": "Patient/no-such-patient"}}
    (read,) = ReferenceReads(base_url).needed(client, locate, [missing], CHAIN)
    assert read["status"] == 404 and read["resource"] is None and read["problem"] == "reading Patient/no-such-patient answered 404"


def test_a_scenario_reads_at_most_max_reads(base_url: str, client: FhirClient, sent: list[Exchange]) -> None:
    many = [{"resourceType": "AllergyIntolerance", "id": f"a{n}", "patient": {"reference": f"Patient/nobody-{n}"}} for n in range(MAX_READS + 3)]
    before = len(sent)
    reads = ReferenceReads(base_url).needed(client, locate, many, CHAIN)
    assert len(sent) - before == MAX_READS
    assert [read["problem"] for read in reads[MAX_READS:]] == [f"not read: a scenario reads at most {MAX_READS} referenced records"] * 3


def test_a_scenario_reads_what_its_results_point_at_beyond_the_related_records(base_url: str, client: FhirClient) -> None:
    interaction = client.search("AllergyIntolerance", [("patient.identifier", f"{NHS}|9658218873")])
    references = ScenarioReferences(ReferenceReads(base_url), client, locate)
    returned = [e["resource"] for e in interaction.first.ok_json().get("entry", [])]
    own = client.read("Patient", returned[0]["patient"]["reference"].split("/")[1]).first.ok_json()
    assert references.for_results(interaction, "AllergyIntolerance", [own]) == []
    assert [read["reference"] for read in references.for_results(interaction, "AllergyIntolerance")] == [f"Patient/{own['id']}"]
