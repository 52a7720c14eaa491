"""The parity check, shown passing and failing: JSON and XML compared as FHIR values, and XML content that is not
STU3 compared as it was written (never dropped)."""

from __future__ import annotations

import json
from typing import Any

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.checks.parity import differences
from carecheck.http import Exchange, Interaction, RecordedRequest, RecordedResponse
from tests.checks.test_formats import PATIENT, PATIENT_XML
from tests.exchanges import BASE

CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
R4_ALLERGY = (
    '{"resourceType": "AllergyIntolerance", "id": "a1", "meta": {"lastUpdated": "2023-05-10T09:12:30.724Z"},'
    f' "clinicalStatus": {{"coding": [{{"system": "{CLINICAL}", "code": "active"}}]}},'
    ' "patient": {"reference": "Patient/m"}}'
)
R4_ALLERGY_XML = (
    '<AllergyIntolerance xmlns="http://hl7.org/fhir"><id value="a1"/><meta><lastUpdated value="2023-05-10T09:12:30.724000+00:00"/></meta>'
    f'<clinicalStatus><coding><system value="{CLINICAL}"/><code value="active"/></coding></clinicalStatus>'
    '<patient><reference value="Patient/m"/></patient></AllergyIntolerance>'
)


def answer(body: Any, *, content_type: str, accept: str = "application/fhir+json", exchange_id: str = "001", url: str = f"{BASE}/Patient/m") -> Interaction:
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode() if isinstance(body, dict) else body
    response = RecordedResponse(200, (("Content-Type", content_type),), raw)
    return Interaction(
        "request", "Patient", (Exchange(exchange_id, RecordedRequest("GET", url, (("Accept", accept),)), response, "2026-01-01T00:00:00Z", 1.0),)
    )


def as_json(body: Any) -> Interaction:
    return answer(body, content_type="application/fhir+json")


def as_xml(body: Any) -> Interaction:
    return answer(body, content_type="application/fhir+xml", accept="application/fhir+xml", exchange_id="002")


def parity(json_body: Any, xml_body: Any) -> list[Finding]:
    return CHECKS.get("format_parity").run(as_json(json_body), other=as_xml(xml_body))


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


def text(found: list[Finding]) -> str:
    return " | ".join(finding.message for finding in found)


def observation(value: str) -> str:
    return f'{{"resourceType": "Observation", "id": "o", "status": "final", "code": {{"text": "weight"}}, "valueQuantity": {{"value": {value}, "unit": "kg"}}}}'


def observation_xml(value: str) -> bytes:
    return (
        '<Observation xmlns="http://hl7.org/fhir"><id value="o"/><status value="final"/><code><text value="weight"/></code>'
        f'<valueQuantity><value value="{value}"/><unit value="kg"/></valueQuantity></Observation>'
    ).encode()


