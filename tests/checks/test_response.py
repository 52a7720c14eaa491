"""Response checks, each shown passing on a good response and failing on a bad one."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.checks import CHECKS, Outcome
from tests.exchanges import BASE, exchange, interaction, patient, searchset

PROFILE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"


def outcomes(name: str, *exchanges: Any, **arguments: Any) -> list[Outcome]:
    return [finding.outcome for finding in CHECKS.get(name).run(interaction(*exchanges), **arguments)]


def messages(name: str, *exchanges: Any, **arguments: Any) -> str:
    return " | ".join(finding.message for finding in CHECKS.get(name).run(interaction(*exchanges), **arguments))


OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-found", "diagnostics": "no Patient/x"}]}


class TestStatusCode:
    def test_passes_on_expected_status(self) -> None:
        assert outcomes("status_code", exchange(patient(), status=200), expected=[200]) == [Outcome.PASS]

    def test_fails_on_other_status_and_quotes_the_outcome(self) -> None:
        bad = exchange(OUTCOME, status=404)
        assert outcomes("status_code", bad, expected=[200]) == [Outcome.FAIL]
        assert "expected status 200, got 404" in messages("status_code", bad, expected=[200])
        assert "no Patient/x" in messages("status_code", bad, expected=[200])

    def test_fails_when_there_was_no_response(self) -> None:
        gone = exchange(None, error="ConnectError: refused")
        assert outcomes("status_code", gone, expected=[200]) == [Outcome.FAIL]
        assert "ConnectError" in messages("status_code", gone, expected=[200])


class TestFhirContentType:
    @pytest.mark.parametrize(
        ("content_type", "expected"),
        [
            ("application/fhir+json; charset=utf-8", Outcome.PASS),
            ("application/json+fhir", Outcome.WARN),
            ("application/json", Outcome.FAIL),
            ("text/html", Outcome.FAIL),
        ],
    )
    def test_media_types(self, content_type: str, expected: Outcome) -> None:
        assert outcomes("fhir_content_type", exchange(patient(), content_type=content_type)) == [expected]

    def test_json_declared_but_xml_sent_fails(self) -> None:
        xml = b'<Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>'
        assert outcomes("fhir_content_type", exchange(xml, content_type="application/fhir+json")) == [Outcome.FAIL]


class TestResourceType:
    def test_passes_on_the_expected_type(self) -> None:
        assert outcomes("resource_type", exchange(patient()), expected="Patient") == [Outcome.PASS]

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (OUTCOME, "expected a Patient, got a OperationOutcome"),
            (b"<html>oops</html>", "XML"),
            (b"{not json", "not valid JSON"),
            (b"[1, 2]", "not an object"),
            (b'{"id": "x"}', "without a resourceType"),
            (b"", "empty body"),
        ],
    )
    def test_fails_on_anything_else(self, body: Any, reason: str) -> None:
        assert outcomes("resource_type", exchange(body), expected="Patient") == [Outcome.FAIL]
        assert reason in messages("resource_type", exchange(body), expected="Patient")


class TestReadMatchesRequest:
    def test_passes_when_type_and_id_match(self) -> None:
        good = exchange(patient("abc"), url=f"{BASE}/Patient/abc")
        assert outcomes("read_matches_request", good) == [Outcome.PASS]

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (patient("other"), 'got id "other"'),
            (searchset(patient("abc")), "got a Bundle"),
        ],
    )
    def test_fails_on_another_resource(self, body: dict[str, Any], reason: str) -> None:
        bad = exchange(body, url=f"{BASE}/Patient/abc")
        assert outcomes("read_matches_request", bad) == [Outcome.FAIL]
        assert reason in messages("read_matches_request", bad)


class TestMetaProfile:
    def test_passes_when_the_profile_is_claimed(self) -> None:
        good = exchange(patient(meta={"profile": [PROFILE]}))
        assert outcomes("meta_profile", good, resource_type="Patient", profile=PROFILE) == [Outcome.PASS]

    def test_fails_for_each_resource_without_it_in_a_bundle(self) -> None:
        bundle = searchset(patient("a", meta={"profile": [PROFILE]}), patient("b"))
        result = CHECKS.get("meta_profile").run(interaction(exchange(bundle)), resource_type="Patient", profile=PROFILE)
        assert [f.outcome for f in result] == [Outcome.PASS, Outcome.FAIL]
        assert result[1].pointer == "/entry/1/resource/meta/profile"


class TestOperationOutcome:
    def test_passes_on_an_error_outcome(self) -> None:
        assert outcomes("operation_outcome", exchange(OUTCOME, status=404)) == [Outcome.PASS]

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (patient(), "expected an OperationOutcome, got a Patient"),
            ({"resourceType": "OperationOutcome", "issue": []}, "has no issue"),
            ({"resourceType": "OperationOutcome", "issue": [{"severity": "information", "code": "informational"}]}, "severity error or fatal"),
            ({"resourceType": "OperationOutcome", "issue": [{"severity": "error"}]}, "has no code"),
            ({"resourceType": "OperationOutcome", "issue": [{"code": "invalid"}]}, "no valid severity"),
            (b"Not Found", "not valid JSON"),
        ],
    )
    def test_fails_on_a_missing_or_empty_outcome(self, body: Any, reason: str) -> None:
        bad = exchange(body, status=404)
        assert Outcome.FAIL in outcomes("operation_outcome", bad)
        assert reason in messages("operation_outcome", bad)
