"""Search checks: soundness by the oracle, completeness and exclusion of a known resource, match counts."""

from __future__ import annotations

from typing import Any

from carecheck.checks import CHECKS, Finding, Outcome
from tests.exchanges import BASE, exchange, interaction, patient, searchset

MEAKIN = patient("m", name=[{"use": "official", "family": "MEAKIN", "given": ["Mike"]}], birthDate="1927-06-19", gender="male")
KANFELD = patient("k", name=[{"use": "official", "family": "Kanfeld", "given": ["Bernie"]}], birthDate="1998-03-19", gender="female")


def run(name: str, query: str, *bodies: Any, **arguments: Any) -> list[Finding]:
    pages = [exchange(body, url=f"{BASE}/Patient?{query}", exchange_id=f"{n:03d}") for n, body in enumerate(bodies, 1)]
    return CHECKS.get(name).run(interaction(*pages), **arguments)


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


class TestSearchSound:
    def test_every_match_satisfying_the_criteria_passes(self) -> None:
        found = run("search_sound", "family=mea&birthdate=1927", searchset(MEAKIN), resource_type="Patient")
        assert outcomes(found) == [Outcome.PASS]
        assert {"CC-SEARCH-PATIENT-FAMILY", "CC-SEARCH-PATIENT-BIRTHDATE"} <= set(found[0].requirements)

    def test_a_returned_patient_that_does_not_match_fails_with_the_oracles_reason(self) -> None:
        found = run("search_sound", "birthdate=lt1927-06-19", searchset(MEAKIN, KANFELD), resource_type="Patient")
        failures = [f for f in found if f.outcome is Outcome.FAIL]
        assert len(failures) == 2
        assert "Patient/m does not satisfy birthdate=lt1927-06-19" in failures[0].message
        assert "1927-06-19" in failures[0].message
        assert failures[0].pointer == "/entry/0/resource"
        assert "CC-SEARCH-PATIENT-BIRTHDATE" in failures[0].requirements

    def test_every_page_is_judged(self) -> None:
        first = searchset(MEAKIN, total=2, next_url=f"{BASE}/Patient?page=2")
        found = run("search_sound", "gender=male", first, searchset(KANFELD, total=2), resource_type="Patient")
        assert [(f.outcome, f.exchange) for f in found if f.outcome is Outcome.FAIL] == [(Outcome.FAIL, "002")]

    def test_a_resource_of_another_type_returned_as_a_match_fails(self) -> None:
        found = run("search_sound", "gender=male", searchset({"resourceType": "Organization", "id": "o"}), resource_type="Patient")
        assert Outcome.FAIL in outcomes(found)

    def test_included_resources_are_not_judged(self) -> None:
        bundle = searchset(MEAKIN)
        bundle["entry"].append({"resource": KANFELD, "search": {"mode": "include"}})
        assert outcomes(run("search_sound", "gender=male", bundle, resource_type="Patient")) == [Outcome.PASS]

    def test_an_undecidable_match_is_a_warning(self) -> None:
        assert outcomes(run("search_sound", "name=mike%20meakin", searchset(MEAKIN), resource_type="Patient")) == [Outcome.WARN, Outcome.PASS]

    def test_a_body_that_is_not_a_bundle_fails(self) -> None:
        assert outcomes(run("search_sound", "gender=male", MEAKIN, resource_type="Patient")) == [Outcome.FAIL]

    def test_an_invalid_query_is_not_judged(self) -> None:
        assert outcomes(run("search_sound", "birthdate=notadate", searchset(), resource_type="Patient")) == [Outcome.UNJUDGED]


