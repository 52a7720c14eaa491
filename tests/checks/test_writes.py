"""The write checks on recorded exchanges: a refusal passes, a performed write fails with its clean-up, and the
answers STU3 allows for an id that does not exist warn instead of failing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carecheck.checks import CHECKS, Outcome
from carecheck.checks.writes import CLEANUP_NOTE
from carecheck.http import Exchange, Interaction, RecordedRequest, RecordedResponse
from tests.exchanges import BASE

PROBE = "carecheck-probe-0123456789abcdef"
OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-supported", "diagnostics": "read-only"}]}
MARKED = {"resourceType": "Patient", "meta": {"tag": [{"system": "urn:carecheck:write-probe", "code": PROBE}]}}


def sent(
    method: str, path: str, status: int | None, exchange_id: str, body: dict[str, Any] | None = None, headers: tuple[tuple[str, str], ...] = ()
) -> Exchange:
    request = RecordedRequest(method, f"{BASE}/{path}", (), json.dumps(MARKED).encode() if method == "POST" else b"")
    if status is None:
        return Exchange(exchange_id, request, None, "2026-01-01T00:00:00Z", 1.0, error="ReadTimeout: no answer")
    raw = json.dumps(body).encode() if body is not None else b""
    response = RecordedResponse(status, (("Content-Type", "application/fhir+json"), *headers), raw)
    notes = (f"{CLEANUP_NOTE} ...",) if exchange_id > "001" else ()
    return Exchange(exchange_id, request, response, "2026-01-01T00:00:00Z", 1.0, notes=notes)


def judged(write: Exchange, *cleanup: Exchange, check: str = "write_method_refused", **arguments: Any) -> list[tuple[Outcome, str]]:
    if check == "write_method_refused":
        arguments = {"expected": [405, 403], "setting": "expectations.write_method_status: 405 or 403", **arguments}
    after = Interaction("request", "Patient", cleanup) if cleanup else None
    findings = CHECKS.get(check).run(Interaction("request", "Patient", (write,)), cleanup=after, **arguments)
    return [(finding.outcome, finding.message) for finding in findings]


class TestWriteMethodRefused:
    @pytest.mark.parametrize("status", [405, 403])
    def test_an_expected_refusal_passes_and_says_nothing_was_written(self, status: int) -> None:
        ((outcome, message),) = judged(sent("PUT", f"Patient/{PROBE}", status, "002", OUTCOME), sent("GET", f"Patient/{PROBE}", 404, "003", OUTCOME))
        assert outcome is Outcome.PASS
        assert message == f"PUT refused with {status}; a re-read of Patient/{PROBE} answered 404: nothing was written"

    def test_a_refusal_the_profile_does_not_name_fails(self) -> None:
        ((outcome, message),) = judged(sent("POST", "Patient", 400, "001", OUTCOME), expected=[405])
        assert outcome is Outcome.FAIL and message.startswith(
            "expected 405 (expectations.write_method_status: 405 or 403), got 400; the server said: read-only"
        )

    def test_a_performed_create_fails_and_reports_the_record_it_deleted(self) -> None:
        created = sent("POST", "Patient", 201, "001", {**MARKED, "id": "new"}, headers=(("Location", f"{BASE}/Patient/new/_history/1"),))
        findings = judged(
            created, sent("GET", "Patient/new", 200, "002", MARKED), sent("DELETE", "Patient/new", 204, "003"), sent("GET", "Patient/new", 410, "004", OUTCOME)
        )
        assert findings == [
            (Outcome.FAIL, ("the server performed the POST (201), which must be refused with 405 or 403 (expectations.write_method_status: "
             "405 or 403); carecheck deleted what it wrote: Patient/new")),
            (Outcome.PASS, f"{CLEANUP_NOTE} carecheck deleted Patient/new, which its POST wrote (DELETE answered 204; a re-read answered 410)"),
        ]  # fmt: skip

    def test_a_record_that_survives_its_delete_is_a_failed_clean_up(self) -> None:
        findings = judged(
            sent("PUT", f"Patient/{PROBE}", 201, "002", MARKED),
            sent("GET", f"Patient/{PROBE}", 200, "003", MARKED), sent("DELETE", f"Patient/{PROBE}", 405, "004", OUTCOME), sent("GET", f"Patient/{PROBE}", 200, "005", MARKED),
        )  # fmt: skip
        assert findings[0][0] is Outcome.FAIL and findings[0][1].endswith(f"; CLEAN-UP FAILED for Patient/{PROBE} (see below)")
        assert findings[1] == (
            Outcome.FAIL,
            f"{CLEANUP_NOTE} FAILED: Patient/{PROBE}, written by carecheck's PUT, is still on the server (DELETE answered 405; a re-read answered 200): delete it by hand",
        )

    def test_a_refused_write_whose_record_appears_anyway_fails(self) -> None:
        findings = judged(
            sent("PUT", f"Patient/{PROBE}", 405, "002", OUTCOME),
            sent("GET", f"Patient/{PROBE}", 200, "003", MARKED), sent("DELETE", f"Patient/{PROBE}", 204, "004"), sent("GET", f"Patient/{PROBE}", 404, "005", OUTCOME),
        )  # fmt: skip
        assert [outcome for outcome, _ in findings] == [Outcome.FAIL, Outcome.PASS]
        assert findings[0][1].startswith("the server performed the PUT (405)")

    def test_a_created_record_without_carecheck_s_mark_is_left_alone_and_reported(self) -> None:
        created = sent("POST", "Patient", 201, "001", headers=(("Location", f"{BASE}/Patient/someone-else"),))
        findings = judged(created, sent("GET", "Patient/someone-else", 200, "002", {"resourceType": "Patient", "id": "someone-else"}))
        assert findings[1] == (
            Outcome.FAIL,
            f"{CLEANUP_NOTE} FAILED: Patient/someone-else answers after carecheck's POST but carries no mark of carecheck's, so carecheck left it alone: check it by hand",
        )

    def test_a_create_whose_record_cannot_be_found_is_a_failed_clean_up(self) -> None:
        findings = judged(
            sent("POST", "Patient", 200, "001", MARKED), sent("GET", "Patient?_tag=x", 200, "002", {"resourceType": "Bundle", "type": "searchset"})
        )
        assert findings[1][0] is Outcome.FAIL
        assert (
            f"found no record to delete (no Location, no id in the answer, none carrying its mark): look for a Patient tagged urn:carecheck:write-probe|{PROBE}"
            in findings[1][1]
        )

    def test_a_re_read_that_cannot_tell_is_a_failed_clean_up(self) -> None:
        findings = judged(sent("DELETE", f"Patient/{PROBE}", 500, "002", OUTCOME), sent("GET", f"Patient/{PROBE}", None, "003"))
        assert findings[0][0] is Outcome.FAIL and "a server error (500) for a write" in findings[0][1]
        assert findings[1] == (
            Outcome.FAIL,
            f"{CLEANUP_NOTE} FAILED: could not confirm that Patient/{PROBE} is not on the server: a re-read answered no answer (ReadTimeout: no answer)",
        )

    @pytest.mark.parametrize(("method", "status"), [("DELETE", 404), ("PATCH", 404), ("PUT", 404), ("DELETE", 410)])
    def test_a_not_found_for_carecheck_s_own_id_warns_as_stu3_allows(self, method: str, status: int) -> None:
        ((outcome, message),) = judged(sent(method, f"Patient/{PROBE}", status, "002", OUTCOME), sent("GET", f"Patient/{PROBE}", 404, "003", OUTCOME))
        assert outcome is Outcome.WARN
        assert message.startswith(f"answered {status} to a {method} of Patient/{PROBE}, an id that does not exist: STU3 allows that answer")
        assert "not that" in message and "nothing was written" in message

    def test_a_not_found_for_a_create_fails(self) -> None:
        ((outcome, message),) = judged(sent("POST", "Patient", 404, "001", OUTCOME))
        assert outcome is Outcome.FAIL and message.startswith("expected 405 or 403")

    @pytest.mark.parametrize("method", ["PUT", "PATCH"])
    def test_a_precondition_failed_shows_a_server_that_writes(self, method: str) -> None:
        ((outcome, message),) = judged(sent(method, f"Patient/{PROBE}", 412, "002", OUTCOME), sent("GET", f"Patient/{PROBE}", 404, "003", OUTCOME))
        assert outcome is Outcome.FAIL and "412 Precondition Failed to carecheck's If-Match" in message and "RFC 7232 §5" in message

    def test_no_answer_fails(self) -> None:
        ((outcome, message),) = judged(sent("POST", "Patient", None, "001"))
        assert outcome is Outcome.FAIL and message.startswith("no response (ReadTimeout: no answer); expected 405 or 403")


class TestWriteRefusedWithAReadToken:
    def test_a_refusal_needs_an_operation_outcome(self) -> None:
        assert judged(sent("DELETE", f"Patient/{PROBE}", 403, "002", OUTCOME), check="write_refused")[0][0] is Outcome.PASS
        ((outcome, message),) = judged(sent("DELETE", f"Patient/{PROBE}", 403, "002"), check="write_refused")
        assert outcome is Outcome.FAIL and "no OperationOutcome" in message

    def test_a_performed_write_fails_with_its_clean_up(self) -> None:
        findings = judged(
            sent("POST", "Patient", 201, "001", {**MARKED, "id": "n"}),
            sent("GET", "Patient/n", 200, "002", MARKED), sent("DELETE", "Patient/n", 204, "003"), sent("GET", "Patient/n", 404, "004", OUTCOME),
            check="write_refused",
        )  # fmt: skip
        assert findings[0] == (
            Outcome.FAIL,
            "the server performed the POST (201), which must be refused with 403 or 405; carecheck deleted what it wrote: Patient/n",
        )
        assert findings[1][0] is Outcome.PASS
