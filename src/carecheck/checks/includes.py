"""Checks on `_include` and `_revinclude`: the referenced (or referring) resources come back, marked `include`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from carecheck.checks.bundle import search_pages
from carecheck.checks.finding import Finding, failed, passed, unjudged
from carecheck.checks.registry import check
from carecheck.checks.search import matches
from carecheck.http import Interaction
from carecheck.search import default_registry
from carecheck.search.oracle import extract

__all__ = ["include_resolved", "revinclude_contains"]


def _included(interaction: Interaction) -> set[str]:
    found: set[str] = set()
    for _, bundle, _ in search_pages(interaction):
        for entry in (bundle or {}).get("entry") or []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            search = entry.get("search") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and isinstance(search, dict) and search.get("mode") == "include":
                found.add(f"{resource.get('resourceType')}/{resource.get('id')}")
    return found


def _target(reference: str) -> str:
    """`Medication/7` from a relative or absolute reference (history suffix dropped)."""
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:])


@check(
    description="With _include=Source:param, every resource the matches refer to through param is in the Bundle, marked search.mode=include.",
    requirements=("CC-SEARCH-INCLUDE",),
)
def include_resolved(interaction: Interaction, *, include: str) -> Iterator[Finding]:
    source, _, rest = include.partition(":")
    name, _, only = rest.partition(":")
    parameter = default_registry().parameter(source, name)
    referenced: set[str] = set()
    for _, _, resource in matches(interaction):
        if resource.get("resourceType") != source:
            continue
        for element in extract(resource, parameter):
            reference = element.get("reference") if isinstance(element, dict) else None
            if isinstance(reference, str) and not reference.startswith("#") and "/" in reference:
                referenced.add(_target(reference))
    if only:
        referenced = {r for r in referenced if r.startswith(f"{only}/")}
    if not referenced:
        yield unjudged(f"no match refers to anything through {name}, so _include={include} could not be judged", exchange=interaction.first.id)
        return
    missing = sorted(referenced - _included(interaction))
    if missing:
        yield failed(
            f"_include={include}: {len(missing)} referenced resource(s) are not in the Bundle as includes: {', '.join(missing[:5])}",
            exchange=interaction.first.id,
        )
    else:
        yield passed(f"_include={include}: all {len(referenced)} referenced resource(s) included", exchange=interaction.first.id)


@check(
    description="With _revinclude, the known records that refer to the matches are in the Bundle, marked search.mode=include.",
    requirements=("CC-SEARCH-INCLUDE",),
)
def revinclude_contains(interaction: Interaction, *, resources: Sequence[dict[str, Any]]) -> Iterator[Finding]:
    if not resources:
        yield unjudged("no known record refers to the matches, so _revinclude could not be judged", exchange=interaction.first.id)
        return
    wanted = {f"{r.get('resourceType')}/{r.get('id')}" for r in resources}
    missing = sorted(wanted - _included(interaction))
    if missing:
        yield failed(f"{len(missing)} known record(s) referring to the matches are not included: {', '.join(missing[:5])}", exchange=interaction.first.id)
    else:
        yield passed(f"all {len(wanted)} known record(s) referring to the matches are included", exchange=interaction.first.id)