class TestSearchIncludes:
    def test_passes_when_the_known_resource_is_returned(self) -> None:
        assert outcomes(run("search_includes", "family=mea", searchset(KANFELD, MEAKIN), resource_type="Patient", resource_id="m")) == [Outcome.PASS]

    def test_fails_when_it_is_missing(self) -> None:
        found = run("search_includes", "family=mea", searchset(KANFELD), resource_type="Patient", resource_id="m")
        assert outcomes(found) == [Outcome.FAIL]
        assert "Patient/m satisfies family=mea but is not among the 1 match(es)" in found[0].message

    def test_is_not_judged_when_pages_were_left_unfollowed(self) -> None:
        partial = searchset(KANFELD, total=2, next_url=f"{BASE}/Patient?page=2")
        assert outcomes(run("search_includes", "family=mea", partial, resource_type="Patient", resource_id="m")) == [Outcome.UNJUDGED]

    def test_an_include_is_not_a_match(self) -> None:
        bundle = searchset(KANFELD)
        bundle["entry"].append({"resource": MEAKIN, "search": {"mode": "include"}})
        assert outcomes(run("search_includes", "family=mea", bundle, resource_type="Patient", resource_id="m")) == [Outcome.FAIL]


class TestSearchExcludes:
    def test_passes_when_the_resource_is_left_out(self) -> None:
        assert outcomes(run("search_excludes", "birthdate=lt1927-06-19", searchset(), resource_type="Patient", resource_id="m")) == [Outcome.PASS]

    def test_fails_when_it_is_returned(self) -> None:
        found = run("search_excludes", "birthdate=lt1927-06-19", searchset(MEAKIN), resource_type="Patient", resource_id="m")
        assert outcomes(found) == [Outcome.FAIL]
        assert "does not satisfy birthdate=lt1927-06-19 but was returned" in found[0].message


class TestSearchMatchCount:
    def test_passes_on_the_expected_count(self) -> None:
        assert outcomes(run("search_match_count", "family=zz", searchset(), resource_type="Patient", expected=0)) == [Outcome.PASS]

    def test_fails_on_another_count_listing_what_came_back(self) -> None:
        found = run("search_match_count", "family=zz", searchset(MEAKIN), resource_type="Patient", expected=0)
        assert outcomes(found) == [Outcome.FAIL]
        assert "got 1: Patient/m" in found[0].message


class TestSearchAgreesOnKnown:
    def test_a_matching_record_must_be_returned(self) -> None:
        assert outcomes(run("search_agrees_on_known", "family=mea", searchset(MEAKIN), resource=MEAKIN)) == [Outcome.PASS]
        missing = run("search_agrees_on_known", "family=mea", searchset(KANFELD), resource=MEAKIN)
        assert outcomes(missing) == [Outcome.FAIL] and "but was not returned" in missing[0].message

    def test_a_record_that_does_not_match_must_be_left_out(self) -> None:
        assert outcomes(run("search_agrees_on_known", "birthdate=lt1927-06-19", searchset(), resource=MEAKIN)) == [Outcome.PASS]
        wrong = run("search_agrees_on_known", "birthdate=lt1927-06-19", searchset(MEAKIN), resource=MEAKIN)
        assert outcomes(wrong) == [Outcome.FAIL] and "but was returned" in wrong[0].message

    def test_an_undecidable_search_is_a_warning(self) -> None:
        assert outcomes(run("search_agrees_on_known", "name=mike%20meakin", searchset(MEAKIN), resource=MEAKIN)) == [Outcome.WARN]

    def test_chained_criteria_are_judged_with_the_related_records(self) -> None:
        condition = {"resourceType": "Condition", "id": "c", "subject": {"reference": "Patient/m"}}
        nhs = {**MEAKIN, "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9658218873"}]}
        pages = [exchange(searchset(condition), url=f"{BASE}/Condition?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873")]
        found = CHECKS.get("search_agrees_on_known").run(interaction(*pages, resource_type="Condition"), resource=condition, related=[nhs])
        assert [f.outcome for f in found] == [Outcome.PASS]


NHS = "https://fhir.nhs.uk/Id/nhs-number"
CHAINED = f"{BASE}/AllergyIntolerance?patient.identifier={NHS}|9658218873"
OTHER = patient("o", identifier=[{"system": NHS, "value": "9000000009"}])
OWN = {**MEAKIN, "identifier": [{"system": NHS, "value": "9658218873"}]}


def allergy(allergy_id: str, patient_id: str) -> dict[str, Any]:
    return {"resourceType": "AllergyIntolerance", "id": allergy_id, "patient": {"reference": f"Patient/{patient_id}"}}


