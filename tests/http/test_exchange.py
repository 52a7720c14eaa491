"""Exchanges survive the round trip through evidence files, binary bodies included."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from carecheck.http import Exchange, RecordedRequest, RecordedResponse
from tests.exchanges import exchange, patient


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


def test_bodies_can_be_kept_apart_and_read_back_through_a_store() -> None:
    kept: dict[str, bytes] = {}

    def store(body: bytes) -> dict[str, Any] | None:
        if len(body) < 100:
            return None
        kept["b1"] = body
        return {"sha256": "b1", "bytes": len(body), "file": "bodies/b1"}

    original = exchange(patient("p1", text={"div": "x" * 500}))
    data = original.to_data(store)
    assert data["response"]["body"] == {"sha256": "b1", "bytes": len(kept["b1"]), "file": "bodies/b1"}
    assert data["request"]["body"] == {"text": ""}
    assert Exchange.from_data(data, lambda reference: kept[reference["sha256"]]) == original
    with pytest.raises(ValueError, match="stored apart"):
        Exchange.from_data(data)


def test_any_bytes_survive_the_round_trip_and_the_json_always_encodes() -> None:
    for body in (b'{"id": "\\u0000\\ud800"}', b"\x00\xed\xa0\x80\xff", "Müller \x00".encode()):
        original = exchange(body)
        assert Exchange.from_data(json.loads(original.to_json())) == original
    noted = dataclasses.replace(exchange(b"{}"), notes=('claims {"sub": "\ud800"}',))
    assert "\\ud800" in noted.to_json() and Exchange.from_data(json.loads(noted.to_json())) == noted


def test_a_repr_never_holds_a_body() -> None:
    """Allure records step arguments by repr: an Interaction of a 20 MB body must not become 80 MB there."""
    shown = repr(exchange(b"\x00" * 1_000_000))
    assert len(shown) < 400 and "body of 1000000 bytes" in shown


def test_ok_json_is_none_for_a_body_the_client_marked_unreadable() -> None:
    assert exchange(patient("p1")).ok_json() == patient("p1")
    assert exchange(patient("p1"), error="the body nests deeper than 100 levels").ok_json() is None
    assert exchange(b"[" * 100_000 + b"]" * 100_000).ok_json() is None
