"""Paging checks: page sizes, links that answer and do not loop, the same matches paged and unpaged."""

from __future__ import annotations

from carecheck.checks import CHECKS, Outcome
from tests.exchanges import BASE, exchange, interaction, patient, searchset

PAGE_1 = f"{BASE}/Patient?family=x&_count=2"
PAGE_2 = f"{BASE}/Patient?family=x&_count=2&page=2"


def pages(*bodies: dict, urls: tuple[str, ...] = (PAGE_1, PAGE_2)) -> object:
    return interaction(*(exchange(body, url=url, exchange_id=f"{n:03d}") for n, (body, url) in enumerate(zip(bodies, urls, strict=False), 1)))


def outcomes(name: str, subject: object, **arguments: object) -> list[Outcome]:
    return [f.outcome for f in CHECKS.get(name).run(subject, **arguments)]  # type: ignore[arg-type]


def test_page_size_passes_within_the_count_and_fails_beyond_it() -> None:
    assert outcomes("page_size", pages(searchset(patient("a"), patient("b"))), count=2) == [Outcome.PASS]
    assert outcomes("page_size", pages(searchset(patient("a"), patient("b"), patient("c"))), count=2) == [Outcome.FAIL]


def test_paging_links_pass_when_every_page_answers() -> None:
    first = searchset(patient("a"), total=2, next_url=PAGE_2)
    assert outcomes("paging_links", pages(first, searchset(patient("b"), total=2))) == [Outcome.PASS]


def test_paging_links_fail_on_a_page_that_does_not_answer() -> None:
    first = searchset(patient("a"), total=2, next_url=PAGE_2)
    broken = interaction(exchange(first, url=PAGE_1), exchange({"resourceType": "OperationOutcome"}, url=PAGE_2, status=410, exchange_id="002"))
    assert outcomes("paging_links", broken) == [Outcome.FAIL]


def test_paging_links_fail_on_a_loop() -> None:
    first = searchset(patient("a"), total=2, next_url=PAGE_2)
    second = searchset(patient("b"), total=2, next_url=PAGE_1)
    found = CHECKS.get("paging_links").run(pages(first, second))
    assert [f.outcome for f in found] == [Outcome.FAIL] and "the pages loop" in found[0].message


def test_same_matches_pass_and_fail() -> None:
    paged = pages(searchset(patient("a"), next_url=PAGE_2), searchset(patient("b")))
    whole = interaction(exchange(searchset(patient("a"), patient("b")), url=f"{BASE}/Patient?family=x"))
    assert outcomes("same_matches", paged, baseline=whole) == [Outcome.PASS]
    lossy = pages(searchset(patient("a")))
    found = CHECKS.get("same_matches").run(lossy, baseline=whole)  # type: ignore[arg-type]
    assert [f.outcome for f in found] == [Outcome.FAIL] and "Patient/b" in found[0].message
