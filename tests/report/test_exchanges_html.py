"""Recorded exchanges as HTML: curl, status, headers, and a body pretty-printed and cut at a limit."""

from __future__ import annotations

from carecheck.evidence import ExchangeRecord
from carecheck.http import Exchange, RecordedRequest, RecordedResponse
from carecheck.report.exchanges_html import body_text, exchange_html, response_text
from tests.exchanges import exchange, patient


def test_json_bodies_are_pretty_printed_and_long_ones_cut() -> None:
    response = RecordedResponse(200, (("Content-Type", "application/fhir+json"),), b'{"resourceType":"Patient","id":"p1"}')
    assert body_text(response, 1000) == '{\n  "resourceType": "Patient",\n  "id": "p1"\n}'
    assert body_text(response, 10).endswith("… (35 more characters: open the evidence file)")
    assert body_text(RecordedResponse(204), 10) == "(empty body)"
    assert response_text(response, 1000).startswith("HTTP/1.1 200\nContent-Type: application/fhir+json\n\n{")


def test_an_exchange_shows_its_link_curl_notes_and_response_escaped() -> None:
    sent = exchange(patient("<p1>"), url="http://fhir.test/STU3/Patient/p1")
    noted = Exchange(sent.id, sent.request, sent.response, sent.started, 2.5, notes=("token <claims>",))
    html = exchange_html(ExchangeRecord("evidence/x/001-GET-Patient-p1.json", noted), limit=1000, opened=True)
    assert html.startswith("<details class=exchange open><summary><code>GET http://fhir.test/STU3/Patient/p1</code>")
    assert "→ <span class='status'>200</span> · 2.5 ms" in html
    assert "<a href='evidence/x/001-GET-Patient-p1.json'>001-GET-Patient-p1.json</a>" in html and "<li>token &lt;claims&gt;</li>" in html
    assert "&lt;p1&gt;" in html and "<p1>" not in html
    shown: set[str] = set()
    first = exchange_html(ExchangeRecord("evidence/x/001-GET-Patient-p1.json", noted), shown=shown)
    again = exchange_html(ExchangeRecord("evidence/x/002-GET-Patient-p1.json", noted), shown=shown)
    assert "bytes of body: open the evidence file)" in first and "token &lt;claims&gt;" in first
    assert "<li>as on the exchange above</li>" in again and "claims" not in again
    failed = Exchange("002", RecordedRequest("GET", "http://fhir.test/STU3/metadata"), None, "t", 1.0, error="ConnectError")
    assert "No response: ConnectError" in exchange_html(ExchangeRecord("evidence/x/002-GET-metadata.json", failed))


def test_a_body_nesting_too_deep_to_parse_is_shown_as_it_came() -> None:
    deep = b'{"resourceType": "Bundle", "entry": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    shown = body_text(RecordedResponse(200, (("Content-Type", "application/fhir+json"),), deep), 100)
    assert shown.startswith('{"resourceType": "Bundle", "entry": [[[') and "more characters" in shown


def test_a_big_body_shown_once_is_pointed_to_the_next_time() -> None:
    big = patient("p1", text={"div": "x" * 10_000})
    bodies: dict[str, str] = {}
    first = exchange_html(
        ExchangeRecord("evidence/a/001-GET-Patient-p1.json", exchange(big, url="http://fhir.test/STU3/Patient/p1")), limit=64_000, bodies=bodies
    )
    again = exchange_html(
        ExchangeRecord("evidence/b/001-GET-Patient-p1.json", exchange(big, url="http://fhir.test/STU3/Patient/p1")), limit=64_000, bodies=bodies
    )
    assert "x" * 10_000 in first and "x" * 100 not in again
    assert "the same 10060 bytes of body as the answer to GET http://fhir.test/STU3/Patient/p1 above" in again
    small = exchange(patient("p2"))
    assert all("&quot;p2&quot;" in exchange_html(ExchangeRecord("e/001.json", small), limit=64_000, bodies=bodies) for _ in range(2)), (
        "small bodies are shown each time"
    )
