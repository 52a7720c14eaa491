"""The search properties hypothesis explores (docs/architecture.md, "Judging searches"): what each generates, the
searches it makes for one generated example, and the check that judges them.

| property   | one example                                   | holds when                                        |
|------------|-----------------------------------------------|---------------------------------------------------|
| answers    | a search with malformed criteria              | no 5xx; every 4xx is an OperationOutcome          |
| sound      | a search built from real values               | every match satisfies every criterion (oracle)    |
| narrowing  | a search, and the same with one more criterion| the longer one's matches ⊆ the shorter one's      |
| split      | a date X from a record, at some precision     | ge X ∪ lt X = all dated; both only if across X    |
| paging     | a search and a `_count` of 1 to 5             | the same matches as without `_count`              |
| post       | a search                                      | POST `_search` finds what GET finds               |
| repeatable | a search                                      | asked again, the same matches                     |
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from carecheck.http import Interaction
from carecheck.probe.searcher import Searcher
from carecheck.search.strategies import (
    Query,
    SearchSpace,
    criteria,
    date_boundaries,
    malformed_criteria,
    page_sizes,
    searches,
)

__all__ = ["PROPERTIES", "Act", "Plan", "SearchProperty"]


@dataclass(frozen=True)
class Plan:
    """One generated example: the search, and what else the property needs (a wider search, a page size,
    a date parameter and value)."""

    query: Query
    other: Query = ()
    count: int = 0
    parameter: str = ""
    value: str = ""

    def describe(self) -> str:
        """The example as a tester reads it: `patient=Patient/1&date=ge2018`, plus what else it varies."""
        text = "&".join(f"{name}={value}" for name, value in self.query) or "(no criteria)"
        if self.parameter:
            text += f", split at {self.parameter}={self.value}"
        if self.count:
            text += f", _count={self.count}"
        if self.other:
            text += f", against {'&'.join(f'{name}={value}' for name, value in self.other) or '(no criteria)'}"
        return text


Act = Callable[[Searcher, SearchSpace, Plan, str], tuple[Interaction, dict[str, Any]]]
"""Make the searches of one example: the interaction to judge and the check's other arguments."""


@dataclass(frozen=True)
class SearchProperty:
    """A named property: how examples are generated, acted out, and judged (by the check named `check`).

    `judges_refusals`: a 4xx answer is part of what the check judges; otherwise a refused search is not
    judged (the server may decline a modifier or prefix it does not support) and only counted.
    """

    name: str
    check: str
    plans: Callable[[SearchSpace], st.SearchStrategy[Plan]]
    act: Act
    judges_refusals: bool = False
    needs_dates: bool = False


def _answers(space: SearchSpace) -> st.SearchStrategy[Plan]:
    chosen = st.tuples(st.lists(malformed_criteria(space), min_size=1, max_size=2), st.lists(criteria(space), max_size=1))
    return chosen.map(lambda parts: Plan((*space.base, *parts[0], *parts[1])))


def _act_answers(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    return searcher.get(plan.query, all_pages=False), {"error_codes": error_codes}


def _searched(space: SearchSpace) -> st.SearchStrategy[Plan]:
    return searches(space, min_criteria=1, max_criteria=2).map(Plan)


def _act_sound(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    return searcher.get(plan.query), {"resource_type": space.resource_type, "related": [dict(r) for r in space.related]}


def _narrowed(space: SearchSpace) -> st.SearchStrategy[Plan]:
    wider = searches(space, min_criteria=0, max_criteria=1)
    return st.tuples(wider, criteria(space)).map(lambda parts: Plan((*parts[0], parts[1]), other=parts[0]))


def _act_narrowing(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    return searcher.get(plan.query), {"wider": searcher.get(plan.other)}


def _split(space: SearchSpace) -> st.SearchStrategy[Plan]:
    return date_boundaries(space).map(lambda chosen: Plan(space.base, parameter=chosen[0], value=chosen[1]))


def _act_split(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    whole = searcher.get(plan.query)
    lower = searcher.get((*plan.query, (plan.parameter, f"lt{plan.value}")))
    upper = searcher.get((*plan.query, (plan.parameter, f"ge{plan.value}")))
    arguments = {"lower": lower, "whole": whole, "parameter": plan.parameter, "value": plan.value, "related": [dict(r) for r in space.related]}
    return upper, arguments


def _paged(space: SearchSpace) -> st.SearchStrategy[Plan]:
    return st.tuples(searches(space, min_criteria=0, max_criteria=1), page_sizes()).map(lambda parts: Plan(parts[0], count=parts[1]))


def _act_paging(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    paged = searcher.get((*plan.query, ("_count", str(plan.count))))
    return paged, {"other": searcher.get(plan.query), "relation": "the same search without _count"}


def _any_search(space: SearchSpace) -> st.SearchStrategy[Plan]:
    return searches(space, min_criteria=0, max_criteria=2).map(Plan)


def _act_post(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    got = searcher.get(plan.query)
    return searcher.post(plan.query), {"other": got, "relation": "the same search by GET"}


def _act_repeat(searcher: Searcher, space: SearchSpace, plan: Plan, error_codes: str) -> tuple[Interaction, dict[str, Any]]:
    first = searcher.get(plan.query)
    return searcher.get(plan.query, fresh=True), {"other": first, "relation": "the same search asked before"}


PROPERTIES: Mapping[str, SearchProperty] = {
    prop.name: prop
    for prop in (
        SearchProperty("answers", "no_server_error", _answers, _act_answers, judges_refusals=True),
        SearchProperty("sound", "generated_search_sound", _searched, _act_sound),
        SearchProperty("narrowing", "narrower_results", _narrowed, _act_narrowing),
        SearchProperty("split", "date_split", _split, _act_split, needs_dates=True),
        SearchProperty("paging", "same_results", _paged, _act_paging),
        SearchProperty("post", "same_results", _any_search, _act_post),
        SearchProperty("repeatable", "same_results", _any_search, _act_repeat),
    )
}
"""Every property by name."""
