"""Format checks, each shown passing and failing: the negotiated format of an answer, and JSON/XML parity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.checks.formats import asked_for
from carecheck.http import Exchange, Interaction, RecordedRequest, RecordedResponse
from tests.exchanges import BASE

PATIENT = {
    "resourceType": "Patient",
    "id": "m",
    "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Mike &amp; MEAKIN</p></div>'},
    "name": [{"family": "MEAKIN", "given": ["Mike"]}],
    "birthDate": "1927-06-19",
}
PATIENT_XML = (
    b'<Patient xmlns="http://hl7.org/fhir"><id value="m"/><text><status value="generated"/>'
    b"<div xmlns='http://www.w3.org/1999/xhtml'>\n  <p>Mike &#38; MEAKIN</p>\n</div></text>"
    b'<name><family value="MEAKIN"/><given value="Mike"/></name><birthDate value="1927-06-19"/></Patient>'
)
OBSERVATION = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "weight"}, "valueQuantity": {"value": 72.50, "unit": "kg"}}
OBSERVATION_XML = (
    b'<Observation xmlns="http://hl7.org/fhir"><id value="o"/><status value="final"/><code><text value="weight"/></code>'
    b'<valueQuantity><value value="72.5"/><unit value="kg"/></valueQuantity></Observation>'
)


def answer(
    body: Any, *, content_type: str, url: str = f"{BASE}/Patient/m", accept: str | None = "application/fhir+json", status: int = 200, exchange_id: str = "001"
) -> Interaction:
    headers = (("Accept", accept),) if accept else ()
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    exchange = Exchange(
        exchange_id, RecordedRequest("GET", url, headers), RecordedResponse(status, (("Content-Type", content_type),), raw), "2026-01-01T00:00:00Z", 1.0
    )
    return Interaction("request", "Patient", (exchange,))


def run(name: str, subject: Interaction, **arguments: Any) -> list[Finding]:
    return CHECKS.get(name).run(subject, **arguments)


def text(found: list[Finding]) -> str:
    return " | ".join(finding.message for finding in found)


class TestNegotiatedFormat:
    def test_json_as_asked_passes(self) -> None:
        found = run("negotiated_format", answer(PATIENT, content_type="application/fhir+json; charset=utf-8"), expected="JSON", resource_type="Patient")
        assert [f.outcome for f in found] == [Outcome.PASS]
        assert "Accept: application/fhir+json: a Patient in JSON" in text(found)

    def test_xml_as_asked_by_format_passes(self) -> None:
        subject = answer(PATIENT_XML, content_type="application/fhir+xml", url=f"{BASE}/Patient/m?_format=xml")
        found = run("negotiated_format", subject, expected="XML", resource_type="Patient")
        assert [f.outcome for f in found] == [Outcome.PASS]
        assert "_format=xml (over Accept: application/fhir+json)" in text(found)

    def test_either_format_passes_when_either_will_do(self) -> None:
        subject = answer(PATIENT_XML, content_type="application/fhir+xml", accept=None)
        assert [f.outcome for f in run("negotiated_format", subject, expected="JSON or XML", resource_type="Patient")] == [Outcome.PASS]

    def test_format_xml_answered_with_json_fails(self) -> None:
        subject = answer(PATIENT, content_type="application/fhir+json", url=f"{BASE}/Patient/m?_format=xml")
        found = run("negotiated_format", subject, expected="XML", resource_type="Patient")
        assert [f.outcome for f in found] == [Outcome.FAIL]
        assert "_format=xml (over Accept: application/fhir+json) asks for FHIR XML (application/fhir+xml), but the answer is application/fhir+json" in text(
            found
        )

    def test_json_labelled_as_xml_fails(self) -> None:
        found = run(
            "negotiated_format", answer(PATIENT, content_type="application/fhir+xml", accept="application/fhir+xml"), expected="XML", resource_type="Patient"
        )
        assert [f.outcome for f in found] == [Outcome.FAIL]
        assert "labelled application/fhir+xml but the body is JSON" in text(found)

    def test_the_dstu2_label_is_a_warning(self) -> None:
        found = run(
            "negotiated_format", answer(PATIENT, content_type="application/json+fhir", accept="application/json+fhir"), expected="JSON", resource_type="Patient"
        )
        assert [f.outcome for f in found] == [Outcome.WARN]

    def test_a_generic_label_fails(self) -> None:
        found = run("negotiated_format", answer(PATIENT, content_type="application/json", accept="application/json"), expected="JSON", resource_type="Patient")
        assert [f.outcome for f in found] == [Outcome.FAIL]
        assert "labelled application/json; STU3 servers SHALL label FHIR content application/fhir+json" in text(found)

    @pytest.mark.parametrize(
        ("subject", "reason"),
        [
            (answer(PATIENT, content_type="application/fhir+json", status=406), "expected 200, got 406"),
            (answer(b"<html></html>", content_type="text/html"), "the answer is text/html"),
            (answer(b"{not json", content_type="application/fhir+json"), "the body is not JSON"),
            (answer(OBSERVATION, content_type="application/fhir+json"), "expected a Patient, got a Observation"),
        ],
    )
    def test_anything_else_fails(self, subject: Interaction, reason: str) -> None:
        found = run("negotiated_format", subject, expected="JSON", resource_type="Patient")
        assert [f.outcome for f in found] == [Outcome.FAIL]
        assert reason in text(found)

    def test_asked_for_describes_an_absent_accept(self) -> None:
        assert asked_for(answer(PATIENT, content_type="application/fhir+json", accept=None).first) == "no Accept header"
