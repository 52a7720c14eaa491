"""The baseline check: pinned searches asked again, each holding or failing with the ids that appeared or disappeared."""

from __future__ import annotations

from typing import Any

from carecheck.checks import CHECKS, Finding, Outcome
from tests.exchanges import BASE, exchange, interaction, patient, searchset

BY = "qa@x.example (the sandbox dataset)"


def replay(pins: list[dict[str, Any]], *pages: Any) -> list[Finding]:
    """Judge `pins`; the replayed pages are numbered 001, 002... in the order given."""
    sent = [exchange(body, url=f"{BASE}/Patient?x={n}", exchange_id=f"{n:03d}", status=200 if body else 404) for n, body in enumerate(pages, 1)]
    return CHECKS.get("baseline_holds").run(interaction(*sent, kind="request", resource_type=None), pins=pins, pinned_by=BY)


def outcomes(found: list[Finding]) -> list[Outcome]:
    return [finding.outcome for finding in found]


def test_every_pin_holding_passes_naming_who_pinned_them() -> None:
    pins = [
        {"search": "Patient?family=m", "ids": ["Patient/m"], "total": 1, "exchanges": ["001"]},
        {"search": "Patient?gender=male", "at_least": ["Patient/m"], "exchanges": ["002", "003"]},
        {"search": "Patient?gender=female", "count": 0, "exchanges": ["004"]},
    ]
    found = replay(pins, searchset(patient("m")), searchset(patient("m"), next_url=f"{BASE}/p2"), searchset(patient("q")), searchset())
    assert outcomes(found) == [Outcome.PASS]
    assert found[0].message == f"all 3 pinned search(es) return what the baseline pins (pinned by {BY})"
    assert found[0].requirements == ("CARECHECK-BASELINE",)


def test_a_changed_search_fails_with_what_appeared_and_disappeared() -> None:
    pins = [{"search": "Patient?family=m", "ids": ["Patient/m", "Patient/n"], "total": 2, "exchanges": ["001"]}]
    found = replay(pins, searchset(patient("m"), patient("z")))
    failures = [f for f in found if f.outcome is Outcome.FAIL]
    assert [f.message for f in failures] == [f"the pinned search Patient?family=m changed: 1 appeared: Patient/z; 1 disappeared: Patient/n (pinned by {BY})"]
    assert failures[0].exchange == "001"


def test_at_least_ignores_newcomers_but_not_losses_and_count_and_total_are_held() -> None:
    pins = [
        {"search": "Patient?a=1", "at_least": ["Patient/m"], "exchanges": ["001"]},
        {"search": "Patient?a=2", "at_least": ["Patient/m"], "exchanges": ["002"]},
        {"search": "Patient?a=3", "count": 1, "total": 1, "exchanges": ["003"]},
    ]
    found = replay(pins, searchset(patient("m"), patient("z")), searchset(patient("z")), searchset(patient("m"), patient("n")))
    messages = [f.message for f in found if f.outcome is Outcome.FAIL]
    assert messages == [
        f"the pinned search Patient?a=2 changed: 1 disappeared: Patient/m (pinned by {BY})",
        f"the pinned search Patient?a=3 changed: 2 matches where 1 are pinned; Bundle.total is 2 where 1 is pinned (pinned by {BY})",
    ]
    assert [f.outcome for f in found][-1] is Outcome.PASS and "1 of 3 pinned searches" in found[-1].message


def test_a_search_no_longer_answered_fails_and_unfollowed_pages_are_not_judged() -> None:
    pins = [
        {"search": "Patient?a=1", "ids": ["Patient/m"], "exchanges": ["001"]},
        {"search": "Patient?a=2", "ids": ["Patient/m", "Patient/n"], "exchanges": ["002"]},
    ]
    found = replay(pins, None, searchset(patient("m"), next_url=f"{BASE}/more"))
    assert [f.outcome for f in found] == [Outcome.FAIL, Outcome.UNJUDGED]
    assert found[0].message.startswith("the pinned search Patient?a=1 answered 404")
    assert "more pages than were followed (limits.max_pages)" in found[1].message


def test_many_ids_are_listed_briefly() -> None:
    ids = [f"Patient/p{n}" for n in range(12)]
    found = replay([{"search": "Patient?a=1", "ids": ids, "exchanges": ["001"]}], searchset())
    assert "12 disappeared: Patient/p0, Patient/p1, Patient/p10, Patient/p11, Patient/p2, Patient/p3, Patient/p4, Patient/p5 and 4 more" in found[0].message
