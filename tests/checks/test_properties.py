"""Property checks on stored searches, each shown holding and failing: same result sets, narrowing, the date
split at X, and soundness of a generated search with the exploration's story told once."""

from __future__ import annotations

from typing import Any

from carecheck.checks import CHECKS, Finding, Outcome
from carecheck.checks.properties import result_keys
from carecheck.http import Interaction
from tests.exchanges import BASE, exchange, interaction, searchset

OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid"}]}


def observation(identifier: str, when: str | dict[str, str]) -> dict[str, Any]:
    timing = {"effectivePeriod": when} if isinstance(when, dict) else {"effectiveDateTime": when}
    return {"resourceType": "Observation", "id": identifier, "status": "final", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}, **timing}


EARLY = observation("early", "2018-03-04T22:32:00Z")
BOUNDARY = observation("boundary", "2018-11-29T08:54:18Z")
LATE = observation("late", "2023-09-21")
ACROSS = observation("across", {"start": "2018-11-28", "end": "2018-11-30"})


def search(query: str, *resources: dict[str, Any], exchange_id: str = "001", status: int = 200, resource_type: str = "Observation") -> Interaction:
    body = searchset(*resources) if status == 200 else OUTCOME
    return interaction(exchange(body, url=f"{BASE}/{resource_type}?{query}", exchange_id=exchange_id, status=status), resource_type=resource_type)


def run(name: str, subject: Interaction, **arguments: Any) -> list[Finding]:
    return CHECKS.get(name).run(subject, **arguments)


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


def text(found: list[Finding]) -> str:
    return " | ".join(finding.message for finding in found)


class TestResultKeys:
    def test_matches_across_pages_by_type_and_id(self) -> None:
        found, problem = result_keys(search("patient=p", EARLY, LATE))
        assert problem is None and list(found) == ["Observation/early", "Observation/late"]

    def test_a_refused_search_has_no_result_set(self) -> None:
        found, problem = result_keys(search("date=x", status=400))
        assert found == {} and problem and "-> 400" in problem


class TestSameResults:
    def test_the_same_matches_pass(self) -> None:
        found = run(
            "same_results",
            search("patient=p&_count=1", EARLY, LATE),
            other=search("patient=p", LATE, EARLY, exchange_id="002"),
            relation="the same search without _count",
            explored="held",
        )
        assert outcomes(found) == [Outcome.PASS] and text(found).endswith("— held")

    def test_different_matches_fail_naming_them(self) -> None:
        found = run(
            "same_results",
            search("patient=p", EARLY),
            other=search("patient=p", EARLY, LATE, exchange_id="002"),
            relation="the same search by GET",
            explored="falsified",
        )
        assert outcomes(found) == [Outcome.FAIL]
        assert "only in the same search by GET: Observation/late" in text(found) and text(found).endswith("— falsified")

    def test_a_refused_side_fails(self) -> None:
        found = run(
            "same_results", search("patient=p", EARLY), other=search("patient=p", status=500, exchange_id="002"), relation="the same search asked before"
        )
        assert outcomes(found) == [Outcome.FAIL] and "cannot compare" in text(found)


class TestNarrowerResults:
    def test_a_subset_passes(self) -> None:
        assert outcomes(
            run("narrower_results", search("patient=p&date=ge2018-11", BOUNDARY), wider=search("patient=p", EARLY, BOUNDARY, exchange_id="002"))
        ) == [Outcome.PASS]

    def test_a_match_the_wider_search_lacks_fails(self) -> None:
        found = run("narrower_results", search("patient=p&date=ge2018", BOUNDARY, LATE), wider=search("patient=p", BOUNDARY, exchange_id="002"))
        assert outcomes(found) == [Outcome.FAIL]
        assert "Observation/late is returned by this search but not by the same search with fewer criteria" in text(found)


