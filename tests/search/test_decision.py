"""Folding decisions: OR within a criterion's values, AND across a search's criteria."""

from __future__ import annotations

import pytest

from carecheck.search import Decision, Outcome
from carecheck.search.decision import all_of, any_of

M, N, U, K = Decision.match("m"), Decision.no_match("n"), Decision.undecidable("u"), Decision.unknown("k")
EMPTY = Decision.no_match("empty")

FOLDS = [
    ((), "empty", "empty"),
    ((M,), "MATCH: m", "MATCH: m"),
    ((N, M), "MATCH: m", "NO_MATCH: n"),
    ((U, M), "MATCH: m", "UNDECIDABLE: u"),
    ((N, U), "UNDECIDABLE: u", "NO_MATCH: n"),
    ((N, N), "NO_MATCH: n; n", "NO_MATCH: n; n"),
    ((U, U), "UNDECIDABLE: u; u", "UNDECIDABLE: u; u"),
    ((M, M), "MATCH: m", "MATCH: m; m"),
    ((U, K), "UNKNOWN: k", "UNKNOWN: k"),
    ((K, M), "MATCH: m", "UNKNOWN: k"),
    ((N, K), "UNKNOWN: k", "NO_MATCH: n"),
]


@pytest.mark.parametrize(("decisions", "either", "both"), FOLDS, ids=["-".join(d.outcome.name for d in row[0]) or "none" for row in FOLDS])
def test_folds(decisions: tuple[Decision, ...], either: str, both: str) -> None:
    found_any, found_all = any_of(decisions, empty=EMPTY), all_of(decisions, empty=EMPTY)
    assert (str(found_any), str(found_all)) == (
        either if either != "empty" else "NO_MATCH: empty",
        both if both != "empty" else "NO_MATCH: empty",
    )


def test_outcome_helpers() -> None:
    assert M.matched and not N.matched and not U.matched
    assert [o.value for o in Outcome] == ["match", "no-match", "undecidable", "unknown"]
