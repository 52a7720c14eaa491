"""The probe's requests against the reference server: chosen Accept and _format, headers, POST _search."""

from __future__ import annotations

import pytest

from carecheck.probe import NONE, negotiated, search_by_post, search_with, sent_as
from tests.probe.conftest import MEAKIN, Recorded

pytestmark = pytest.mark.e2e


def test_negotiated_sends_the_accept_and_format_asked_for(client: Recorded) -> None:
    interaction = negotiated(client, f"Patient/{MEAKIN}", accept="application/fhir+json", format="xml")
    request = interaction.first.request
    assert request.header("accept") == "application/fhir+json" and request.url.endswith("?_format=xml")
    assert interaction.first.response is not None and interaction.first.response.content_type == "application/fhir+xml"
    assert interaction.resource_type == "Patient"


def test_none_leaves_format_out_and_asks_for_an_empty_accept(client: Recorded) -> None:
    interaction = negotiated(client, "metadata", accept=NONE, format=NONE)
    assert "_format" not in interaction.first.request.url
    assert interaction.first.request.header("accept") == ""  # the run's pool leaves an empty Accept out
    assert interaction.resource_type == "CapabilityStatement"


def test_search_with_sends_its_headers_on_every_page(client: Recorded) -> None:
    interaction = search_with(client, "Observation", [("patient", MEAKIN), ("_count", "4")], headers=[("Accept", "application/fhir+xml")])
    assert len(interaction.exchanges) == 3
    assert all(
        e.request.header("accept") == "application/fhir+xml" and e.response and e.response.content_type == "application/fhir+xml" for e in interaction.exchanges
    )


def test_search_with_can_stop_at_the_first_page(client: Recorded) -> None:
    assert len(search_with(client, "Observation", [("patient", MEAKIN), ("_count", "4")], all_pages=False).exchanges) == 1


def test_search_by_post_sends_a_form_and_follows_the_pages(client: Recorded) -> None:
    interaction = search_by_post(client, "Observation", [("patient", MEAKIN), ("_count", "4")])
    first = interaction.first.request
    assert first.method == "POST" and first.url.endswith("/Observation/_search")
    assert first.header("content-type") == "application/x-www-form-urlencoded" and b"_count=4" in first.body
    assert len(interaction.exchanges) == 3 and interaction.exchanges[1].request.method == "GET"


def test_sent_as_labels_the_body(client: Recorded) -> None:
    interaction = sent_as(client, "POST", "Patient/_search", "text/plain", b"family=MEAKIN")
    assert interaction.first.request.header("content-type") == "text/plain" and interaction.first.status == 415