class TestDateSplit:
    def split(
        self, ge: tuple[dict[str, Any], ...], lt: tuple[dict[str, Any], ...], whole: tuple[dict[str, Any], ...], value: str = "2018-11-29", explored: str = ""
    ) -> list[Finding]:
        return run(
            "date_split",
            search(f"patient=p&date=ge{value}", *ge),
            lower=search(f"patient=p&date=lt{value}", *lt, exchange_id="002"),
            whole=search("patient=p", *whole, exchange_id="003"),
            parameter="date",
            value=value,
            explored=explored,
        )

    def test_ge_and_lt_split_every_dated_match(self) -> None:
        found = self.split((BOUNDARY, LATE), (EARLY,), (EARLY, BOUNDARY, LATE))
        assert outcomes(found) == [Outcome.PASS] and "3 Observation with a date, split at 2018-11-29: 2 by ge, 1 by lt, 0 by both" in text(found)

    def test_a_match_of_neither_fails_once_with_the_story(self) -> None:
        found = self.split((LATE,), (EARLY,), (EARLY, BOUNDARY, LATE), explored="falsified: shrunk")
        assert outcomes(found) == [Outcome.FAIL]
        assert "Observation/boundary has date 2018-11-29T08:54:18Z but is returned by neither date=ge2018-11-29 nor date=lt2018-11-29" in text(found)
        assert text(found).count("falsified: shrunk") == 1

    def test_a_period_reaching_across_may_be_in_both(self) -> None:
        assert outcomes(self.split((ACROSS, LATE), (EARLY, ACROSS), (EARLY, ACROSS, LATE))) == [Outcome.PASS]

    def test_a_period_ending_at_the_split_second_in_both_is_not_a_failure(self) -> None:
        """The issue's case: ge and lt 09:30:00+01:00 both return a period 09:00-09:30:00, which meets the search
        second only in part; STU3 leaves ge to the server there, so the message says so with both ranges."""
        period = {
            "resourceType": "Encounter",
            "id": "e",
            "status": "finished",
            "period": {"start": "2023-05-10T09:00:00+01:00", "end": "2023-05-10T09:30:00+01:00"},
        }
        found = run(
            "date_split",
            search("patient=p&date=ge2023-05-10T09:30:00+01:00", period, resource_type="Encounter"),
            lower=search("patient=p&date=lt2023-05-10T09:30:00+01:00", period, exchange_id="002", resource_type="Encounter"),
            whole=search("patient=p", period, exchange_id="003", resource_type="Encounter"),
            parameter="date",
            value="2023-05-10T09:30:00+01:00",
        )
        assert Outcome.FAIL not in outcomes(found), text(found)
        assert "does not reach across" not in text(found)
        assert (
            "(from 2023-05-10T08:00:00Z to before 2023-05-10T08:30:01Z) against ge2023-05-10T09:30:00+01:00 (from 2023-05-10T08:30:00Z to before 2023-05-10T08:30:01Z)"
            in text(found)
        )

    def test_a_record_in_both_that_does_not_satisfy_both_fails_stating_the_ranges(self) -> None:
        found = self.split((EARLY, LATE), (EARLY,), (EARLY, LATE))
        assert Outcome.FAIL in outcomes(found)
        assert (
            "Observation/early is returned by both date=ge2018-11-29 and date=lt2018-11-29, but it does not satisfy both: date=ge2018-11-29: no match:"
            in text(found)
        )
        assert "against ge2018-11-29 (from 2018-11-29T00:00:00 to before 2018-11-30T00:00:00 in the server's local time)" in text(found)

    def test_a_match_the_whole_search_lacks_fails(self) -> None:
        found = self.split((LATE,), (EARLY,), (EARLY,))
        assert "Observation/late returned with date=ge2018-11-29 but not by the same search without it" in text(found)

    def test_records_without_the_date_are_not_expected_on_either_side(self) -> None:
        undated = {"resourceType": "Observation", "id": "undated", "status": "final", "code": {"text": "x"}}
        assert outcomes(self.split((LATE,), (EARLY,), (EARLY, LATE, undated))) == [Outcome.PASS]

    def test_a_refused_side_cannot_be_split(self) -> None:
        found = run(
            "date_split",
            search("date=ge2018", status=400),
            lower=search("date=lt2018", exchange_id="002"),
            whole=search("", exchange_id="003"),
            parameter="date",
            value="2018",
        )
        assert outcomes(found) == [Outcome.FAIL] and "cannot split the search at 2018" in text(found)


class TestGeneratedSearchSound:
    def test_a_sound_search_passes_with_the_story(self) -> None:
        found = run("generated_search_sound", search("date=ge2018-11", BOUNDARY, LATE), resource_type="Observation", explored="held for all 20")
        assert outcomes(found) == [Outcome.PASS] and text(found).endswith("— held for all 20")

    def test_an_unsound_match_fails_and_tells_the_story_once(self) -> None:
        found = run(
            "generated_search_sound", search("date=ge2018-11", EARLY, LATE, EARLY | {"id": "early2"}), resource_type="Observation", explored="falsified"
        )
        failures = [f for f in found if f.outcome is Outcome.FAIL]
        assert len(failures) == 2 and failures[0].message.endswith("— falsified") and not failures[1].message.endswith("— falsified")
