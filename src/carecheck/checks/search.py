"""Checks on what a search returned: soundness by the search oracle, and completeness against known data.

What the oracle cannot judge (a chained criterion whose referenced record was not read, a terminology
modifier, a value it cannot read) is an `unjudged` finding, never a pass. `resolved` are the reads of
referenced records the run made for judging (see `carecheck.run.references`): status, resource, evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

from carecheck.checks.bundle import search_pages
from carecheck.checks.finding import Finding, failed, passed, unjudged, warned
from carecheck.checks.registry import check
from carecheck.http import Interaction
from carecheck.search import Outcome as Decided
from carecheck.search import Resolver, Search, SearchSyntaxError, default_registry, matches_search, parse_search

__all__ = [
    "matches",
    "refused",
    "search_agrees_on_known",
    "search_complete",
    "search_excludes",
    "search_includes",
    "search_match_count",
    "search_sound",
    "searched",
]


def searched(interaction: Interaction) -> str:
    """The query the scenario sent, as readable text (`family=MEAKIN&birthdate=lt1927`)."""
    url = httpx.URL(interaction.first.request.url)
    return "&".join(f"{key}={value}" for key, value in url.params.multi_items()) or "(no criteria)"


def refused(interaction: Interaction) -> str | None:
    """Why a search counts as declined by the server's choice (400, 403 or 422: it may require a patient), or None."""
    status = interaction.first.status
    if status not in (400, 403, 422):
        return None
    return f"the server declines {interaction.resource_type}?{searched(interaction)} (it answered {status}): it may require a patient"


