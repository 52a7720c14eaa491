"""Write probes against real servers: a read-only one, a writable one, and servers that misbehave in the ways that
could make a careless harness harm a record. Every server's store must hold after the probes what it held before."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from carecheck.checks import CHECKS, NotApplicable, Outcome
from carecheck.http import Exchange, FhirClient, Interaction
from carecheck.probe import PROBE_SYSTEM, ProbeUnavailable, WriteProbes, carries_mark, probe_write
from carecheck.probe.writes import NO_SUCH_VERSION, synthetic
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.refserver.store import Store
from tests.faults import Faults
from tests.probe.conftest import MEAKIN, Recorded
from tests.refserver.conftest import TestClient

pytestmark = pytest.mark.e2e


def store_of(app: ASGIApp) -> Store:
    assert isinstance(app, Starlette)
    store: Store = app.state.store
    return store


class Rewrite:
    """Changes one kind of request or answer of the app it wraps: the misbehaving servers below."""

    def __init__(self, app: ASGIApp, *, drop_header: bytes | None = None, refuse: str | None = None, post_answers: str | None = None) -> None:
        self.app, self.drop_header, self.refuse, self.post_answers = app, drop_header, refuse, post_answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == self.refuse:
            await send({"type": "http.response.start", "status": 405, "headers": [(b"content-type", b"application/fhir+json")]})
            await send({"type": "http.response.body", "body": b'{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-supported"}]}'})
            return
        if scope["type"] == "http" and scope["method"] == "POST" and self.post_answers and not scope["path"].endswith("_search"):
            given = self.post_answers
            location = (given if "://" in given else f"http://{scope['server'][0]}:{scope['server'][1]}/STU3/{given}").encode()
            await send({"type": "http.response.start", "status": 201, "headers": [(b"location", location)]})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["type"] == "http" and self.drop_header:
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != self.drop_header]}
        await self.app(scope, receive, send)


@pytest.fixture
def recorded(request: pytest.FixtureRequest) -> Iterator[tuple[Recorded, Store]]:
    """A recording client of a writable reference server wrapped as the test's parameter says, and its store."""
    app = create_app(population=0, writes=True)
    with EmbeddedServer(Rewrite(app, **getattr(request, "param", {}))) as server, Recorded(server.base_url) as client:
        yield client, store_of(app)


def judged(probed_write: Interaction, cleanup: Interaction | None) -> list[tuple[Outcome, str]]:
    findings = CHECKS.get("write_method_refused").run(probed_write, expected=[405], cleanup=cleanup)
    return [(f.outcome, f.message) for f in findings]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_on_a_read_only_server_each_write_is_refused_and_touches_only_carecheck_s_own_id(client: Recorded, method: str) -> None:
    probed = probe_write(client, method, "Patient")
    write = probed.write.first
    assert write.status == 405 and write.request.method == method
    if method == "POST":
        assert probed.cleanup is None, "a refused create leaves nothing to look for"
        body = json.loads(write.request.body)
        assert body["meta"]["tag"][0]["code"].startswith("carecheck-probe-") and carries_mark(body, body["meta"]["tag"][0]["code"])
        return
    probe = write.request.url.rsplit("/", 1)[1]
    assert probe.startswith("carecheck-probe-") and len(probe) == 32
    before, after = client.exchanges[0], client.exchanges[-1]
    assert (before.request.method, before.status, before.request.url) == ("GET", 404, write.request.url), "checked not to exist first"
    assert probed.cleanup is not None and [(e.request.method, e.status) for e in probed.cleanup.exchanges] == [("GET", 404)]
    assert after is probed.cleanup.exchanges[0] and after.notes[0].startswith("clean-up: re-reading")
    if method in ("PUT", "PATCH"):
        assert write.request.header("if-match") == NO_SUCH_VERSION
    assert judged(probed.write, probed.cleanup)[0][0] is Outcome.PASS


