"""The writable reference server: create, versioned update with If-Match, delete and 410 afterwards, PATCH refused;
and the read-only default, which refuses every write with 405."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from carecheck.refserver import SecuritySettings, create_app
from tests.refserver.conftest import TestClient

JSON = {"content-type": "application/fhir+json"}


def patient(patient_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", **({"id": patient_id} if patient_id else {}), "name": [{"family": "WRITTEN"}], **fields}


@pytest.fixture
def writable() -> Iterator[TestClient]:
    with TestClient(create_app(seed=False, writes=True)) as client:
        yield client


def test_create_stores_version_1_under_the_server_s_own_id(writable: TestClient) -> None:
    created = writable.post("/STU3/Patient", json=patient("client-chosen"), headers=JSON)
    assert created.status_code == 201
    body = created.json()
    assert body["id"] != "client-chosen" and body["meta"]["versionId"] == "1" and created.headers["etag"] == 'W/"1"'
    assert created.headers["location"] == f"http://testserver/STU3/Patient/{body['id']}/_history/1"
    assert writable.get(f"/STU3/Patient/{body['id']}").json() == body
    assert writable.get("/STU3/Patient", params={"family": "WRITTEN"}).json()["total"] == 1, "indexed for search"


def test_update_adds_a_version_and_if_match_must_name_the_current_one(writable: TestClient) -> None:
    assert writable.put("/STU3/Patient/p1", json=patient("p1"), headers=JSON).status_code == 201, "update as create, with the client's id"
    stale = writable.put("/STU3/Patient/p1", json=patient("p1", gender="male"), headers={**JSON, "if-match": 'W/"7"'})
    assert stale.status_code == 412 and 'the current version is W/"1"' in stale.json()["issue"][0]["diagnostics"]
    updated = writable.put("/STU3/Patient/p1", json=patient("p1", gender="male"), headers={**JSON, "if-match": 'W/"1"'})
    assert updated.status_code == 200 and updated.headers["etag"] == 'W/"2"' and updated.json()["meta"]["versionId"] == "2"
    assert writable.get("/STU3/Patient", params={"gender": "male"}).json()["total"] == 1
    absent = writable.put("/STU3/Patient/p2", json=patient("p2"), headers={**JSON, "if-match": 'W/"1"'})
    assert absent.status_code == 412 and writable.get("/STU3/Patient/p2").status_code == 404, "no current version matches no ETag"


def test_delete_answers_204_either_way_and_a_deleted_record_reads_410(writable: TestClient) -> None:
    writable.put("/STU3/Patient/p1", json=patient("p1"), headers=JSON)
    assert writable.delete("/STU3/Patient/p1").status_code == 204
    assert writable.get("/STU3/Patient/p1").status_code == 410
    assert writable.delete("/STU3/Patient/never-was").status_code == 204
    assert writable.get("/STU3/Patient/never-was").status_code == 404
    assert writable.put("/STU3/Patient/p1", json=patient("p1"), headers=JSON).status_code == 201, "brought back to life"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "diagnostics"),
    [
        ("PUT", "/STU3/Patient/p1", patient("other"), JSON, 400, "is not the id in the URL"),
        ("PUT", "/STU3/Patient/bad_id!", patient("bad_id!"), JSON, 400, "not a valid FHIR id"),
        ("POST", "/STU3/Patient", {"resourceType": "Observation"}, JSON, 400, "must be a Patient resource"),
        ("POST", "/STU3/Patient", patient(), {"content-type": "application/fhir+xml"}, 415, "takes writes in FHIR JSON"),
        ("POST", "/STU3/Nope", patient(), JSON, 404, "is not served here"),
    ],
)  # fmt: skip
def test_a_write_it_cannot_take_is_refused_with_an_outcome(
    writable: TestClient, method: str, path: str, body: dict[str, Any], headers: dict[str, str], status: int, diagnostics: str
) -> None:
    answer = writable.request(method, path, json=body, headers=headers)
    assert answer.status_code == status and diagnostics in answer.json()["issue"][0]["diagnostics"]


def allowed(answer: Any) -> set[str]:
    return {method.strip() for method in answer.headers["allow"].split(",")}


def test_patch_is_not_supported_and_the_405_names_every_method_the_path_takes(writable: TestClient) -> None:
    answer = writable.patch("/STU3/Patient/p1", json=[], headers={"content-type": "application/json-patch+json"})
    assert answer.status_code == 405 and answer.json()["resourceType"] == "OperationOutcome"
    assert allowed(answer) == {"GET", "HEAD", "PUT", "DELETE"}, "RFC 9110 §15.5.6: Allow lists the methods the resource supports"
    assert allowed(writable.patch("/STU3/Patient", json=[], headers={"content-type": "application/json-patch+json"})) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/STU3/Patient"), ("PUT", "/STU3/Patient/p1"), ("PATCH", "/STU3/Patient/p1"), ("DELETE", "/STU3/Patient/p1")]
)
def test_by_default_every_write_is_refused_with_405(method: str, path: str) -> None:
    app = create_app(seed=False)
    with TestClient(app) as client:
        answer = client.request(method, path, json=patient("p1"), headers=JSON)
    assert answer.status_code == 405 and allowed(answer) == {"GET", "HEAD"}
    assert isinstance(app, Starlette) and app.state.store.snapshot() == {}


def test_behind_security_a_write_needs_a_write_scope() -> None:
    with TestClient(create_app(seed=False, auth=SecuritySettings.load(), writes=True)) as client:

        def token(client_id: str, secret: str) -> dict[str, str]:
            answer = client.post("/auth/token", data={"grant_type": "client_credentials"}, auth=httpx.BasicAuth(client_id, secret))
            return {**JSON, "authorization": f"Bearer {answer.json()['access_token']}"}

        reader = client.post("/STU3/Patient", json=patient(), headers=token("carecheck-all", "demo-all-64e98961bc4161b9"))
        assert reader.status_code == 403
        writer = client.post("/STU3/Patient", json=patient(), headers=token("carecheck-writer", "demo-writer-8d41c07be2a95f36"))
        assert writer.status_code == 201
