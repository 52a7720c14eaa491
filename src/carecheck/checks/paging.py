"""Checks on paged search results: page sizes, links that resolve and do not loop, and nothing lost."""

from __future__ import annotations

from collections.abc import Iterator

from carecheck.checks.bundle import search_pages
from carecheck.checks.finding import Finding, failed, passed
from carecheck.checks.registry import check
from carecheck.checks.search import matches
from carecheck.http import Interaction

__all__ = ["page_size", "paging_links", "same_matches"]


@check(description="No page of a search holds more matches than the _count asked for.", requirements=("CC-SEARCH-PAGING",))
def page_size(interaction: Interaction, *, count: int) -> Iterator[Finding]:
    for exchange, bundle, _ in search_pages(interaction):
        if bundle is None:
            continue
        entries = [e for e in bundle.get("entry") or [] if isinstance(e, dict) and (e.get("search") or {}).get("mode", "match") == "match"]
        if len(entries) > count:
            yield failed(f"a page holds {len(entries)} matches although _count={count} was asked", exchange=exchange, pointer="/entry")
            return
    yield passed(f"every page holds at most {count} matches", exchange=interaction.first.id)


@check(
    description="Every page a search links to answers 200 with a searchset, and no next link leads back to a page already seen.",
    requirements=("CC-SEARCH-PAGING",),
)
def paging_links(interaction: Interaction) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for exchange in interaction.exchanges:
        seen.setdefault(exchange.request.url, exchange.id)
        if exchange.response is None or exchange.response.status != 200:
            status = exchange.response.status if exchange.response else f"no response ({exchange.error})"
            yield failed(f"page {exchange.request.url} answered {status}", exchange=exchange.id)
            return
    *_, (last_id, last, _) = search_pages(interaction)
    links = [link for link in (last or {}).get("link") or [] if isinstance(link, dict) and link.get("relation") == "next"]
    following = str(links[0].get("url")) if links else None
    if following is not None and following in seen:
        yield failed(f"the next link of page {last_id} leads back to page {seen[following]} ({following}): the pages loop", exchange=last_id, pointer="/link")
        return
    yield passed(f"{len(interaction.exchanges)} page(s) followed, every link answered 200", exchange=interaction.first.id)


@check(
    description="Paging does not change the result: the same search in pages returns the same matches as in one page.",
    requirements=("CC-SEARCH-PAGING",),
)
def same_matches(interaction: Interaction, *, baseline: Interaction) -> Iterator[Finding]:
    paged = {f"{r.get('resourceType')}/{r.get('id')}" for _, _, r in matches(interaction)}
    whole = {f"{r.get('resourceType')}/{r.get('id')}" for _, _, r in matches(baseline)}
    lost, extra = sorted(whole - paged), sorted(paged - whole)
    if lost:
        yield failed(f"{len(lost)} match(es) of the unpaged search are missing from the pages: {', '.join(lost[:5])}", exchange=interaction.first.id)
    if extra:
        yield failed(f"the pages hold {len(extra)} match(es) the unpaged search did not return: {', '.join(extra[:5])}", exchange=interaction.first.id)
    if not lost and not extra:
        yield passed(f"the {len(paged)} match(es) are the same paged and unpaged", exchange=interaction.first.id)