def test_on_a_writable_server_what_carecheck_creates_is_deleted_and_nothing_else_changes(recorded: tuple[Recorded, Store]) -> None:
    client, store = recorded
    before = store.snapshot()
    created = probe_write(client, "POST", "Observation")
    assert created.write.first.status == 201
    assert created.cleanup is not None
    assert [(e.request.method, e.status) for e in created.cleanup.exchanges] == [("GET", 200), ("DELETE", 204), ("GET", 410)]
    assert f"it carries carecheck's mark {PROBE_SYSTEM}|carecheck-probe-" in created.cleanup.exchanges[1].notes[0]
    (outcome, message), cleaned = judged(created.write, created.cleanup)
    assert outcome is Outcome.FAIL and "the server performed the POST (201)" in message and cleaned[0] is Outcome.PASS
    updated = probe_write(client, "PUT", "Patient")
    assert updated.write.first.status == 412, "If-Match on a version no record has"
    deleted = probe_write(client, "DELETE", "Patient")
    assert deleted.write.first.status == 204
    assert [o for o, _ in judged(updated.write, updated.cleanup)] == [Outcome.FAIL]
    assert [o for o, _ in judged(deleted.write, deleted.cleanup)] == [Outcome.FAIL]
    assert store.snapshot() == before


@pytest.mark.parametrize("recorded", [{"drop_header": b"if-match"}], indirect=True)
def test_a_put_a_server_performs_despite_if_match_is_deleted_again(recorded: tuple[Recorded, Store]) -> None:
    client, store = recorded
    before = store.snapshot()
    probed = probe_write(client, "PUT", "Patient")
    assert probed.write.first.status == 201
    assert probed.cleanup is not None and [(e.request.method, e.status) for e in probed.cleanup.exchanges] == [("GET", 200), ("DELETE", 204), ("GET", 410)]
    assert store.snapshot() == before


@pytest.mark.parametrize("recorded", [{"post_answers": f"Patient/{MEAKIN}"}], indirect=True)
def test_a_create_answered_with_someone_else_s_record_never_deletes_it(recorded: tuple[Recorded, Store]) -> None:
    client, store = recorded
    before = store.snapshot()
    probed = probe_write(client, "POST", "Patient")
    assert [e.request.method for e in client.exchanges] == ["POST", "GET"], "read, found without carecheck's mark, left alone"
    assert store.snapshot() == before and ("Patient", MEAKIN) in before
    _, (outcome, cleanup) = judged(probed.write, probed.cleanup)
    assert outcome is Outcome.FAIL and f"Patient/{MEAKIN} answers after carecheck's POST but carries no mark of carecheck's" in cleanup


@pytest.mark.parametrize("recorded", [{"post_answers": "http://[::1/STU3/Patient/not-a-url"}], indirect=True)
def test_a_create_answered_with_a_location_that_is_no_url_is_judged_not_a_crash(recorded: tuple[Recorded, Store]) -> None:
    client, store = recorded
    before = store.snapshot()
    probed = probe_write(client, "POST", "Patient")
    assert store.snapshot() == before
    assert next(outcome for outcome, _ in judged(probed.write, probed.cleanup)) is Outcome.FAIL


@pytest.mark.parametrize("recorded", [{"refuse": "DELETE"}], indirect=True)
def test_a_record_the_server_will_not_delete_is_reported_left_behind(recorded: tuple[Recorded, Store]) -> None:
    client, store = recorded
    probed = probe_write(client, "POST", "Patient")
    left = [r for (kind, _), r in store.snapshot().items() if kind == "Patient" and r["name"][0].get("family") == "CARECHECK-WRITE-PROBE"]
    assert len(left) == 1, "the server kept it"
    (_, message), (outcome, cleanup) = judged(probed.write, probed.cleanup)
    assert "CLEAN-UP FAILED for Patient/" in message
    assert outcome is Outcome.FAIL and "is still on the server (DELETE answered 405; a re-read answered 200): delete it by hand" in cleanup


