"""What the search steps do when a server does not declare, or clearly refuses, an optional search form (issue 13.3)."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.capability import Capabilities
from carecheck.checks import NotApplicable
from carecheck.config import Expectations, PatientData, TestData
from carecheck.testdata import Known, KnownData
from tests.exchanges import exchange, interaction

PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "p1", "name": [{"family": "MEAKIN"}], "gender": "male", "birthDate": "1927-06-19"}
STATEMENT: dict[str, Any] = {
    "resourceType": "CapabilityStatement",
    "rest": [{"mode": "server", "resource": [
        {"type": "Patient", "searchParam": [{"name": "name"}, {"name": "birthdate"}], "searchRevInclude": ["Condition:patient"]},
        {"type": "MedicationRequest", "searchInclude": ["MedicationRequest:medication"]},
        {"type": "Encounter"},
    ]}],
}  # fmt: skip
REFUSAL = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-supported", "diagnostics": 'prefix "sa" is not supported'}]}


def known(statement: dict[str, Any] = STATEMENT, conformance: str = "ig") -> KnownData:
    data = Known(TestData(patient=PatientData(id="p1")), patient=PATIENT)
    return KnownData(data, base_url="http://fhir.test/STU3", capabilities=Capabilities(statement), expectations=Expectations(conformance=conformance))  # type: ignore[arg-type]


def refused(status: int = 400, body: dict[str, Any] = REFUSAL) -> Any:
    return interaction(exchange(body, status=status, url="http://fhir.test/STU3/Patient?name=MEAKIN&birthdate=sa1927-06-19"))


def test_an_include_the_statement_declares_runs() -> None:
    known().require_include("Patient", "Condition:patient", reverse=True)
    known().require_include("MedicationRequest", "MedicationRequest:medication", reverse=False)


def test_an_include_the_statement_does_not_declare_is_not_applicable_with_what_it_declares() -> None:
    with pytest.raises(NotApplicable, match=r"does not declare _revinclude=\* for Patient \(its searchRevInclude: Condition:patient\)"):
        known().require_include("Patient", "*", reverse=True)
    with pytest.raises(NotApplicable, match=r"does not declare _revinclude=\* for Encounter \(its searchRevInclude: none\)"):
        known().require_include("Encounter", "*", reverse=True)


def test_an_unreadable_statement_gives_includes_the_benefit_of_the_doubt() -> None:
    known({}).require_include("Patient", "*", reverse=True)


def test_a_refused_optional_prefix_is_not_applicable_naming_the_form_and_what_the_server_said() -> None:
    with pytest.raises(NotApplicable) as skipped:
        known().require_supported(refused(), "Patient", ["name", "birthdate"], ["value", "sa"])
    reason = skipped.value.reason
    assert reason.startswith("the server refuses GET http://fhir.test/STU3/Patient?name=MEAKIN&birthdate=sa1927-06-19 as unsupported")
    assert '400, OperationOutcome not-supported: "prefix "sa" is not supported"' in reason
    assert "birthdate given as sa (not asked for in the IG" in reason and "name given as value" not in reason


def test_a_refused_shall_form_is_left_to_fail() -> None:
    known().require_supported(refused(), "Patient", ["name", "birthdate"], ["value", "ge"])


def test_the_level_follows_the_profiles_conformance() -> None:
    with pytest.raises(NotApplicable, match=r"birthdate given as ge \(SHOULD in the CORE"):
        known(conformance="core").require_supported(refused(), "Patient", ["name", "birthdate"], ["value", "ge"])
    known(conformance="core").require_supported(refused(), "Procedure", ["date"], ["gt"])  # CORE makes it SHALL


def test_a_refusal_that_does_not_say_unsupported_is_left_to_fail() -> None:
    invalid = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid", "diagnostics": "bad date"}]}
    known().require_supported(refused(body=invalid), "Patient", ["name", "birthdate"], ["value", "sa"])
    known().require_supported(refused(status=500), "Patient", ["name", "birthdate"], ["value", "sa"])


def test_a_refused_include_is_not_applicable() -> None:
    known().require_supported_include(interaction(exchange({"resourceType": "Bundle", "type": "searchset"})), "_revinclude", "*")
    with pytest.raises(NotApplicable, match=r"_revinclude=\* \(MAY: CC-SEARCH-INCLUDE"):
        known().require_supported_include(refused(), "_revinclude", "*")


def one_parameter(status: int, body: dict[str, Any]) -> Any:
    return interaction(exchange(body, status=status, url="http://fhir.test/STU3/Patient?family=MEAKIN"))


TWO_PLEASE = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "required", "diagnostics": "give two parameters"}]}


def test_a_one_parameter_patient_search_the_server_refuses_is_not_applicable_by_default() -> None:
    data = known()
    data.require_single_parameter_patient_search()
    with pytest.raises(
        NotApplicable,
        match=r"refuses GET http://fhir.test/STU3/Patient\?family=MEAKIN with 422; the server said: give two parameters: .*Client systems SHALL provide at least two parameters",
    ):
        data.require_answered(one_parameter(422, TWO_PLEASE))


def test_only_a_refusal_the_profile_allows_is_not_applicable() -> None:
    data = known()
    data.require_single_parameter_patient_search()
    data.require_answered(one_parameter(200, {"resourceType": "Bundle", "type": "searchset"}))
    data.require_answered(one_parameter(500, TWO_PLEASE))
    data.require_answered(one_parameter(400, {"resourceType": "Bundle"}))
    known().require_answered(one_parameter(400, TWO_PLEASE)), "without the Given, a refusal is judged as it stands"


def test_a_profile_expecting_answers_judges_the_refusal() -> None:
    data = KnownData(Known(TestData(patient=PatientData(id="p1")), patient=PATIENT), base_url="http://fhir.test/STU3",
                     capabilities=Capabilities(STATEMENT), expectations=Expectations(patient_search_minimum="one"))  # fmt: skip
    data.require_single_parameter_patient_search()
    data.require_answered(one_parameter(400, TWO_PLEASE))
    with pytest.raises(NotApplicable, match="patient_search_minimum is two-parameters"):
        KnownData(
            Known(TestData()), base_url="", capabilities=Capabilities({}), expectations=Expectations(patient_search_minimum="two-parameters")
        ).require_single_parameter_patient_search()


ASSERTED = {"resourceType": "AllergyIntolerance", "id": "a2", "patient": {"reference": "Patient/p1"}, "assertedDate": "2016-02-03"}
ONSET_ONLY = {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/p1"}, "onsetDateTime": "2011-05-06"}


def with_allergies(*others: dict[str, Any]) -> KnownData:
    data = Known(TestData(patient=PatientData(id="p1")), patient=PATIENT, records={"AllergyIntolerance": ONSET_ONLY}, others={"AllergyIntolerance": others})
    return KnownData(data, base_url="http://fhir.test/STU3", capabilities=Capabilities(STATEMENT), expectations=Expectations())


def test_a_form_the_known_record_cannot_give_is_built_from_another_record_which_becomes_the_scenarios_known_one() -> None:
    data = with_allergies(ASSERTED)
    assert data.record("AllergyIntolerance")["id"] == "a1"
    assert data.example_query("AllergyIntolerance", ["date"], ["year"], for_patient=True) == [("patient", "Patient/p1"), ("date", "2016")]
    assert data.record("AllergyIntolerance")["id"] == "a2", "the completeness check judges the record the search was built from"


def test_when_no_record_gives_the_form_the_reason_names_each_record_element_and_what_it_lacks() -> None:
    with pytest.raises(NotApplicable) as skipped:
        with_allergies(dict(ONSET_ONLY, id="a3")).example_query("AllergyIntolerance", ["date"], ["year"])
    reason = skipped.value.reason
    assert reason.startswith("none of the 2 known AllergyIntolerance records gives a value for date as year: ")
    assert "AllergyIntolerance/a1 has no AllergyIntolerance.assertedDate (what date searches); it has dates under onsetDateTime" in reason
    assert "AllergyIntolerance/a3 has no AllergyIntolerance.assertedDate" in reason
    with pytest.raises(NotApplicable, match=r"the known AllergyIntolerance gives no value for date as year: AllergyIntolerance/a1 has no"):
        with_allergies().example_query("AllergyIntolerance", ["date"], ["year"])


def test_a_missing_placeholder_says_what_was_missing_and_where_it_was_looked_for() -> None:
    nobody = KnownData(Known(TestData(patient=PatientData(nhs_number="1234567890")), notes=("NHS number 1234567890: no patient found (testdata.patient.nhs_number; Patient?… answered 200)",)),
                       base_url="", capabilities=Capabilities({}), expectations=Expectations())  # fmt: skip
    with pytest.raises(NotApplicable, match=r"no known patient, so no patient.id \(NHS number 1234567890: no patient found \(testdata.patient.nhs_number"):
        nobody.value("{patient.id}")
    with pytest.raises(
        NotApplicable,
        match=r"the known Patient/p1 has no NHS number \(identifier with system https://fhir.nhs.uk/Id/nhs-number\), and the profile sets no testdata.patient.nhs_number",
    ):
        known().query("identifier={patient.nhs_number}")
    with pytest.raises(NotApplicable, match=r"the profile pins no patient \(testdata.patient\) and discovery is off"):
        KnownData(Known(TestData(discover=False)), base_url="", capabilities=Capabilities({}), expectations=Expectations()).value("{patient.family}")


def answered_with_self_link(self_url: str) -> Any:
    return interaction(exchange({"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "self", "url": self_url}]}, url=self_url))


def test_an_optional_form_the_server_ignored_by_its_self_link_is_not_applicable() -> None:
    data = known()
    query = data.example_query("Patient", ["name", "gender"], ["exact", "code"])
    assert query == [("name:exact", "MEAKIN"), ("gender", "male")]
    with pytest.raises(NotApplicable) as skipped:
        data.require_supported(answered_with_self_link("http://fhir.test/STU3/Patient?gender=male"), "Patient", ["name", "gender"], ["exact", "code"])
    assert "the server ignored name:exact=MEAKIN: its self link http://fhir.test/STU3/Patient?gender=male leaves it out" in skipped.value.reason
    assert "name given as exact (not asked for in the IG" in skipped.value.reason
    data.require_supported(
        answered_with_self_link("http://fhir.test/STU3/Patient?name:exact=MEAKIN&gender=male"), "Patient", ["name", "gender"], ["exact", "code"]
    )


def test_a_shall_form_left_out_of_the_self_link_is_left_to_fail() -> None:
    data = known()
    data.example_query("Patient", ["name", "gender"], ["value", "code"])
    data.require_supported(answered_with_self_link("http://fhir.test/STU3/Patient?gender=male"), "Patient", ["name", "gender"], ["value", "code"])


def test_a_refusal_that_blames_only_a_required_parameter_is_left_to_fail() -> None:
    data = known()
    data.example_query("Patient", ["name", "gender"], ["contains", "code"])
    blames_gender = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-supported", "diagnostics": 'parameter "gender" is not supported'}],
    }
    data.require_supported(refused(body=blames_gender), "Patient", ["name", "gender"], ["contains", "code"])
    blames_contains = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-supported", "diagnostics": 'modifier "contains" is not supported'}],
    }
    with pytest.raises(NotApplicable, match="name given as contains"):
        data.require_supported(refused(body=blames_contains), "Patient", ["name", "gender"], ["contains", "code"])


def test_a_form_that_is_part_of_a_declared_parameter_is_claimed_and_judged() -> None:
    declared = {
        **STATEMENT,
        "rest": [{"mode": "server", "resource": [{"type": "Condition", "searchParam": [{"name": "clinical-status"}, {"name": "patient"}]}]}],
    }
    ignoring = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-supported", "diagnostics": "clinical-status is not supported"}],
    }
    known(declared).require_supported(refused(body=ignoring), "Condition", ["clinical-status"], ["code"])
    with pytest.raises(NotApplicable, match=r"clinical-status given as not \(not asked for"):
        known(declared).require_supported(refused(body=ignoring), "Condition", ["clinical-status"], ["not"])
    with pytest.raises(NotApplicable, match=r"clinical-status given as code \(SHOULD in the IG"):
        known(STATEMENT).require_supported(refused(body=ignoring), "Condition", ["clinical-status"], ["code"])


OBSERVATION: dict[str, Any] = {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "x"}, "effectiveDateTime": "2018-11-29"}
SEARCHABLE = {
    "resourceType": "CapabilityStatement",
    "format": ["application/fhir+json"],
    "rest": [{"mode": "server", "resource": [{"type": "Observation", "searchParam": [{"name": "date"}, {"name": "code"}, {"name": "patient"}]}]}],
}


def searchable() -> KnownData:
    patient = {"resourceType": "Patient", "id": "p1", "name": [{"family": "MEAKIN", "given": ["Mike"]}], "gender": "male", "birthDate": "1927-06-19"}
    data = Known(TestData(patient=PatientData(id="p1")), patient=patient, records={"Observation": OBSERVATION})
    return KnownData(data, base_url="http://fhir.test/STU3", capabilities=Capabilities(SEARCHABLE), expectations=Expectations())


def test_a_clinical_search_space_starts_from_the_known_patient() -> None:
    space = searchable().search_space("Observation")
    assert space.base == (("patient", "Patient/p1"),) and space.records == (OBSERVATION,)
    assert space.parameters == ("code", "date", "patient") and space.base_url == "http://fhir.test/STU3"
    assert any(record.get("id") == "p1" for record in space.related)


def test_the_patient_search_space_starts_from_family_and_gender() -> None:
    assert searchable().search_space("Patient").base == (("family", "MEAKIN"), ("gender", "male"))


def test_a_format_the_statement_does_not_list_is_not_applicable() -> None:
    searchable().require_format("json")
    searchable().require_format("json or xml")
    with pytest.raises(NotApplicable, match="does not declare the XML format"):
        searchable().require_format("xml")


def test_a_statement_without_formats_gives_the_benefit_of_the_doubt() -> None:
    data = Known(TestData(patient=PatientData(id="p1")))
    KnownData(data, base_url="", capabilities=Capabilities({"resourceType": "CapabilityStatement"}), expectations=Expectations()).require_format("xml")
