"""Security checks, each shown passing on a right answer and failing on a wrong one, on stored exchanges."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carecheck.checks import CHECKS, Outcome
from carecheck.http import CERTIFICATE_REFUSED, HANDSHAKE_REFUSED, NO_CONNECTION, NOT_OFFERED, Exchange, RecordedRequest, RecordedResponse
from tests.exchanges import BASE, exchange, interaction, patient, searchset

OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "security", "diagnostics": "no"}]}
CHALLENGE = 'Bearer realm="x", error="invalid_token"'
FORGED_NOTE = ("forged: alg-none: the real claims, unsigned (alg none)",)


def answer(
    status: int,
    body: dict[str, Any] | bytes | None = None,
    headers: tuple[tuple[str, str], ...] = (),
    notes: tuple[str, ...] = FORGED_NOTE,
    method: str = "GET",
    resource_type: str = "Condition",
    exchange_id: str = "001",
    token: bool = True,
) -> Exchange:
    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    response = RecordedResponse(status, (("Content-Type", "application/fhir+json"), *headers), raw)
    sent = (("Authorization", "Bearer [redacted]"),) if token else ()
    request = RecordedRequest(method, f"{BASE}/{resource_type}?_count=1", sent)
    return Exchange(exchange_id, request, response, "2026-01-01T00:00:00Z", 1.0, notes=notes)


TYPES = ("Patient", "AllergyIntolerance", "Condition", "Procedure", "Observation", "Encounter", "Medication")


def probe(*, error: str | None = None, negotiated: str | None = None, offered: str = "TLS 1.0 only") -> Exchange:
    notes = (f"tls: offered {offered}", *((f"tls: negotiated {negotiated} with X",) if negotiated else ()))
    response = RecordedResponse(200, (("Content-Type", "application/fhir+json"),), b"{}") if negotiated else None
    return Exchange("001", RecordedRequest("GET", f"{BASE}/metadata"), response, "2026-01-01T00:00:00Z", 1.0, error, notes)


def run(name: str, *exchanges: Exchange, **arguments: Any) -> list[tuple[Outcome, str]]:
    return [(f.outcome, f.message) for f in CHECKS.get(name).run(interaction(*exchanges, kind="request"), **arguments)]


def outcomes(name: str, *exchanges: Exchange, **arguments: Any) -> list[Outcome]:
    return [outcome for outcome, _ in run(name, *exchanges, **arguments)]


class TestTokenRefused:
    def test_passes_on_401_with_an_outcome_and_a_bearer_challenge(self) -> None:
        assert outcomes("token_refused", answer(401, OUTCOME, (("WWW-Authenticate", CHALLENGE),)), statuses=[401]) == [Outcome.PASS]

    @pytest.mark.parametrize(
        ("status", "body", "headers", "message"),
        [
            (200, patient(), (), "served with 200 although the token was bad (alg-none: the real claims, unsigned (alg none))"),
            (500, b"boom", (), "a server error 500 instead of a 401 refusal"),
            (403, OUTCOME, (), "expected a 401 refusal, got 403"),
            (401, b"", (("WWW-Authenticate", CHALLENGE),), "the refusal carries no OperationOutcome"),
            (401, OUTCOME, (), "a 401 must carry a WWW-Authenticate challenge"),
            (401, OUTCOME, (("WWW-Authenticate", 'Basic realm="x"'),), "not for the Bearer scheme"),
            (
                401,
                {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "security"}]},
                (("WWW-Authenticate", CHALLENGE),),
                "no issue of severity error",
            ),
        ],
    )
    def test_fails_on_anything_else(self, status: int, body: Any, headers: tuple[tuple[str, str], ...], message: str) -> None:
        ((outcome, text),) = run("token_refused", answer(status, body, headers), statuses=[401])
        assert outcome is Outcome.FAIL and message in text

    def test_a_400_counts_when_the_matrix_allows_it_and_needs_no_challenge(self) -> None:
        assert outcomes("token_refused", answer(400, OUTCOME), statuses=[400, 401]) == [Outcome.PASS]

    def test_no_answer_is_no_refusal(self) -> None:
        gone = exchange(None, error="RemoteProtocolError: hung up")
        assert outcomes("token_refused", gone, statuses=[401]) == [Outcome.FAIL]

    def test_every_type_served_to_a_bad_token_is_one_finding(self) -> None:
        served = [answer(200, searchset(), resource_type=kind, exchange_id=f"{n:03d}") for n, kind in enumerate(TYPES, 1)]
        ((outcome, message),) = run("token_refused", *served, statuses=[401])
        assert outcome is Outcome.FAIL
        assert message == (
            "served 7 of 7 resource types (Patient, AllergyIntolerance, Condition, Procedure, Observation and 2 more) with 200 "
            "although the token was bad (alg-none: the real claims, unsigned (alg none))"
        )

    def test_an_open_server_is_one_finding_in_plain_words(self) -> None:
        note = ("forged: no-header: no Authorization header at all",)
        open_server = [answer(200, searchset(), resource_type=kind, exchange_id=f"{n:03d}", notes=note, token=False) for n, kind in enumerate(TYPES[:3], 1)]
        refusing = answer(401, OUTCOME, (("WWW-Authenticate", CHALLENGE),), notes=note, token=False, resource_type="Medication", exchange_id="004")
        found = run("token_refused", *open_server, refusing, statuses=[401])
        assert found == [
            (Outcome.FAIL, ("the server serves records without any access token: 3 of 4 resource types (Patient, AllergyIntolerance, Condition) "
                           "answered 200 to a request with no Authorization header")),
            (Outcome.PASS, "refused with 401 (no-header: no Authorization header at all)"),
        ]  # fmt: skip


class TestTokenAccepted:
    def test_passes_on_2xx_and_fails_otherwise(self) -> None:
        assert outcomes("token_accepted", answer(200, searchset())) == [Outcome.PASS]
        ((outcome, message),) = run("token_accepted", answer(401, OUTCOME))
        assert outcome is Outcome.FAIL and "expected the request to be served (2xx), got 401" in message

    def test_types_refused_alike_are_one_finding(self) -> None:
        refused = [answer(401, OUTCOME, resource_type=kind, exchange_id=f"{n:03d}") for n, kind in enumerate(TYPES[:3], 1)]
        found = run("token_accepted", *refused, answer(200, searchset(), resource_type="Medication", exchange_id="004"))
        assert [outcome for outcome, _ in found] == [Outcome.PASS, Outcome.FAIL]
        assert "got 401 for 3 of 4 resource types (Patient, AllergyIntolerance, Condition)" in found[1][1]


class TestScopeRefused:
    def test_passes_on_403_with_an_outcome(self) -> None:
        assert outcomes("scope_refused", answer(403, OUTCOME)) == [Outcome.PASS]

    @pytest.mark.parametrize(
        ("status", "body", "message"),
        [
            (200, searchset(), "served with 200"),
            (401, OUTCOME, "a valid token without the scope is refused with 403"),
            (403, b"", "no OperationOutcome"),
            (404, OUTCOME, "expected a 403 refusal, got 404"),
        ],
    )
    def test_fails_otherwise(self, status: int, body: Any, message: str) -> None:
        ((outcome, text),) = run("scope_refused", answer(status, body))
        assert outcome is Outcome.FAIL and message in text


class TestScopeRespected:
    def test_passes_on_403_or_an_answer_within_the_scopes(self) -> None:
        assert outcomes("scope_respected", answer(403, OUTCOME), allowed=["Patient"]) == [Outcome.PASS]
        assert outcomes("scope_respected", answer(200, searchset(patient("a"), patient("b"))), allowed=["Patient"]) == [Outcome.PASS]
        assert outcomes("scope_respected", answer(400, OUTCOME), allowed=["Patient"]) == [Outcome.PASS]

    def test_fails_when_an_included_resource_is_outside_the_scopes(self) -> None:
        leaked = searchset(patient("a"), {"resourceType": "Condition", "id": "c1"})
        ((outcome, message),) = run("scope_respected", answer(200, leaked), allowed=["Patient"])
        assert outcome is Outcome.FAIL and "returned Condition/c1, outside the token's scopes (Patient)" in message

    def test_fails_on_401_or_a_server_error(self) -> None:
        assert outcomes("scope_respected", answer(401, OUTCOME), allowed=["Patient"]) == [Outcome.FAIL]
        assert outcomes("scope_respected", answer(500, OUTCOME), allowed=["Patient"]) == [Outcome.FAIL]


def record(resource_type: str, record_id: str, owner: str, element: str = "subject") -> dict[str, Any]:
    return {"resourceType": resource_type, "id": record_id, element: {"reference": f"{BASE}/Patient/{owner}"}}


class TestPatientContextRespected:
    def test_passes_on_a_refusal_or_an_answer_with_only_the_context_patients_records(self) -> None:
        own = searchset(
            patient("me"), record("Observation", "o1", "me"), record("Immunization", "i1", "me", "patient"), {"resourceType": "Practitioner", "id": "dr"}
        )
        for status, body in ((403, OUTCOME), (404, OUTCOME), (400, OUTCOME), (200, own), (200, searchset()), (200, patient("me"))):
            assert outcomes("patient_context_respected", answer(status, body), patient="me") == [Outcome.PASS], (status, body)
        ((_, message),) = run("patient_context_respected", answer(200, own), patient="me")
        assert message.endswith("answered 200 with 3 record(s) of Patient/me and none of another patient's")

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (patient("you"), "returned Patient/you: another patient's records, to a token bound to Patient/me"),
            (
                searchset(record("Observation", "o1", "me"), record("Observation", "o2", "you")),
                "returned Observation/o2 of Patient/you: another patient's records",
            ),
            (
                searchset(*(record("AllergyIntolerance", f"a{n}", "you", "patient") for n in range(5))),
                "returned AllergyIntolerance/a0 of Patient/you, AllergyIntolerance/a1 of Patient/you, AllergyIntolerance/a2 of Patient/you and 2 more:",
            ),
            (b"<html>oops</html>", "the answer is not a FHIR resource"),
        ],
    )
    def test_fails_when_another_patients_record_is_served(self, body: Any, message: str) -> None:
        ((outcome, text),) = run("patient_context_respected", answer(200, body), patient="me")
        assert outcome is Outcome.FAIL and message in text

    @pytest.mark.parametrize(("status", "got"), [(401, "got 401"), (500, "got 500")])
    def test_fails_on_401_or_a_server_error(self, status: int, got: str) -> None:
        ((outcome, text),) = run("patient_context_respected", answer(status, OUTCOME), patient="me")
        assert outcome is Outcome.FAIL and f"expected a 403 or 404 refusal, or an answer with no records but Patient/me's, {got}" in text

    def test_fails_when_nothing_answers(self) -> None:
        ((outcome, text),) = run("patient_context_respected", exchange(None, error="ConnectTimeout: gone"), patient="me")
        assert outcome is Outcome.FAIL and "got no answer (ConnectTimeout: gone)" in text


class TestWriteRefused:
    @pytest.mark.parametrize("status", [403, 405])
    def test_passes_on_403_or_405_with_an_outcome(self, status: int) -> None:
        assert outcomes("write_refused", answer(status, OUTCOME, method="DELETE")) == [Outcome.PASS]

    @pytest.mark.parametrize(("status", "message"), [(201, "the server performed the POST (201)"), (404, "expected 403 or 405, got 404")])
    def test_fails_when_the_write_is_done_or_not_refused(self, status: int, message: str) -> None:
        (outcome, text), *cleanup = run("write_refused", answer(status, OUTCOME, method="POST"))
        assert outcome is Outcome.FAIL and message in text
        assert [o for o, _ in cleanup] == ([Outcome.FAIL] if status == 201 else []), "a create nothing was found of is a failed clean-up"


class TestTlsRefused:
    def test_passes_on_a_refused_handshake(self) -> None:
        assert outcomes("tls_refused", probe(error=f"{HANDSHAKE_REFUSED}: TLSV1_ALERT_PROTOCOL_VERSION")) == [Outcome.PASS]

    def test_fails_on_a_completed_handshake(self) -> None:
        ((outcome, message),) = run("tls_refused", probe(negotiated="TLSv1"))
        assert outcome is Outcome.FAIL and "the server completed the handshake: offered TLS 1.0 only; negotiated TLSv1" in message

    def test_warns_when_this_machine_cannot_offer_it(self) -> None:
        assert outcomes("tls_refused", probe(error=f"{NOT_OFFERED}: no RC4 here")) == [Outcome.WARN]

    def test_fails_without_a_connection(self) -> None:
        assert outcomes("tls_refused", probe(error=f"{NO_CONNECTION}: refused")) == [Outcome.FAIL]


class TestTlsAccepted:
    def test_passes_on_a_completed_handshake_and_fails_on_a_refused_one(self) -> None:
        assert outcomes("tls_accepted", probe(negotiated="TLSv1.3", offered="TLS 1.2 or higher")) == [Outcome.PASS]
        assert outcomes("tls_accepted", probe(error=f"{HANDSHAKE_REFUSED}: no shared cipher")) == [Outcome.FAIL]


class TestCertificateVerified:
    def test_passes_on_a_verified_handshake(self) -> None:
        assert outcomes("certificate_verified", probe(negotiated="TLSv1.3")) == [Outcome.PASS]

    def test_fails_on_an_untrusted_certificate_and_says_how_to_trust_a_private_ca(self) -> None:
        ((outcome, message),) = run("certificate_verified", probe(error=f"{CERTIFICATE_REFUSED}: unable to get local issuer certificate"))
        assert outcome is Outcome.FAIL and "--ca-bundle" in message


class TestPlainHttpRefused:
    def test_passes_on_no_answer_a_refusal_or_a_redirect_to_https(self) -> None:
        assert outcomes("plain_http_refused", exchange(None, error="RemoteProtocolError: hung up")) == [Outcome.PASS]
        assert outcomes("plain_http_refused", answer(400, OUTCOME)) == [Outcome.PASS]
        assert outcomes("plain_http_refused", answer(301, b"", (("Location", "https://fhir.test/STU3/metadata"),))) == [Outcome.PASS]

    def test_fails_when_served_or_redirected_elsewhere(self) -> None:
        assert outcomes("plain_http_refused", answer(200, {"resourceType": "CapabilityStatement"})) == [Outcome.FAIL]
        assert outcomes("plain_http_refused", answer(302, b"", (("Location", "http://fhir.test/other"),))) == [Outcome.FAIL]


class TestHstsHeader:
    def test_passes_with_a_positive_max_age(self) -> None:
        assert outcomes("hsts_header", answer(200, {}, (("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),))) == [Outcome.PASS]

    @pytest.mark.parametrize("headers", [(), (("Strict-Transport-Security", "max-age=0"),), (("Strict-Transport-Security", "includeSubDomains"),)])
    def test_warns_without_one(self, headers: tuple[tuple[str, str], ...]) -> None:
        assert outcomes("hsts_header", answer(200, {}, headers)) == [Outcome.WARN]

    def test_fails_without_an_answer(self) -> None:
        assert outcomes("hsts_header", exchange(None, error="ConnectError")) == [Outcome.FAIL]
