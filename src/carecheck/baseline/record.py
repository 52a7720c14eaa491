"""Recording a baseline from a run a person has accepted: every search its checks judged, with the ids it
matched (every page) and its Bundle.total, read from the evidence pack alone.

Left out, and said so in the file: searches whose answer depends on more than the data (an `ap` date, whose
margin STU3 ties to today), searches the security scenarios made with other credentials, the property suite's
generated searches (they change with `--hypothesis-seed`), searches not answered 200 with a searchset, and a
search that matched differently in two places of the same run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from carecheck import __version__
from carecheck.baseline.pins import Baseline, Pin, pinned_search
from carecheck.checks.baseline import search_answer
from carecheck.errors import EvidenceError
from carecheck.evidence import Pack, ScenarioRecord, read_pack, verify
from carecheck.http import Exchange

__all__ = ["record_baseline"]

_NOT_PINNED_AREAS: Mapping[str, str] = {
    "security": "the security scenarios' searches (made with other credentials, or none)",
    "properties": "the property suite's generated searches (they change with --hypothesis-seed)",
}
_TODAY_DEPENDENT = re.compile(r"^ap\d{4}")
_INTERACTION_KEYS = frozenset({"kind", "resource_type", "exchanges"})


@dataclass(frozen=True)
class _Seen:
    search: str
    ids: tuple[str, ...]
    total: int | None
    complete: bool
    scenario: str


def record_baseline(report_dir: Path, *, owner: str, reason: str, recorded: str) -> Baseline:
    """The baseline of the run in `report_dir`; EvidenceError for a pack that is altered or incomplete."""
    pack = read_pack(report_dir)
    verification = verify(report_dir)
    if verification.problems:
        raise EvidenceError(f"{report_dir} does not match its manifest ({verification.describe()}): not a run to accept")
    if not pack.complete:
        raise EvidenceError(f"{report_dir} is an interrupted run: not a run to accept")
    base_url = str((pack.run.get("target") or {}).get("base_url") or "")
    if not base_url.startswith("http"):
        raise EvidenceError(f"{report_dir}/run.json names no base URL the run's searches were sent to")
    seen: dict[str, _Seen] = {}
    left_out: Counter[str] = Counter()
    unsettled: set[str] = set()
    for scenario in pack.scenarios:
        if scenario.area in _NOT_PINNED_AREAS:
            left_out[_NOT_PINNED_AREAS[scenario.area]] += sum(1 for _ in _searches(scenario))
            continue
        exchanges = _by_id(pack, scenario)
        for data in _searches(scenario):
            found = _seen(scenario, [exchanges.get(str(i)) for i in data["exchanges"]], base_url)
            if isinstance(found, str):
                left_out[found] += 1
            elif found.search in seen and (seen[found.search].ids, seen[found.search].total) != (found.ids, found.total):
                unsettled.add(found.search)
            else:
                seen.setdefault(found.search, found)
    for search in sorted(unsettled):
        del seen[search]
        left_out[f"{search}: matched differently in two scenarios of the run"] += 1
    target = pack.run.get("target") or {}
    return Baseline(
        owner=owner,
        reason=reason,
        pins=tuple(_pin(found) for found in seen.values()),
        target=str(target.get("name")) if target.get("name") else None,
        recorded=recorded,
        from_run=str(report_dir),
        harness_version=__version__,
        left_out=tuple(f"{count} × {why}" for why, count in sorted(left_out.items())),
    )


def _pin(found: _Seen) -> Pin:
    if found.complete:
        return Pin(found.search, ids=found.ids, total=found.total, scenario=found.scenario)
    return Pin(found.search, at_least=found.ids, reason="the run did not follow every page", scenario=found.scenario)


def _searches(scenario: ScenarioRecord) -> Iterator[Mapping[str, Any]]:
    """Every search interaction a judgement of the scenario names (each once), as its recorded data."""
    named: set[tuple[str, ...]] = set()
    for judgement in scenario.judgements:
        candidates = [judgement.get("interaction"), *(judgement.get("arguments") or {}).values()]
        for data in candidates:
            if isinstance(data, dict) and set(data) == _INTERACTION_KEYS and data.get("kind") == "search" and data.get("exchanges"):
                key = tuple(str(i) for i in data["exchanges"])
                if key not in named:
                    named.add(key)
                    yield data


def _by_id(pack: Pack, scenario: ScenarioRecord) -> dict[str, Exchange]:
    """The scenario's exchanges by id; an id recorded twice is left out (it cannot be told apart)."""
    records = [record.exchange for record in pack.exchanges(scenario)]
    counts = Counter(exchange.id for exchange in records)
    return {exchange.id: exchange for exchange in records if counts[exchange.id] == 1}


def _seen(scenario: ScenarioRecord, pages: Sequence[Exchange | None], base_url: str) -> _Seen | str:
    """What one recorded search matched, or why it is not pinned."""
    first = pages[0]
    if first is None or any(page is None for page in pages):
        return "searches whose exchanges the pack does not hold"
    url = httpx.URL(first.request.url)
    resource_type = url.path.rstrip("/").rsplit("/", 1)[-1]
    if first.request.method != "GET" or not url.path.rstrip("/").startswith(httpx.URL(base_url).path.rstrip("/")):
        return "searches by POST _search or outside the base URL"
    params = url.params.multi_items()
    if any(_TODAY_DEPENDENT.match(value) for _, value in params):
        return "searches with the ap prefix (STU3 ties its margin to today, so the answer changes day by day)"
    answer = search_answer([page for page in pages if page is not None])
    if isinstance(answer, str):
        return "searches not answered 200 with a searchset Bundle"
    ids, total, more = answer
    return _Seen(pinned_search(resource_type, params, base_url), tuple(sorted(set(ids))), total, not more, scenario.id)
