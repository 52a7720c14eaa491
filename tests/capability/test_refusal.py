"""Telling a clear "not supported" refusal from any other error answer."""

from __future__ import annotations

import pytest

from carecheck.capability import left_out, unsupported
from tests.exchanges import exchange


def outcome(code: str = "processing", diagnostics: str | None = None, severity: str = "error") -> dict[str, object]:
    issue: dict[str, object] = {"severity": severity, "code": code}
    if diagnostics is not None:
        issue["diagnostics"] = diagnostics
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def test_a_not_supported_issue_is_a_refusal_and_says_what_the_server_said() -> None:
    said = unsupported(exchange(outcome("not-supported", 'The prefix "sa" is not supported'), status=400))
    assert said == '400, OperationOutcome not-supported: "The prefix "sa" is not supported"'


@pytest.mark.parametrize(
    "text",
    [
        'The "name" parameter has the modifier "exact" which is not supported by this server',  # STU3 OperationOutcome/searchfail
        "Unsupported search prefix: eb",
        "HAPI-0302: The FHIR endpoint on this server does not know how to handle GET operation[Patient]",
        "_revinclude=* is not implemented",
    ],
)
def test_an_issue_saying_so_in_words_is_a_refusal(text: str) -> None:
    assert unsupported(exchange(outcome("processing", text), status=400)) is not None
    assert unsupported(
        exchange({"resourceType": "OperationOutcome", "issue": [{"severity": "fatal", "code": "code-invalid", "details": {"text": text}}]}, status=400)
    )


@pytest.mark.parametrize("status", [400, 404, 422, 501])
def test_each_refusing_status_counts(status: int) -> None:
    assert unsupported(exchange(outcome("not-supported"), status=status)) == f"{status}, OperationOutcome not-supported"


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (exchange(outcome("invalid", "birthdate: 1927-13-19 is not a date"), status=400), "a refusal that says something else"),
        (exchange(outcome("not-supported"), status=500), "a server error"),
        (exchange(outcome("not-supported"), status=401), "a security refusal"),
        (exchange(outcome("not-supported"), status=403), "a security refusal"),
        (exchange(outcome("not-supported", severity="warning"), status=400), "a warning only"),
        (exchange(b"<html><body>not supported</body></html>", status=400, content_type="text/html"), "no OperationOutcome"),
        (exchange(b"", status=400), "no body"),
        (exchange({"resourceType": "Bundle", "type": "searchset"}, status=200), "an answer"),
        (exchange(error="connection refused"), "no answer"),
    ],
)
def test_anything_less_clear_is_not_a_refusal(answer: object, why: str) -> None:
    assert unsupported(answer) is None, why  # type: ignore[arg-type]


def searchset_linking(self_url: str | None) -> object:
    links = [{"relation": "self", "url": self_url}] if self_url else []
    return exchange({"resourceType": "Bundle", "type": "searchset", "link": links}, status=200)


def test_a_self_link_that_leaves_a_sent_parameter_out_says_it_was_ignored() -> None:
    answer = searchset_linking("http://fhir.test/STU3/Patient?gender=male")
    assert left_out(answer, [("name:exact", "MEAKIN"), ("gender", "male")]) == ([("name:exact", "MEAKIN")], "http://fhir.test/STU3/Patient?gender=male")  # type: ignore[arg-type]


def test_a_parameter_the_self_link_keeps_with_another_value_was_misread_not_ignored() -> None:
    misread = searchset_linking("http://fhir.test/STU3/Observation?date=gt2018-11-29")
    assert left_out(misread, [("date", "ge2018-11-29")])[0] == [], "judged as it stands: ge read as gt is a fault"  # type: ignore[arg-type]
    assert left_out(searchset_linking("http://fhir.test/STU3/Patient?name=MEAKIN"), [("name", "MEAKIN")])[0] == []  # type: ignore[arg-type]
    modified = searchset_linking("http://fhir.test/STU3/Organization?name:exact=the")
    assert left_out(modified, [("name", "the")])[0] == [], "judged as it stands: name read as name:exact is a fault"  # type: ignore[arg-type]


def test_without_a_self_link_or_a_searchset_nothing_is_said() -> None:
    assert left_out(searchset_linking(None), [("name:exact", "MEAKIN")]) == ([], "")  # type: ignore[arg-type]
    assert left_out(exchange(outcome("not-supported"), status=400), [("name:exact", "MEAKIN")]) == ([], "")
