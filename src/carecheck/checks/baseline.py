"""The baseline check: every pinned search, asked again, returns what its pin says (a readable diff when not).

A pin is a target-specific expectation, not a conformance rule: its findings name only CARECHECK-BASELINE, so a
conformant server holding other data fails that requirement and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from carecheck.checks.finding import Finding, failed, passed, unjudged
from carecheck.checks.registry import check
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, Interaction

__all__ = ["baseline_holds", "search_answer"]

_SHOWN = 8


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


def search_answer(pages: Sequence[Exchange]) -> tuple[list[str], int | None, bool] | str:
    """(matched ids in order, Bundle.total of the first page, more pages remain) of a search, or what was wrong with it."""
    ids: list[str] = []
    total: int | None = None
    last: Mapping[str, Any] = {}
    for number, page in enumerate(pages):
        if page.status != 200:
            return f"answered {page.status if page.response else page.error}"
        try:
            bundle = parse_resource(page)
        except BodyError as error:
            return f"answered no Bundle: {error}"
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "searchset":
            return f"answered a {bundle.get('resourceType')} ({bundle.get('type')}), not a searchset Bundle"
        if number == 0 and isinstance(bundle.get("total"), int) and not isinstance(bundle.get("total"), bool):
            total = bundle["total"]
        for entry in bundle.get("entry") or []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            search = entry.get("search") if isinstance(entry, dict) else None
            mode = search.get("mode") if isinstance(search, dict) else None
            if isinstance(resource, dict) and mode in (None, "match"):
                ids.append(f"{resource.get('resourceType')}/{resource.get('id')}")
        last = bundle
    more = any(isinstance(link, dict) and link.get("relation") == "next" for link in last.get("link") or [])
    return ids, total, more


def _differences(pin: Mapping[str, Any], ids: list[str], total: int | None) -> list[str]:
    got = set(ids)
    found: list[str] = []
    wanted = pin.get("ids") if pin.get("ids") is not None else pin.get("at_least")
    if wanted is not None:
        disappeared = sorted(set(wanted) - got)
        appeared = sorted(got - set(wanted)) if pin.get("ids") is not None else []
        if appeared:
            found.append(f"{len(appeared)} appeared: {_listed(appeared)}")
        if disappeared:
            found.append(f"{len(disappeared)} disappeared: {_listed(disappeared)}")
    if pin.get("count") is not None and len(got) != pin["count"]:
        found.append(f"{len(got)} matches where {pin['count']} are pinned")
    if pin.get("total") is not None and total != pin["total"]:
        found.append(f"Bundle.total is {total if total is not None else '(absent)'} where {pin['total']} is pinned")
    return found


@check(
    description="Every search the target's baseline pins returns, on the known dataset, exactly the pinned ids (or at least them), the pinned count and total.",
    requirements=("CARECHECK-BASELINE",),
)
def baseline_holds(interaction: Interaction, *, pins: Sequence[Mapping[str, Any]], pinned_by: str) -> Iterator[Finding]:
    exchanges = {exchange.id: exchange for exchange in interaction.exchanges}
    held = 0
    for pin in pins:
        pages = [exchanges[i] for i in pin.get("exchanges") or () if i in exchanges]
        if not pages:
            yield unjudged(f"{pin['search']} was not asked again: not judged", exchange=interaction.first.id)
            continue
        answer = search_answer(pages)
        if isinstance(answer, str):
            yield failed(f"the pinned search {pin['search']} {answer} (pinned by {pinned_by})", exchange=pages[0].id)
            continue
        ids, total, more = answer
        found = _differences(pin, ids, total)
        if found and more:
            yield unjudged(f"the pinned search {pin['search']} has more pages than were followed (limits.max_pages): {'; '.join(found)}", exchange=pages[0].id)
        elif found:
            yield failed(f"the pinned search {pin['search']} changed: {'; '.join(found)} (pinned by {pinned_by})", exchange=pages[0].id)
        else:
            held += 1
    if held == len(pins):
        yield passed(f"all {held} pinned search(es) return what the baseline pins (pinned by {pinned_by})", exchange=interaction.first.id)
    elif held:
        yield passed(f"{held} of {len(pins)} pinned searches return what the baseline pins", exchange=interaction.first.id)
