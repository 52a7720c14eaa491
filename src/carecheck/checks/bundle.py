"""Checks on search result Bundles: type, paging links, total, duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carecheck.checks.finding import Finding, failed, passed
from carecheck.checks.registry import check
from carecheck.fhir import BodyError, parse_resource, shown
from carecheck.http import Interaction

__all__ = ["search_pages", "searchset_bundle"]


def search_pages(interaction: Interaction) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """Each page of a search as (exchange id, Bundle or None, why not a Bundle)."""
    for exchange in interaction.exchanges:
        try:
            body = parse_resource(exchange)
        except BodyError as error:
            yield exchange.id, None, str(error)
            continue
        if body["resourceType"] != "Bundle":
            yield exchange.id, None, f"the body is a {body['resourceType']}, not a Bundle"
        else:
            yield exchange.id, body, None


def _key(entry: dict[str, Any]) -> str | None:
    resource = entry.get("resource")
    if isinstance(resource, dict) and resource.get("id"):
        return f"{resource.get('resourceType')}/{resource['id']}"
    return entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None


@check(
    description="Every page of a search is a searchset Bundle; across pages nothing repeats and total agrees with the matches.",
    requirements=("CC-SEARCH-BUNDLE", "CC-SEARCH-PAGING"),
)
def searchset_bundle(interaction: Interaction) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    matches = 0
    total: int | None = None
    complete = True
    for exchange, bundle, problem in search_pages(interaction):
        if bundle is None:
            yield failed(f"the search result is not a Bundle: {problem}", exchange=exchange)
            complete = False
            continue
        if bundle.get("type") != "searchset":
            yield failed(f'Bundle.type is {shown(bundle.get("type"))}, expected "searchset"', exchange=exchange, pointer="/type")
        if total is None and isinstance(bundle.get("total"), int):
            total = bundle["total"]
        for index, entry in enumerate(bundle.get("entry") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
                yield failed(f"entry {index} has no resource", exchange=exchange, pointer=f"/entry/{index}")
                continue
            mode = (entry.get("search") or {}).get("mode") if isinstance(entry.get("search"), dict) else None
            if mode not in (None, "match"):
                continue
            matches += 1
            key = _key(entry)
            if key and key in seen:
                yield failed(f"{key} is returned twice (pages {seen[key]} and {exchange})", exchange=exchange, pointer=f"/entry/{index}")
            elif key:
                seen[key] = exchange
    following = _next_link(interaction)
    unfollowed = following is not None
    if following is not None and following not in {e.request.url for e in interaction.exchanges}:
        yield failed(
            f"after {len(interaction.exchanges)} page(s) the search still links to another page that carecheck did not follow "
            f"({following}): a search that pages forever, a next link to another server, or more pages than the limit",
            exchange=interaction.exchanges[-1].id,
            pointer="/link",
        )
    if complete and total is not None and total != matches and not unfollowed:
        yield failed(
            f"Bundle.total is {total} but {matches} matches were returned across {len(interaction.exchanges)} page(s)",
            exchange=interaction.first.id,
            pointer="/total",
        )
    if complete:
        yield passed(f"{matches} match(es) in {len(interaction.exchanges)} searchset page(s)", exchange=interaction.first.id)


def _next_link(interaction: Interaction) -> str | None:
    """The next link of the last page, if it has one (the client stopped following there)."""
    try:
        last = parse_resource(interaction.exchanges[-1])
    except BodyError:
        return None
    links = [link for link in last.get("link") or [] if isinstance(link, dict) and link.get("relation") == "next"]
    return str(links[0].get("url")) if links else None
