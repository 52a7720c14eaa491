"""Exchanges survive the round trip through evidence files, binary bodies included."""

from __future__ import annotations

from carecheck.http import Exchange, RecordedRequest, RecordedResponse


def test_round_trip_keeps_everything() -> None:
    original = Exchange(
        id="007",
        request=RecordedRequest("GET", "http://x/STU3/Patient?family=M%C3%BCller", (("Accept", "application/fhir+json"),)),
        response=RecordedResponse(200, (("Content-Type", "application/octet-stream"),), b"\x89PNG\x00\xff", truncated=True),
        started="2026-11-22T00:00:00.000+00:00",
        elapsed_ms=12.5,
        error="cut off",
        notes=("note",),
    )
    assert Exchange.from_data(original.to_data()) == original


def test_a_transport_failure_has_no_response() -> None:
    failed = Exchange("001", RecordedRequest("GET", "http://x/metadata"), None, "t", 1.0, error="ConnectError: refused")
    assert Exchange.from_data(failed.to_data()) == failed
    assert failed.describe() == "GET http://x/metadata -> no response (ConnectError: refused)"
