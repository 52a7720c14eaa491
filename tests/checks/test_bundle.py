"""Searchset Bundle checks, passing and failing."""

from __future__ import annotations

from typing import Any

from carecheck.checks import CHECKS, Outcome
from tests.exchanges import BASE, exchange, interaction, patient, searchset


def run(*bodies: Any) -> list[Any]:
    pages = [exchange(body, exchange_id=f"{n:03d}") for n, body in enumerate(bodies, 1)]
    return CHECKS.get("searchset_bundle").run(interaction(*pages))


def test_a_searchset_passes() -> None:
    assert [f.outcome for f in run(searchset(patient("a"), patient("b")))] == [Outcome.PASS]


def test_an_empty_searchset_passes() -> None:
    assert [f.outcome for f in run(searchset())] == [Outcome.PASS]


def test_pages_are_counted_together() -> None:
    first = searchset(patient("a"), total=2, next_url=f"{BASE}/Patient?page=2")
    second = searchset(patient("b"), total=2)
    assert [f.outcome for f in run(first, second)] == [Outcome.PASS]


def test_wrong_bundle_type_fails() -> None:
    bundle = {**searchset(patient("a")), "type": "collection"}
    assert Outcome.FAIL in [f.outcome for f in run(bundle)]


def test_a_non_bundle_fails() -> None:
    assert [f.outcome for f in run(patient("a"))] == [Outcome.FAIL]


def test_a_duplicate_across_pages_fails() -> None:
    first = searchset(patient("a"), total=2, next_url=f"{BASE}/Patient?page=2")
    second = searchset(patient("a"), total=2)
    found = run(first, second)
    assert any(f.outcome is Outcome.FAIL and "returned twice" in f.message for f in found)


def test_a_total_that_disagrees_fails() -> None:
    found = run(searchset(patient("a"), total=5))
    assert any(f.outcome is Outcome.FAIL and "total is 5" in f.message for f in found)


def test_a_next_link_left_unfollowed_fails_and_the_total_is_not_judged() -> None:
    unfollowed = searchset(patient("a"), total=5, next_url=f"{BASE}/Patient?page=2")
    found = run(unfollowed)
    assert [f.outcome for f in found] == [Outcome.FAIL, Outcome.PASS]
    assert "still links to another page" in found[0].message


def test_a_next_link_back_to_a_page_already_followed_is_left_to_the_loop_check() -> None:
    looping = searchset(patient("a"), total=1, next_url=f"{BASE}/Patient")
    assert [f.outcome for f in run(looping)] == [Outcome.PASS]


def test_included_resources_are_not_matches() -> None:
    bundle = searchset(patient("a"))
    bundle["entry"].append({"resource": {"resourceType": "Organization", "id": "o"}, "search": {"mode": "include"}})
    assert [f.outcome for f in run(bundle)] == [Outcome.PASS]