class TestSameContent:
    def test_the_same_content_in_both_formats_passes(self) -> None:
        found = parity(PATIENT, PATIENT_XML)
        assert outcomes(found) == [Outcome.PASS], text(found)

    def test_member_order_is_not_a_difference(self) -> None:
        assert outcomes(parity(dict(reversed(list(PATIENT.items()))), PATIENT_XML)) == [Outcome.PASS]

    def test_a_field_that_differs_fails_naming_it(self) -> None:
        found = parity(PATIENT, PATIENT_XML.replace(b"1927-06-19", b"1927-06-20"))
        assert outcomes(found) == [Outcome.FAIL]
        assert 'Patient/m differs at /birthDate: Accept: application/fhir+json says "1927-06-19", Accept: application/fhir+xml says "1927-06-20"' in text(found)
        assert found[0].pointer == "/birthDate" and found[0].exchange == "002"

    def test_array_order_is_a_difference(self) -> None:
        found = [(d.pointer, d.left, d.right) for d in differences({"given": ["a", "b"]}, {"given": ["b", "a"]})]
        assert found == [("/given/0", "a", "b"), ("/given/1", "b", "a")]

    def test_search_results_are_compared_resource_by_resource(self) -> None:
        bundle = {"resourceType": "Bundle", "id": "1", "type": "searchset", "entry": [{"resource": PATIENT, "search": {"mode": "match"}}]}
        other = {"resourceType": "Bundle", "id": "2", "type": "searchset", "entry": [{"resource": {**PATIENT, "id": "k"}, "search": {"mode": "match"}}]}
        first = Interaction("search", "Patient", as_json(bundle).exchanges)
        second = Interaction("search", "Patient", answer(other, content_type="application/fhir+json", exchange_id="002").exchanges)
        check = CHECKS.get("format_parity")
        found = check.run(first, other=second)
        assert outcomes(found) == [Outcome.FAIL] and "Patient/k, Patient/m in one answer only" in text(found)
        same = Interaction("search", "Patient", answer(bundle, content_type="application/fhir+json", exchange_id="002").exchanges)
        assert outcomes(check.run(first, other=same)) == [Outcome.PASS]

    def test_an_answer_that_cannot_be_read_fails(self) -> None:
        assert outcomes(CHECKS.get("format_parity").run(as_json(PATIENT), other=answer(b"{", content_type="application/fhir+json", exchange_id="002"))) == [
            Outcome.FAIL
        ]


class TestValuesNotSpellings:
    def test_the_same_instant_spelt_differently_is_a_warning_not_a_failure(self) -> None:
        json_body = {**PATIENT, "meta": {"lastUpdated": "2023-05-10T09:12:30.724Z"}}
        xml = PATIENT_XML.replace(b'<id value="m"/>', b'<id value="m"/><meta><lastUpdated value="2023-05-10T09:12:30.724000+00:00"/></meta>')
        found = parity(json_body, xml)
        assert outcomes(found) == [Outcome.WARN, Outcome.PASS], text(found)
        assert "spells /meta/lastUpdated differently (the same moment)" in found[0].message

    def test_an_issued_time_with_and_without_milliseconds_and_another_offset_is_the_same_moment(self) -> None:
        left = {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "w"}, "issued": "2023-05-10T09:12:00.000+01:00"}
        xml = b'<Observation xmlns="http://hl7.org/fhir"><id value="o"/><status value="final"/><code><text value="w"/></code><issued value="2023-05-10T08:12:00Z"/></Observation>'
        assert outcomes(parity(left, xml)) == [Outcome.WARN, Outcome.PASS]

    def test_a_year_and_a_day_are_different_dates(self) -> None:
        found = parity(PATIENT, PATIENT_XML.replace(b"1927-06-19", b"1927"))
        assert outcomes(found) == [Outcome.FAIL] and "/birthDate" in found[0].message
        assert outcomes(parity({**PATIENT, "birthDate": "2018"}, PATIENT_XML.replace(b"1927-06-19", b"2018-01-01"))) == [Outcome.FAIL]

    def test_a_different_moment_fails(self) -> None:
        json_body = {**PATIENT, "meta": {"lastUpdated": "2023-05-10T09:12:30.724Z"}}
        xml = PATIENT_XML.replace(b'<id value="m"/>', b'<id value="m"/><meta><lastUpdated value="2023-05-10T09:12:30.724+01:00"/></meta>')
        assert outcomes(parity(json_body, xml)) == [Outcome.FAIL]

    def test_a_decimal_s_precision_is_content(self) -> None:
        found = parity(observation("1.50"), observation_xml("1.5"))
        assert outcomes(found) == [Outcome.FAIL], text(found)
        assert "a decimal's precision is content" in found[0].message and "1.50" in found[0].message

    def test_the_same_decimal_at_the_same_precision_passes(self) -> None:
        assert outcomes(parity(observation("72.50"), observation_xml("72.50"))) == [Outcome.PASS]
        assert outcomes(parity(observation("72"), observation_xml("72"))) == [Outcome.PASS]

    def test_a_different_number_fails(self) -> None:
        assert outcomes(parity(observation("72.5"), observation_xml("72.6"))) == [Outcome.FAIL]


