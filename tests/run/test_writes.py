"""The write scenarios' fixture against the reference app in-process: a probe and its clean-up, or not applicable with the reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carecheck.config import Target
from carecheck.http import Exchange, FhirClient
from carecheck.refserver import create_app
from carecheck.run.writes import WriteProbes
from tests.faults import Faults
from tests.refserver.conftest import TestClient

BASE = "http://testserver/STU3"


@pytest.fixture(scope="module")
def http() -> Iterator[TestClient]:
    with TestClient(create_app(population=0, writes=True)) as client:
        yield client


def probes(http: TestClient, recorded: list[Exchange], writes: str = "probe") -> WriteProbes:
    client = FhirClient(BASE, record=recorded.append, http=http)
    return WriteProbes(client, Target.model_validate({"name": "t", "base_url": BASE, "writes": writes}))


def test_a_write_comes_back_alone_and_its_clean_up_is_kept_for_the_check(http: TestClient) -> None:
    recorded: list[Exchange] = []
    writes = probes(http, recorded)
    created = writes.send("POST", "Patient")
    assert created.exchanges == (recorded[0],) and created.first.status == 201
    cleanup = writes.cleanup_of(created)
    assert cleanup is not None and cleanup.exchanges == tuple(recorded[1:]) and [e.request.method for e in recorded[1:]] == ["GET", "DELETE", "GET"]
    refused = writes.send("PATCH", "Patient")
    assert refused.first.status == 405 and writes.cleanup_of(refused) is not None


def test_writes_never_sends_nothing_and_is_not_applicable(http: TestClient) -> None:
    recorded: list[Exchange] = []
    with pytest.raises(pytest.skip.Exception, match=r"not-applicable: the target profile says no write may ever be sent .*\(writes: never\)"):
        probes(http, recorded, writes="never").send("DELETE", "Patient")
    assert recorded == []


def test_a_write_that_cannot_be_sent_safely_is_not_applicable_with_the_reason() -> None:
    with TestClient(Faults(create_app(population=0), status_map={404: 503})) as http:
        recorded: list[Exchange] = []
        with pytest.raises(pytest.skip.Exception, match="not-applicable: the server answered 503 to a read of Patient/carecheck-probe-"):
            probes(http, recorded).send("PUT", "Patient")
    assert {e.request.method for e in recorded} == {"GET"}
