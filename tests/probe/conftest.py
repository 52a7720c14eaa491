"""One seeded reference server (no security) for the probe tests, and recording clients of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from carecheck.http import Exchange, FhirClient
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.search.strategies import SearchSpace

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"


@pytest.fixture(scope="session")
def reference_url() -> Iterator[str]:
    with EmbeddedServer(create_app()) as server:
        yield server.base_url


class Recorded(FhirClient):
    """A FhirClient that keeps what it sent, for the tests to count and read."""

    def __init__(self, base_url: str) -> None:
        self.exchanges: list[Exchange] = []
        super().__init__(base_url, record=self.exchanges.append)


@pytest.fixture
def client(reference_url: str) -> Iterator[Recorded]:
    with Recorded(reference_url) as recorded:
        yield recorded


def observation_space(client: FhirClient) -> SearchSpace:
    """The known patient's observations, as a target profile and its CapabilityStatement describe them."""
    statement: dict[str, Any] = json.loads(client.capabilities().first.response.body)  # type: ignore[union-attr]
    declared = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Observation")
    bundle = json.loads(client.search("Observation", [("patient", MEAKIN)]).first.response.body)  # type: ignore[union-attr]
    return SearchSpace(
        "Observation",
        base=(("patient", f"Patient/{MEAKIN}"),),
        records=(bundle["entry"][0]["resource"],),
        parameters=tuple(sorted(p["name"] for p in declared["searchParam"])),
        base_url=client.base_url,
    )
