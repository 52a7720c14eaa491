"""Version checks: vread of the version a read gave, ETag and Last-Modified against meta, HEAD beside GET, and their gates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.checks.versions import head_unsupported, version_headers_missing, version_of
from carecheck.http import Exchange, Interaction, RecordedRequest, RecordedResponse
from tests.exchanges import BASE

URL = f"{BASE}/Patient/m"
META = {"versionId": "3", "lastUpdated": "2018-11-14T16:25:58.346+00:00"}
HEADERS = {"ETag": 'W/"3"', "Last-Modified": "Wed, 14 Nov 2018 16:25:58 GMT"}


def patient(**meta: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "m", "meta": {**META, **meta}, "gender": "male"}


def answer(
    body: dict[str, Any] | bytes | None,
    *,
    method: str = "GET",
    url: str = URL,
    status: int = 200,
    headers: dict[str, str] | None = None,
    exchange_id: str = "001",
) -> Interaction:
    raw = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    sent = {"Content-Type": "application/fhir+json; charset=utf-8", **HEADERS, **(headers or {})}
    response = RecordedResponse(status, tuple((k, v) for k, v in sent.items() if v is not None), raw)
    request = RecordedRequest(method, url, (("Accept", "application/fhir+json"),))
    return Interaction("read", "Patient", (Exchange(exchange_id, request, response, "2026-01-01T00:00:00Z", 1.0),))


def judge(name: str, interaction: Interaction, **arguments: Any) -> list[Finding]:
    return CHECKS.get(name).run(interaction, **arguments)


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


class TestVread:
    def test_the_version_the_read_gave_read_back_passes(self) -> None:
        found = judge("vread_is_version", answer(patient(), url=f"{URL}/_history/3"), read=answer(patient()), version="3")
        assert outcomes(found) == [Outcome.PASS]
        assert found[0].requirements == ("FHIR-VREAD",)

    def test_another_version_returned_fails(self) -> None:
        vread = answer(patient(versionId="2"), url=f"{URL}/_history/3", headers={"ETag": 'W/"2"'})
        found = judge("vread_is_version", vread, read=answer(patient()), version="3")
        assert outcomes(found) == [Outcome.FAIL]
        assert "a vread of Patient/m version 3 returned version 2 (meta.versionId)" in found[0].message

    def test_another_version_by_its_etag_alone_fails(self) -> None:
        vread = answer({"resourceType": "Patient", "id": "m", "gender": "male"}, url=f"{URL}/_history/3", headers={"ETag": 'W/"4"'})
        found = judge("vread_is_version", vread, read=answer(patient()), version="3")
        assert "returned version 4 (its ETag)" in found[0].message

    def test_other_content_under_the_same_version_fails(self) -> None:
        vread = answer({**patient(), "gender": "female"}, url=f"{URL}/_history/3")
        found = judge("vread_is_version", vread, read=answer(patient()), version="3")
        assert outcomes(found) == [Outcome.FAIL] and "differs from the read that gave that version at /gender" in found[0].message

    @pytest.mark.parametrize(("status", "body"), [(404, {"resourceType": "OperationOutcome"}), (200, {"resourceType": "Patient", "id": "other"})])
    def test_not_found_or_another_record_fails(self, status: int, body: dict[str, Any]) -> None:
        found = judge("vread_is_version", answer(body, status=status, url=f"{URL}/_history/3"), read=answer(patient()), version="3")
        assert outcomes(found) == [Outcome.FAIL]

    def test_an_answer_naming_no_version_is_not_judged(self) -> None:
        bare = {"resourceType": "Patient", "id": "m", "gender": "male"}
        found = judge("vread_is_version", answer(bare, headers={"ETag": None}), read=answer(bare, headers={"ETag": None}), version="3")
        assert outcomes(found) == [Outcome.UNJUDGED]

    def test_the_version_comes_from_meta_else_the_etag(self) -> None:
        assert version_of(answer(patient(), headers={"ETag": 'W/"9"'})) == "3"
        assert version_of(answer({"resourceType": "Patient", "id": "m"}, headers={"ETag": 'W/"9"'})) == "9"
        assert version_of(answer({"resourceType": "Patient", "id": "m"}, headers={"ETag": None})) is None


class TestVersionHeaders:
    def test_headers_that_carry_meta_pass(self) -> None:
        found = judge("version_headers_agree", answer(patient()))
        assert outcomes(found) == [Outcome.PASS]
        assert 'ETag W/"3" is meta.versionId 3' in found[0].message and "to the second" in found[0].message

    def test_a_strong_etag_with_the_version_passes_and_says_so(self) -> None:
        found = judge("version_headers_agree", answer(patient(), headers={"ETag": '"3"'}))
        assert outcomes(found) == [Outcome.PASS] and "a strong tag" in found[0].message

    @pytest.mark.parametrize(
        ("headers", "message"),
        [
            ({"ETag": 'W/"2"'}, 'ETag W/"2" names version 2, but meta.versionId is 3'),
            ({"ETag": "3"}, "is not an HTTP entity-tag"),
            ({"Last-Modified": "Wed, 14 Nov 2018 16:25:59 GMT"}, "Last-Modified Wed, 14 Nov 2018 16:25:59 GMT is not meta.lastUpdated"),
            ({"Last-Modified": "yesterday"}, "is not an HTTP-date"),
        ],
    )
    def test_headers_that_disagree_fail(self, headers: dict[str, str], message: str) -> None:
        found = judge("version_headers_agree", answer(patient(), headers=headers))
        assert Outcome.FAIL in outcomes(found)
        assert any(message in finding.message for finding in found)

    def test_a_last_modified_in_another_zone_is_the_same_instant(self) -> None:
        found = judge("version_headers_agree", answer(patient(lastUpdated="2018-11-14T17:25:58+01:00")))
        assert outcomes(found) == [Outcome.PASS]

    def test_the_gate_says_when_there_is_nothing_to_judge(self) -> None:
        assert "carries neither ETag nor Last-Modified" in str(version_headers_missing(answer(patient(), headers={"ETag": None, "Last-Modified": None})))
        assert "has no versionId or lastUpdated" in str(version_headers_missing(answer({"resourceType": "Patient", "id": "m"})))
        assert version_headers_missing(answer(patient())) is None


class TestHead:
    def get(self, body: Any = None) -> Interaction:
        return answer(body or patient())

    def test_head_with_the_gets_headers_and_no_body_passes(self) -> None:
        found = judge("head_like_get", answer(None, method="HEAD"), get=self.get())
        assert outcomes(found) == [Outcome.PASS] and "HEAD is supported" in found[0].message

    @pytest.mark.parametrize(
        ("head", "message"),
        [
            (answer(patient(), method="HEAD"), "HEAD was answered with a body"),
            (answer(None, method="HEAD", headers={"Content-Type": "text/html"}), "HEAD's content-type is text/html, GET's is application/fhir+json"),
            (answer(None, method="HEAD", headers={"ETag": None}), "HEAD's etag is (absent)"),
            (answer(None, method="HEAD", status=500), "HEAD answered 500 where GET answered 200"),
            (answer(None, method="HEAD", status=204), "HEAD answered 204 where GET answered 200"),
        ],
    )
    def test_head_unlike_get_fails(self, head: Interaction, message: str) -> None:
        found = judge("head_like_get", head, get=self.get())
        assert Outcome.FAIL in outcomes(found)
        assert any(message in finding.message for finding in found)

    @pytest.mark.parametrize(("status", "hint"), [(405, False), (501, False), (404, True)])
    def test_a_refused_head_is_not_offered(self, status: int, hint: bool) -> None:
        reason = head_unsupported(answer(None, method="HEAD", status=status), self.get())
        assert reason is not None and f"it answered {status} where GET answered 200" in reason
        assert ("HTTP names 405 or 501" in reason) is hint

    def test_an_answered_head_is_judged(self) -> None:
        assert head_unsupported(answer(None, method="HEAD"), self.get()) is None
        assert head_unsupported(answer(None, method="HEAD", status=500), self.get()) is None
