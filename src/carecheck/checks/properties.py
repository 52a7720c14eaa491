"""Checks that relate the results of two or more searches: the properties STU3 search must keep whatever the
query (docs/architecture.md, "Judging searches"). The property scenarios run them on searches hypothesis
generates; `explored` says how the judged example was found (how many searches were tried, and whether it was
shrunk), for the scenario message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from carecheck.checks.bundle import search_pages
from carecheck.checks.finding import Finding, Outcome, failed, passed, unjudged, warned
from carecheck.checks.registry import check
from carecheck.checks.search import matches, search_sound
from carecheck.http import Interaction
from carecheck.search import Outcome as Decided
from carecheck.search import default_registry, matches_search, parse_search
from carecheck.search.comparison import render
from carecheck.search.oracle import extract

__all__ = ["date_split", "generated_search_sound", "narrower_results", "result_keys", "same_results"]

_SHOWN = 5


def _told(findings: Iterable[Finding], explored: str) -> Iterator[Finding]:
    """The findings, the first failure (or, if none fails, the first pass) telling how the example was found."""
    found = list(findings)
    telling = Outcome.FAIL if any(f.outcome is Outcome.FAIL for f in found) else Outcome.PASS
    told = not explored
    for finding in found:
        if not told and finding.outcome is telling:
            told = True
            yield replace(finding, message=f"{finding.message} — {explored}")
        else:
            yield finding


def result_keys(interaction: Interaction) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The matches of a search across its pages by `Type/id`, or why the search has no result set."""
    for exchange in interaction.exchanges:
        if exchange.response is None or exchange.response.status != 200:
            return {}, exchange.describe()
    for _, bundle, problem in search_pages(interaction):
        if bundle is None:
            return {}, f"{interaction.first.request.line}: {problem}"
    found: dict[str, dict[str, Any]] = {}
    for _, _, resource in matches(interaction):
        found.setdefault(f"{resource.get('resourceType')}/{resource.get('id')}", resource)
    return found, None


def _listed(keys: Sequence[str]) -> str:
    return ", ".join(keys[:_SHOWN]) + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")


def _same_results(interaction: Interaction, other: Interaction, relation: str) -> Iterator[Finding]:
    here, problem = result_keys(interaction)
    there, other_problem = result_keys(other)
    if problem or other_problem:
        yield failed(f"cannot compare with {relation}: {problem or other_problem}", exchange=interaction.first.id)
        return
    only_here, only_there = sorted(set(here) - set(there)), sorted(set(there) - set(here))
    if only_here or only_there:
        parts = [f"only here: {_listed(only_here)}" if only_here else "", f"only in {relation}: {_listed(only_there)}" if only_there else ""]
        yield failed(
            f"the matches differ from {relation} ({other.first.request.line}): {'; '.join(p for p in parts if p)}",
            exchange=interaction.first.id,
        )
    else:
        yield passed(f"the same {len(here)} match(es) as {relation}", exchange=interaction.first.id)


def _narrower_results(interaction: Interaction, wider: Interaction) -> Iterator[Finding]:
    narrow, problem = result_keys(interaction)
    wide, wide_problem = result_keys(wider)
    if problem or wide_problem:
        yield failed(f"cannot compare the searches: {problem or wide_problem}", exchange=interaction.first.id)
        return
    extra = sorted(set(narrow) - set(wide))
    if extra:
        yield failed(
            f"{_listed(extra)} {'is' if len(extra) == 1 else 'are'} returned by this search but not by the same search with fewer "
            f"criteria ({wider.first.request.line}); criteria are ANDed, so adding one can only narrow the result",
            exchange=interaction.first.id,
        )
    else:
        yield passed(f"{len(narrow)} of the {len(wide)} match(es) of the wider search", exchange=interaction.first.id)