class TestXmlThatIsNotStu3:
    def test_an_r4_clinical_status_is_compared_as_written_not_reported_absent(self) -> None:
        found = parity(R4_ALLERGY, R4_ALLERGY_XML)
        assert "(absent)" not in text(found), text(found)
        assert Outcome.FAIL not in outcomes(found), text(found)
        warning = next(f for f in found if f.pointer == "AllergyIntolerance.clinicalStatus")
        assert warning.outcome is Outcome.WARN and "<clinicalStatus> is a code in STU3" in warning.message and "compared as written" in warning.message

    def test_a_different_r4_clinical_status_still_fails(self) -> None:
        found = parity(R4_ALLERGY, R4_ALLERGY_XML.replace('value="active"', 'value="resolved"'))
        assert Outcome.FAIL in outcomes(found) and "differs at /clinicalStatus/coding" in text(found)

    def test_a_non_stu3_element_only_in_xml_is_a_structure_finding_not_a_parity_failure(self) -> None:
        found = parity(PATIENT, PATIENT_XML.replace(b"</Patient>", b'<favouriteColour value="blue"/></Patient>'))
        assert outcomes(found) == [Outcome.WARN, Outcome.WARN, Outcome.PASS], text(found)
        assert "<favouriteColour> is not an element of Patient in STU3" in found[0].message
        assert "only Accept: application/fhir+xml carries /favouriteColour, which is not STU3 content" in found[1].message

    def test_an_stu3_element_only_in_xml_still_fails(self) -> None:
        found = parity(PATIENT, PATIENT_XML.replace(b"</Patient>", b'<gender value="male"/></Patient>'))
        assert outcomes(found) == [Outcome.FAIL] and "differs at /gender: Accept: application/fhir+json says (absent)" in found[0].message

    def test_an_extra_element_in_both_formats_is_the_same_content(self) -> None:
        found = parity(
            {**PATIENT, "favouriteColour": {"code": "blue", "rank": 1}},
            PATIENT_XML.replace(b"</Patient>", b'<favouriteColour><code value="blue"/><rank value="1"/></favouriteColour></Patient>'),
        )
        assert Outcome.FAIL not in outcomes(found), text(found)

    def test_a_repeated_single_element_is_kept_and_compared(self) -> None:
        found = parity(
            {**PATIENT, "gender": ["male", "female"]}, PATIENT_XML.replace(b"</Patient>", b'<gender value="male"/><gender value="female"/></Patient>')
        )
        assert Outcome.FAIL not in outcomes(found), text(found)
        assert "<gender> appears 2 times; STU3 allows at most one code here" in text(found)

    def test_a_non_stu3_element_in_one_search_entry_is_located_under_its_entry(self) -> None:
        bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": PATIENT, "search": {"mode": "match"}}]}
        entry = PATIENT_XML.replace(b"</Patient>", b'<favouriteColour value="blue"/></Patient>')
        xml = (
            b'<Bundle xmlns="http://hl7.org/fhir"><type value="searchset"/><entry><resource>'
            + entry
            + b'</resource><search><mode value="match"/></search></entry></Bundle>'
        )
        first = Interaction("search", "Patient", as_json(bundle).exchanges)
        second = Interaction("search", "Patient", as_xml(xml).exchanges)
        found = CHECKS.get("format_parity").run(first, other=second)
        assert Outcome.FAIL not in outcomes(found), text(found)
        assert "Bundle.entry[0].resource.favouriteColour" in text(found)


def test_a_body_nesting_too_deep_to_read_is_a_problem_of_the_comparison_not_a_crash() -> None:
    deep = b'{"resourceType": "Patient", "id": "m", "extension": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    found = parity(deep, PATIENT_XML)
    assert Outcome.PASS not in outcomes(found)
    assert "nests deeper than 200 levels" in text(found)
