"""Error checks, each shown passing on a good answer and failing on a bad one: refusals, OperationOutcomes
(FHIR and Spine conventions), server errors, and settings that let a target ignore or refuse a parameter."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.checks.errors import SPINE_ERROR_CODES, spine_error_codes
from carecheck.http import Exchange
from tests.exchanges import BASE, exchange, interaction, patient, searchset

OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid", "diagnostics": "bad date"}]}
SPINE_OUTCOME = {
    "resourceType": "OperationOutcome",
    "issue": [
        {
            "severity": "error",
            "code": "invalid",
            "details": {"coding": [{"system": SPINE_ERROR_CODES, "code": "INVALID_PARAMETER", "display": "Invalid parameter"}]},
        }
    ],
}
XML_OUTCOME = b'<OperationOutcome xmlns="http://hl7.org/fhir"><issue><severity value="error"/><code value="not-found"/></issue></OperationOutcome>'


def run(name: str, *exchanges: Exchange, **arguments: Any) -> list[Finding]:
    return CHECKS.get(name).run(interaction(*exchanges), **arguments)


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


def text(found: list[Finding]) -> str:
    return " | ".join(finding.message for finding in found)


class TestRefused:
    def test_the_expected_status_passes_and_names_the_setting(self) -> None:
        found = run("refused", exchange(OUTCOME, status=400), expected=[400], setting="expectations.invalid_parameter_status: 400")
        assert outcomes(found) == [Outcome.PASS]
        assert "expectations.invalid_parameter_status: 400" in text(found)

    def test_any_of_several_statuses_passes(self) -> None:
        assert outcomes(run("refused", exchange(OUTCOME, status=400), expected=[404, 400])) == [Outcome.PASS]

    def test_a_request_accepted_with_200_fails(self) -> None:
        found = run("refused", exchange(patient(), status=200), expected=[405], setting="expectations.write_method_status: 405")
        assert outcomes(found) == [Outcome.FAIL]
        assert "the request was accepted (200) but must be refused with 405 (expectations.write_method_status: 405)" in text(found)

    def test_a_server_error_fails_as_the_servers_fault(self) -> None:
        found = run("refused", exchange(b"Internal Server Error", status=500, content_type="text/plain"), expected=[400])
        assert outcomes(found) == [Outcome.FAIL]
        assert "a server error (500) for a request that is the client's mistake; expected 400" in text(found)

    def test_another_refusal_fails_quoting_what_the_server_said(self) -> None:
        found = run("refused", exchange(OUTCOME, status=422), expected=[400])
        assert "expected 400, got 422; the server said: bad date" in text(found)

    def test_no_response_fails(self) -> None:
        assert outcomes(run("refused", exchange(None, error="ReadTimeout"), expected=[404])) == [Outcome.FAIL]


class TestExplainedErrors:
    def test_a_json_operation_outcome_passes(self) -> None:
        assert outcomes(run("explained_errors", exchange(OUTCOME, status=404))) == [Outcome.PASS]

    def test_an_xml_operation_outcome_passes(self) -> None:
        assert outcomes(run("explained_errors", exchange(XML_OUTCOME, status=404, content_type="application/fhir+xml"))) == [Outcome.PASS]

    def test_an_answer_that_is_no_error_has_nothing_to_explain(self) -> None:
        found = run("explained_errors", exchange(searchset(), status=200))
        assert outcomes(found) == [Outcome.PASS] and "no error response" in text(found)

    def test_an_html_error_page_fails(self) -> None:
        page = b"<!DOCTYPE html><html><body><h1>400 Bad Request</h1></body></html>"
        found = run("explained_errors", exchange(page, status=400, content_type="text/html"))
        assert outcomes(found) == [Outcome.FAIL]
        assert "the error body is an HTML page (text/html), not a FHIR OperationOutcome" in text(found)

    def test_html_labelled_as_fhir_fails_too(self) -> None:
        page = b"<html><body>oops</body></html>"
        assert "HTML page" in text(run("explained_errors", exchange(page, status=500, content_type="application/fhir+json")))

    @pytest.mark.parametrize(
        ("body", "content_type", "reason"),
        [
            (b"", "application/fhir+json", "the response has an empty body"),
            (b"Internal Server Error", "text/plain", "text/plain, not a FHIR OperationOutcome"),
            (XML_OUTCOME, "application/fhir+json", "Content-Type says application/fhir+json but the error body is XML"),
            (patient(), "application/fhir+json", "is a Patient, not an OperationOutcome"),
            ({"resourceType": "OperationOutcome", "issue": []}, "application/fhir+json", "has no issue"),
            ({"resourceType": "OperationOutcome", "issue": [{"severity": "bad", "code": "invalid"}]}, "application/fhir+json", "no valid severity"),
            (
                {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "oops"}]},
                "application/fhir+json",
                'no valid STU3 issue type code ("oops")',
            ),
            (
                {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "invalid"}]},
                "application/fhir+json",
                "no issue of the OperationOutcome has severity error or fatal",
            ),
        ],
    )
    def test_an_error_that_does_not_explain_itself_fails(self, body: Any, content_type: str, reason: str) -> None:
        found = run("explained_errors", exchange(body, status=400, content_type=content_type))
        assert Outcome.FAIL in outcomes(found)
        assert reason in text(found)

    def test_the_spine_convention_needs_a_spine_code_in_each_error_issue(self) -> None:
        assert outcomes(run("explained_errors", exchange(SPINE_OUTCOME, status=400), error_codes="spine")) == [Outcome.PASS]
        found = run("explained_errors", exchange(OUTCOME, status=400), error_codes="spine")
        assert outcomes(found) == [Outcome.FAIL]
        assert f"issue 0 has no details.coding from {SPINE_ERROR_CODES}" in text(found)
        assert found[0].pointer == "/issue/0/details"

    def test_a_spine_code_the_code_system_does_not_hold_fails(self) -> None:
        unknown = {
            **SPINE_OUTCOME,
            "issue": [{**SPINE_OUTCOME["issue"][0], "details": {"coding": [{"system": SPINE_ERROR_CODES, "code": "NOT_A_CODE", "display": "x"}]}}],
        }
        assert outcomes(run("explained_errors", exchange(unknown, status=400), error_codes="spine")) == [Outcome.FAIL]

    def test_the_spine_code_system_is_the_published_one(self) -> None:
        codes = spine_error_codes()
        assert len(codes) == 45
        assert codes["INVALID_PARAMETER"] == "Invalid parameter"


class TestNoServerError:
    def test_answers_and_explained_refusals_pass(self) -> None:
        found = run("no_server_error", exchange(searchset(), exchange_id="001"), exchange(OUTCOME, status=400, exchange_id="002"), explored="held")
        assert outcomes(found) == [Outcome.PASS]
        assert "answered 200, 400 without a server error — held" in text(found)

    def test_a_server_error_fails(self) -> None:
        found = run("no_server_error", exchange(OUTCOME, status=500), explored="falsified")
        assert outcomes(found) == [Outcome.FAIL]
        assert "a server error (500); the server said: bad date — falsified" in text(found)

    def test_a_refusal_without_an_operation_outcome_fails(self) -> None:
        found = run("no_server_error", exchange(b"<html>no</html>", status=400, content_type="text/html"))
        assert "refused with 400, but the error body is an HTML page" in text(found)

    def test_no_answer_fails(self) -> None:
        assert outcomes(run("no_server_error", exchange(None, error="RemoteProtocolError"))) == [Outcome.FAIL]


class TestHandledAsExpected:
    def test_reject_expects_the_refusal_status(self) -> None:
        passed = run("handled_as_expected", exchange(OUTCOME, status=400), handling="reject", statuses=[400], setting="expectations.unknown_parameter: reject")
        failed = run(
            "handled_as_expected", exchange(searchset(), status=200), handling="reject", statuses=[400], setting="expectations.unknown_parameter: reject"
        )
        assert outcomes(passed) == [Outcome.PASS]
        assert outcomes(failed) == [Outcome.FAIL] and "accepted (200) but must be refused with 400 (expectations.unknown_parameter: reject)" in text(failed)

    def test_two_parameters_expects_a_refusal(self) -> None:
        found = run("handled_as_expected", exchange(searchset(), status=200), handling="two-parameters", statuses=[400], setting="s")
        assert outcomes(found) == [Outcome.FAIL]

    def test_one_expects_an_answer(self) -> None:
        setting = "expectations.patient_search_minimum: one"
        assert outcomes(run("handled_as_expected", exchange(searchset(patient()), status=200), handling="one", statuses=[400], setting=setting)) == [
            Outcome.PASS
        ]
        refused = run("handled_as_expected", exchange(OUTCOME, status=400), handling="one", statuses=[400], setting=setting)
        assert outcomes(refused) == [Outcome.FAIL] and f"expected 200 ({setting}), got 400; the server said: bad date" in text(refused)

    def test_ignore_needs_the_same_matches_as_without_the_parameter(self) -> None:
        baseline = interaction(exchange(searchset(patient("a")), url=f"{BASE}/Patient?identifier=x", exchange_id="002"))
        same = run("handled_as_expected", exchange(searchset(patient("a"))), handling="ignore", statuses=[400], setting="s", baseline=baseline)
        other = run("handled_as_expected", exchange(searchset(patient("a"), patient("b"))), handling="ignore", statuses=[400], setting="s", baseline=baseline)
        assert outcomes(same) == [Outcome.PASS]
        assert outcomes(other) == [Outcome.FAIL] and "the parameter was not ignored (s): the matches differ" in text(other) and "Patient/b" in text(other)

    def test_either_accepts_a_refusal_with_a_named_status(self) -> None:
        setting = "expectations.empty_parameter: either"
        refused = run("handled_as_expected", exchange(OUTCOME, status=422), handling="either", statuses=[400, 422], setting=setting)
        assert outcomes(refused) == [Outcome.PASS] and "refused with 422 (expectations.empty_parameter: either)" in text(refused)
        other = run("handled_as_expected", exchange(OUTCOME, status=404), handling="either", statuses=[400, 422], setting=setting)
        assert outcomes(other) == [Outcome.FAIL] and "expected 400 or 422 (expectations.empty_parameter: either), got 404" in text(other)

    def test_either_accepts_the_parameter_ignored_but_not_misread(self) -> None:
        baseline = interaction(exchange(searchset(patient("a")), url=f"{BASE}/Patient?identifier=x", exchange_id="002"))
        same = run("handled_as_expected", exchange(searchset(patient("a"))), handling="either", statuses=[400], setting="s", baseline=baseline)
        other = run("handled_as_expected", exchange(searchset()), handling="either", statuses=[400], setting="s", baseline=baseline)
        assert outcomes(same) == [Outcome.PASS] and "ignored (s)" in text(same)
        assert outcomes(other) == [Outcome.FAIL] and "the parameter was not ignored" in text(other)

    def test_either_never_accepts_a_server_error(self) -> None:
        crashed = run("handled_as_expected", exchange(OUTCOME, status=500), handling="either", statuses=[400], setting="s")
        assert outcomes(crashed) == [Outcome.FAIL] and "expected 200 or a refusal with 400 (s), got 500" in text(crashed)

    def test_a_pack_recorded_with_one_status_is_still_judged(self) -> None:
        assert outcomes(run("handled_as_expected", exchange(OUTCOME, status=400), handling="reject", status=400, setting="s")) == [Outcome.PASS]

    def test_ignore_needs_a_searchset(self) -> None:
        found = run("handled_as_expected", exchange(patient(), status=200), handling="ignore", statuses=[400], setting="s")
        assert outcomes(found) == [Outcome.FAIL] and "expected a searchset Bundle" in text(found)