@pytest.mark.parametrize(
    ("status_map", "reason"),
    [({404: 200}, "3 random ids of carecheck's own all answered as existing records"), ({404: 403}, "answered 403 to a read of Patient/carecheck-probe-")],
)
def test_no_write_is_sent_when_the_server_cannot_show_the_id_is_unused(status_map: dict[int, int], reason: str) -> None:
    with EmbeddedServer(Faults(create_app(population=0), status_map=status_map)) as server, Recorded(server.base_url) as client:
        with pytest.raises(ProbeUnavailable, match=reason):
            probe_write(client, "DELETE", "Patient")
    assert {e.request.method for e in client.exchanges} == {"GET"}


def test_a_probe_body_is_inert_and_marked() -> None:
    patient, observation = synthetic("Patient", "carecheck-probe-x", with_id=True), synthetic("Observation", "carecheck-probe-x", with_id=False)
    assert patient["id"] == "carecheck-probe-x" and patient["active"] is False and patient["name"][0]["family"] == "CARECHECK-WRITE-PROBE"
    assert observation["status"] == "entered-in-error" and "id" not in observation
    assert carries_mark(patient, "carecheck-probe-x") and carries_mark(observation, "carecheck-probe-x")
    assert not carries_mark(patient, "carecheck-probe-y") and not carries_mark({"resourceType": "Patient", "id": MEAKIN}, "carecheck-probe-x")
    assert carries_mark({"identifier": [{"system": PROBE_SYSTEM, "value": "p"}]}, "p"), "either mark will do"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_server_that_answers_404_for_an_unknown_id_is_a_warning_never_a_failure(method: str) -> None:
    """The other reading STU3 allows: a server refusing writes that answers 404 for an id it does not know."""
    with EmbeddedServer(Faults(create_app(population=0), status_map={405: 404})) as server, Recorded(server.base_url) as client:
        probed = probe_write(client, method, "Patient")
    assert probed.write.first.status == 404
    [(outcome, message)] = judged(probed.write, probed.cleanup)
    assert outcome is Outcome.WARN and "STU3 allows that answer" in message


TEST_BASE = "http://testserver/STU3"


@pytest.fixture(scope="module")
def in_process() -> Iterator[TestClient]:
    with TestClient(create_app(population=0, writes=True)) as client:
        yield client


def write_probes(http: TestClient, recorded: list[Exchange], *, allowed: bool = True) -> WriteProbes:
    return WriteProbes(FhirClient(TEST_BASE, record=recorded.append, http=http), allowed=allowed)


def test_a_scenario_s_write_comes_back_alone_and_its_clean_up_is_kept_for_the_check(in_process: TestClient) -> None:
    recorded: list[Exchange] = []
    writes = write_probes(in_process, recorded)
    created = writes.send("POST", "Patient")
    assert created.exchanges == (recorded[0],) and created.first.status == 201
    cleanup = writes.cleanup_of(created)
    assert cleanup is not None and cleanup.exchanges == tuple(recorded[1:]) and [e.request.method for e in recorded[1:]] == ["GET", "DELETE", "GET"]
    refused = writes.send("PATCH", "Patient")
    assert refused.first.status == 405 and writes.cleanup_of(refused) is not None


def test_writes_never_sends_nothing_and_is_not_applicable(in_process: TestClient) -> None:
    recorded: list[Exchange] = []
    with pytest.raises(NotApplicable, match=r"the target profile says no write may ever be sent .*\(writes: never\)"):
        write_probes(in_process, recorded, allowed=False).send("DELETE", "Patient")
    assert recorded == []


def test_a_write_that_cannot_be_sent_safely_is_not_applicable_with_the_reason() -> None:
    with TestClient(Faults(create_app(population=0), status_map={404: 503})) as http:
        recorded: list[Exchange] = []
        with pytest.raises(NotApplicable, match="the server answered 503 to a read of Patient/carecheck-probe-"):
            write_probes(http, recorded).send("PUT", "Patient")
    assert {e.request.method for e in recorded} == {"GET"}