def _date_split(
    interaction: Interaction,
    lower: Interaction,
    whole: Interaction,
    parameter: str,
    value: str,
    related: Sequence[Mapping[str, Any]],
) -> Iterator[Finding]:
    ge, problem = result_keys(interaction)
    lt, lower_problem = result_keys(lower)
    every, whole_problem = result_keys(whole)
    if problem or lower_problem or whole_problem:
        yield failed(f"cannot split the search at {value}: {problem or lower_problem or whole_problem}", exchange=interaction.first.id)
        return
    above, below = f"{parameter}=ge{value}", f"{parameter}=lt{value}"
    for side, keys, exchange in ((above, ge, interaction.first.id), (below, lt, lower.first.id)):
        stray = sorted(set(keys) - set(every))
        if stray:
            yield failed(f"{_listed(stray)} returned with {side} but not by the same search without it ({whole.first.request.line})", exchange=exchange)
    resource_type = whole.resource_type or ""
    definition = default_registry().parameter(resource_type, parameter)
    dated = {key: resource for key, resource in every.items() if extract(resource, definition)}
    dropped = sorted(key for key in dated if key not in ge and key not in lt)
    for key in dropped[:3]:
        values = render(extract(dated[key], definition))
        yield failed(
            f"{key} has {parameter} {values} but is returned by neither {above} nor {below}: every date is at or after {value}, "
            f"or before it, so one of the two must find it",
            exchange=interaction.first.id,
        )
    if len(dropped) > 3:
        yield failed(f"and {len(dropped) - 3} more {resource_type} with a {parameter} found by neither", exchange=interaction.first.id)
    yield from _overlap(ge, lt, resource_type, above, below, value, related, interaction.first.id)
    if not dropped:
        both = len(set(ge) & set(lt))
        yield passed(
            f"{len(dated)} {resource_type} with a {parameter}, split at {value}: {len(ge)} by ge, {len(lt)} by lt, {both} by both",
            exchange=interaction.first.id,
        )


def _overlap(
    ge: Mapping[str, dict[str, Any]],
    lt: Mapping[str, dict[str, Any]],
    resource_type: str,
    above: str,
    below: str,
    value: str,
    related: Sequence[Mapping[str, Any]],
    exchange: str,
) -> Iterator[Finding]:
    """A match of both ge X and lt X must satisfy both (the oracle decides from the record, stating the ranges)."""
    resolve = {f"{r.get('resourceType')}/{r.get('id')}": r for r in related}.get
    for key in sorted(set(ge) & set(lt)):
        decisions = [
            matches_search(ge[key], parse_search(resource_type, [(name, text)]), resolve=resolve)
            for name, _, text in (above.partition("="), below.partition("="))
        ]
        if any(decision.outcome is Decided.NO_MATCH for decision in decisions):
            reason = next(d.reason for d in decisions if d.outcome is Decided.NO_MATCH)
            yield failed(f"{key} is returned by both {above} and {below}, but it does not satisfy both: {reason}", exchange=exchange)
        elif any(decision.outcome is Decided.UNKNOWN for decision in decisions):
            reason = next(d.reason for d in decisions if d.outcome is Decided.UNKNOWN)
            yield unjudged(f"{key} is returned by both {above} and {below}; whether it satisfies both could not be judged: {reason}", exchange=exchange)
        elif any(decision.outcome is Decided.UNDECIDABLE for decision in decisions):
            reason = next(d.reason for d in decisions if d.outcome is Decided.UNDECIDABLE)
            yield warned(f"{key} is returned by both {above} and {below}, which STU3 leaves to the server: {reason}", exchange=exchange)


@check(
    description="Two searches that must give the same result set do (same criteria by GET and POST _search, at any _count, asked twice, or with a parameter the server ignores).",
    requirements=("FHIR-SEARCH-CONSISTENT",),
)
def same_results(interaction: Interaction, *, other: Interaction, relation: str, explored: str = "") -> Iterator[Finding]:
    return _told(_same_results(interaction, other, relation), explored)


@check(
    description="Adding a criterion to a search only narrows it: every match of the longer search is a match of the shorter one.",
    requirements=("FHIR-SEARCH-SEMANTICS",),
)
def narrower_results(interaction: Interaction, *, wider: Interaction, explored: str = "") -> Iterator[Finding]:
    return _told(_narrower_results(interaction, wider), explored)


@check(
    description=(
        "A date parameter splits a search at any date X: every match with a value is returned by ge X or by lt X, only matches of the whole search "
        "are, and a match returned by both satisfies both (the oracle decides, stating the ranges compared)."
    ),
    requirements=("FHIR-SEARCH-SEMANTICS", "FHIR-SEARCH-COMPLETE"),
)
def date_split(
    interaction: Interaction,
    *,
    lower: Interaction,
    whole: Interaction,
    parameter: str,
    value: str,
    related: Sequence[Mapping[str, Any]] = (),
    explored: str = "",
) -> Iterator[Finding]:
    return _told(_date_split(interaction, lower, whole, parameter, value, related), explored)


@check(
    description="Every resource a generated search returns satisfies every criterion under STU3 rules (the search oracle decides).",
    requirements=("FHIR-SEARCH-SEMANTICS",),
)
def generated_search_sound(
    interaction: Interaction,
    *,
    resource_type: str,
    related: Sequence[dict[str, Any]] = (),
    resolved: Sequence[dict[str, Any]] = (),
    explored: str = "",
) -> Iterator[Finding]:
    return _told(search_sound(interaction, resource_type=resource_type, related=related, resolved=resolved), explored)