def matches(interaction: Interaction) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every entry returned as a match, across pages: (exchange id, JSON pointer, resource)."""
    return _matches(interaction)


def _matches(interaction: Interaction) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every entry returned as a match, across pages: (exchange id, JSON pointer, resource)."""
    for exchange, bundle, _ in search_pages(interaction):
        for index, entry in enumerate((bundle or {}).get("entry") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
                continue
            search = entry.get("search")
            mode = search.get("mode") if isinstance(search, dict) else None
            if mode in (None, "match"):
                yield exchange, f"/entry/{index}/resource", entry["resource"]


def _not_bundles(interaction: Interaction) -> Iterator[Finding]:
    for exchange, bundle, problem in search_pages(interaction):
        if bundle is None:
            yield failed(f"the search result is not a Bundle: {problem}", exchange=exchange)


def _judgeable(interaction: Interaction, resource_type: str) -> tuple[Search | None, list[Finding]]:
    """The search to judge the results against, or the findings that say why they cannot be judged."""
    problems = list(_not_bundles(interaction))
    if problems:
        return None, problems
    try:
        return parse_search(resource_type, httpx.URL(interaction.first.request.url).params.multi_items()), []
    except SearchSyntaxError as error:
        return None, [unjudged(f"not judged: {searched(interaction)} is not a valid STU3 search ({error})", exchange=interaction.first.id)]


def _label(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _resolver(interaction: Interaction, related: Sequence[Mapping[str, Any]], resolved: Sequence[Mapping[str, Any]] = ()) -> Resolver:
    """Resolves `Type/id` for chained criteria from the given records, anything the Bundle itself carries, and
    the records the run read for judging."""
    found = {f"{r.get('resourceType')}/{r.get('id')}": r for r in related}
    for _, bundle, _ in search_pages(interaction):
        for entry in (bundle or {}).get("entry") or []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                found.setdefault(f"{resource.get('resourceType')}/{resource.get('id')}", resource)
    for read in resolved:
        if isinstance(read.get("resource"), dict):
            found.setdefault(str(read.get("reference")), read["resource"])
    return found.get


def _why_unread(reason: str, resolved: Sequence[Mapping[str, Any]]) -> str:
    """What the run's reads say about the references a reason names (`reading Patient/x answered 404 …`)."""
    notes = [
        str(read.get("problem")) + (f" (evidence: {read['evidence']})" if read.get("evidence") else "")
        for read in resolved
        if read.get("problem") and f"{read.get('reference')} " in f"{reason} "
    ]
    return f"; {'; '.join(notes)}" if notes else ""


def _parameter_requirements(search: Search) -> tuple[str, ...]:
    """The requirements a search bears on: each parameter's the guide names, and the combination's when it names it."""
    registry = default_registry()
    names = dict.fromkeys(criterion.name for criterion in search.criteria)
    named = [name for name in names if (levels := registry.conformance(search.resource_type, name)).ig or levels.core]
    found = [registry.requirement_id(search.resource_type, name) for name in named]
    found += [c.requirement_id for c in registry.combinations(search.resource_type) if set(c.parameters) == set(names)]
    return tuple(found)


@check(
    description="Every resource a search returns as a match satisfies every criterion under the STU3 search rules, as decided by carecheck's search oracle.",
    requirements=("FHIR-SEARCH-SEMANTICS",),
)
def search_sound(
    interaction: Interaction, *, resource_type: str, related: Sequence[dict[str, Any]] = (), resolved: Sequence[dict[str, Any]] = ()
) -> Iterator[Finding]:
    first = interaction.first
    query = searched(interaction)
    try:
        search = parse_search(resource_type, httpx.URL(first.request.url).params.multi_items())
    except SearchSyntaxError as error:
        yield unjudged(f"soundness not judged: the query {query} is not a valid STU3 search ({error})", exchange=first.id)
        return
    problems = list(_not_bundles(interaction))
    yield from problems
    requirements = _parameter_requirements(search)
    resolve = _resolver(interaction, related, resolved)
    judged = 0
    for exchange, pointer, resource in _matches(interaction):
        if resource.get("resourceType") != resource_type:
            yield failed(f"{_label(resource)} is returned as a match of a {resource_type} search", exchange=exchange, pointer=pointer)
            continue
        decision = matches_search(resource, search, resolve=resolve)
        judged += 1
        if decision.outcome is Decided.NO_MATCH:
            yield failed(f"{_label(resource)} does not satisfy {query}: {decision.reason}", exchange=exchange, pointer=pointer, requirements=requirements)
        elif decision.outcome is Decided.UNKNOWN:
            why = decision.reason + _why_unread(decision.reason, resolved)
            yield unjudged(f"{_label(resource)} could not be judged against {query}: {why}", exchange=exchange, pointer=pointer, requirements=requirements)
        elif decision.outcome is Decided.UNDECIDABLE:
            yield warned(
                f"{_label(resource)} may or may not match {query}, as STU3 leaves to the server: {decision.reason}", exchange=exchange, pointer=pointer
            )
    if not problems:
        yield passed(f"{judged} returned {resource_type} resource(s) judged against {query}", exchange=first.id, requirements=requirements)


def _unfollowed(interaction: Interaction) -> bool:
    for _, bundle, _ in search_pages(interaction):
        last = bundle
    links = (last or {}).get("link") or []
    return any(isinstance(link, dict) and link.get("relation") == "next" for link in links)


@check(
    description="A resource known to satisfy the search is among its results (every page followed).",
    requirements=("FHIR-SEARCH-COMPLETE",),
)
def search_includes(interaction: Interaction, *, resource_type: str, resource_id: str) -> Iterator[Finding]:
    problems = list(_not_bundles(interaction))
    if problems:
        yield from problems
        return
    wanted = f"{resource_type}/{resource_id}"
    returned = [_label(resource) for _, _, resource in _matches(interaction)]
    first = interaction.first.id
    if wanted in returned:
        yield passed(f"{wanted} is among the {len(returned)} match(es)", exchange=first)
    elif _unfollowed(interaction):
        yield unjudged(f"{wanted} is not in the {len(interaction.exchanges)} page(s) followed, and more pages remain (limits.max_pages)", exchange=first)
    else:
        yield failed(f"{wanted} satisfies {searched(interaction)} but is not among the {len(returned)} match(es) returned", exchange=first)


@check(
    description="A resource known not to satisfy the search is left out of its results.",
    requirements=("FHIR-SEARCH-SEMANTICS",),
)
def search_excludes(interaction: Interaction, *, resource_type: str, resource_id: str) -> Iterator[Finding]:
    problems = list(_not_bundles(interaction))
    if problems:
        yield from problems
        return
    unwanted = f"{resource_type}/{resource_id}"
    for exchange, pointer, resource in _matches(interaction):
        if _label(resource) == unwanted:
            yield failed(f"{unwanted} does not satisfy {searched(interaction)} but was returned", exchange=exchange, pointer=pointer)
            return
    yield passed(f"{unwanted} is not among the results", exchange=interaction.first.id)


@check(
    description="A search returns exactly the expected number of matches of the type (e.g. none for a value nobody has).",
    requirements=("FHIR-SEARCH-SEMANTICS",),
)
def search_match_count(interaction: Interaction, *, resource_type: str, expected: int) -> Iterator[Finding]:
    problems = list(_not_bundles(interaction))
    if problems:
        yield from problems
        return
    found = [_label(r) for _, _, r in _matches(interaction) if r.get("resourceType") == resource_type]
    if len(found) == expected:
        yield passed(f"{len(found)} {resource_type} match(es), as expected", exchange=interaction.first.id)
    else:
        listed = ", ".join(found[:5]) + (" ..." if len(found) > 5 else "")
        yield failed(f"expected {expected} {resource_type} match(es) for {searched(interaction)}, got {len(found)}: {listed}", exchange=interaction.first.id)


@check(
    description="A known record is returned exactly when the oracle, judging the record itself, says it satisfies the search (found if it matches, left out if not).",
    requirements=("FHIR-SEARCH-COMPLETE", "FHIR-SEARCH-SEMANTICS"),
)
def search_agrees_on_known(
    interaction: Interaction, *, resource: dict[str, Any], related: Sequence[dict[str, Any]] = (), resolved: Sequence[dict[str, Any]] = ()
) -> Iterator[Finding]:
    search, problems = _judgeable(interaction, str(resource.get("resourceType")))
    if search is None:
        yield from problems
        return
    first = interaction.first
    query = searched(interaction)
    decision = matches_search(resource, search, resolve=_resolver(interaction, related, resolved))
    label = _label(resource)
    returned = any(_label(r) == label for _, _, r in _matches(interaction))
    requirements = _parameter_requirements(search)
    if decision.outcome is Decided.UNKNOWN:
        why = decision.reason + _why_unread(decision.reason, resolved)
        yield unjudged(
            f"{label} {'was' if returned else 'was not'} returned; whether it should be could not be judged: {why}",
            exchange=first.id,
            requirements=requirements,
        )
    elif decision.outcome is Decided.UNDECIDABLE:
        yield warned(
            f"{label} {'was' if returned else 'was not'} returned; STU3 leaves to the server whether it should be: {decision.reason}", exchange=first.id
        )
    elif decision.outcome is Decided.MATCH and returned:
        yield passed(f"{label} satisfies {query} and was returned", exchange=first.id, requirements=requirements)
    elif decision.outcome is Decided.MATCH and _unfollowed(interaction):
        yield unjudged(f"{label} satisfies {query} but is not in the pages followed, and more pages remain (limits.max_pages)", exchange=first.id)
    elif decision.outcome is Decided.MATCH:
        yield failed(f"{label} satisfies {query} ({decision.reason}) but was not returned", exchange=first.id, requirements=requirements)
    elif returned:
        yield failed(f"{label} does not satisfy {query} ({decision.reason}) but was returned", exchange=first.id, requirements=requirements)
    else:
        yield passed(f"{label} does not satisfy {query} and was left out", exchange=first.id, requirements=requirements)


@check(
    description="Every record of a broader search (e.g. all of the known patient's) that the oracle says satisfies the search is among its results (every page followed).",
    requirements=("FHIR-SEARCH-COMPLETE",),
)
def search_complete(interaction: Interaction, *, broader: Interaction, resource_type: str, related: Sequence[dict[str, Any]] = ()) -> Iterator[Finding]:
    search, problems = _judgeable(interaction, resource_type)
    if search is None:
        yield from problems
        return
    first = interaction.first
    query = searched(interaction)
    candidates = [r for _, _, r in _matches(broader) if r.get("resourceType") == resource_type]
    if list(_not_bundles(broader)) or not candidates:
        yield unjudged(f"completeness not judged: the broader search {searched(broader)} gave no {resource_type} to judge", exchange=broader.first.id)
        return
    returned = {_label(r) for _, _, r in _matches(interaction)}
    resolve = _resolver(interaction, related)
    wanted = undecided = 0
    missing: list[str] = []
    unread: list[str] = []
    for resource in candidates:
        decision = matches_search(resource, search, resolve=resolve)
        if decision.outcome is Decided.UNKNOWN:
            unread.append(f"{_label(resource)} ({decision.reason})")
        elif decision.outcome is Decided.UNDECIDABLE:
            undecided += 1
        elif decision.outcome is Decided.MATCH:
            wanted += 1
            if _label(resource) not in returned:
                missing.append(f"{_label(resource)} ({decision.reason})")
    requirements = _parameter_requirements(search)
    of = f"of the {len(candidates)} {resource_type} records {searched(broader)} found"
    if missing and _unfollowed(interaction):
        yield unjudged(f"{len(missing)} {of} satisfy {query} but are not in the pages followed, and more pages remain (limits.max_pages)", exchange=first.id)
    elif missing:
        listed = "; ".join(missing[:5]) + (f"; and {len(missing) - 5} more" if len(missing) > 5 else "")
        yield failed(f"{len(missing)} {of} satisfy {query} but were not returned: {listed}", exchange=first.id, requirements=requirements)
    else:
        note = f"; STU3 leaves {undecided} to the server" if undecided else ""
        yield passed(f"all {wanted} {of} that satisfy {query} were returned{note}", exchange=first.id, requirements=requirements)
    if unread:
        yield unjudged(f"{len(unread)} {of} could not be judged against {query}: {'; '.join(unread[:3])}", exchange=first.id, requirements=requirements)