def chained(*resources: dict[str, Any], **arguments: Any) -> list[Finding]:
    subject = interaction(exchange(searchset(*resources), url=CHAINED), resource_type="AllergyIntolerance")
    return CHECKS.get("search_sound").run(subject, resource_type="AllergyIntolerance", **arguments)


class TestChainedSearches:
    """A chained search is judged on the records its results point at: never passed without reading them."""

    def test_a_result_whose_patient_was_never_read_is_not_judged_not_passed(self) -> None:
        found = chained(allergy("a1", "m"), allergy("a2", "o"), related=[OWN])
        assert outcomes(found) == [Outcome.UNJUDGED, Outcome.PASS]
        assert "AllergyIntolerance/a2 could not be judged" in found[0].message and "Patient/o" in found[0].message

    def test_another_patient_s_record_fails_once_its_patient_is_read(self) -> None:
        read = {"reference": "Patient/o", "status": 200, "resource": OTHER, "evidence": "evidence/x/003-GET-Patient-o.json", "problem": None}
        found = chained(allergy("a1", "m"), allergy("a2", "o"), related=[OWN], resolved=[read])
        failures = [f for f in found if f.outcome is Outcome.FAIL]
        assert len(failures) == 1 and "AllergyIntolerance/a2 does not satisfy patient.identifier=" in failures[0].message
        assert "9000000009" in failures[0].message

    def test_a_read_that_failed_is_named_in_what_could_not_be_judged(self) -> None:
        read = {
            "reference": "Patient/o",
            "status": 404,
            "resource": None,
            "evidence": "evidence/x/003-GET-Patient-o.json",
            "problem": "reading Patient/o answered 404",
        }
        found = chained(allergy("a2", "o"), related=[OWN], resolved=[read])
        assert found[0].outcome is Outcome.UNJUDGED
        assert "reading Patient/o answered 404 (evidence: evidence/x/003-GET-Patient-o.json)" in found[0].message


class TestSearchComplete:
    """Completeness against a broader search: every record it found that satisfies the search must come back."""

    BROADER = interaction(exchange(searchset(MEAKIN, KANFELD), url=f"{BASE}/Patient?_count=100", exchange_id="009"))

    def test_every_matching_record_of_the_broader_search_returned_passes(self) -> None:
        found = run("search_complete", "gender=male&birthdate=1927", searchset(MEAKIN), broader=self.BROADER, resource_type="Patient")
        assert outcomes(found) == [Outcome.PASS]
        assert "all 1 of the 2 Patient records _count=100 found that satisfy gender=male&birthdate=1927 were returned" in found[0].message

    def test_a_matching_record_dropped_from_a_page_fails_naming_it(self) -> None:
        first = searchset(total=2, next_url=f"{BASE}/Patient?page=2")
        found = run("search_complete", "gender=male,female", first, searchset(KANFELD, total=2), broader=self.BROADER, resource_type="Patient")
        assert outcomes(found) == [Outcome.FAIL]
        assert "1 of the 2 Patient records _count=100 found satisfy gender=male,female but were not returned: Patient/m" in found[0].message

    def test_unfollowed_pages_leave_a_missing_record_unjudged(self) -> None:
        found = run("search_complete", "gender=male", searchset(total=5, next_url=f"{BASE}/Patient?page=2"), broader=self.BROADER, resource_type="Patient")
        assert outcomes(found) == [Outcome.UNJUDGED]

    def test_nothing_to_judge_is_unjudged(self) -> None:
        empty = interaction(exchange(searchset(), exchange_id="009"))
        assert outcomes(run("search_complete", "gender=male", searchset(MEAKIN), broader=empty, resource_type="Patient")) == [Outcome.UNJUDGED]


def test_a_search_declined_by_the_servers_choice_is_told_apart() -> None:
    from carecheck.checks.search import refused

    def answered(status: int) -> str | None:
        return refused(
            interaction(exchange({"resourceType": "OperationOutcome"}, status=status, url=f"{BASE}/Observation?code=x"), resource_type="Observation")
        )

    assert answered(400) == "the server declines Observation?code=x (it answered 400): it may require a patient"
    assert answered(403) is not None and answered(422) is not None
    assert answered(200) is None and answered(404) is None and answered(500) is None
