"""The searcher: a search made once per exploration unless asked afresh, GET or POST, every request counted."""

from __future__ import annotations

import pytest

from carecheck.probe import Searcher
from tests.probe.conftest import MEAKIN, Recorded

pytestmark = pytest.mark.e2e


def test_a_search_made_before_is_reused(client: Recorded) -> None:
    searcher = Searcher(client, "Observation")
    first = searcher.get([("patient", MEAKIN)])
    assert searcher.get([("patient", MEAKIN)]) is first
    assert searcher.sent == len(client.exchanges) == 1


def test_fresh_asks_again(client: Recorded) -> None:
    searcher = Searcher(client, "Observation")
    first = searcher.get([("patient", MEAKIN)])
    again = searcher.get([("patient", MEAKIN)], fresh=True)
    assert again is not first and searcher.sent == 2


def test_get_and_post_are_different_searches(client: Recorded) -> None:
    searcher = Searcher(client, "Observation")
    searcher.get([("patient", MEAKIN), ("_count", "5")])
    posted = searcher.post([("patient", MEAKIN), ("_count", "5")])
    assert posted.first.request.method == "POST" and searcher.sent == len(client.exchanges) == 6
