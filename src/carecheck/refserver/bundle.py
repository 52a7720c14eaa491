"""Searchset Bundles: the page of matches, what they include, the total, and self/first/previous/next/last links.

Paging is by offset: every link repeats the search's criteria with ``_count`` and ``_offset``, so
following a link is simply running the search again at another offset. The data is read-only,
so pages never shift under a client walking them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["page_links", "searchset", "searchset_json"]

_Stored = tuple[str, str, str]
"""A resource as the store holds it: type, id and JSON text (``carecheck.refserver.store.Stored``)."""


def page_links(search_url: str, params: Sequence[tuple[str, str]], *, count: int, offset: int, total: int) -> list[dict[str, str]]:
    """Bundle links for the page of ``count`` from ``offset`` of a search at ``search_url`` with ``params``."""

    def link(relation: str, at: int) -> dict[str, str]:
        paging = [("_count", str(count))] + ([("_offset", str(at))] if at else [])
        query = urlencode([*params, *paging], quote_via=quote, safe=":/,")
        return {"relation": relation, "url": f"{search_url}?{query}"}

    links = [link("self", offset)]
    if count == 0:
        return links
    last = max(total - 1, 0) // count * count
    links.append(link("first", 0))
    if offset > 0:
        links.append(link("previous", max(min(offset - count, last), 0)))
    if offset + count < total:
        links.append(link("next", offset + count))
    links.append(link("last", last))
    return links


def searchset(
    *,
    base_url: str,
    total: int,
    links: Sequence[Mapping[str, str]],
    matches: Sequence[Mapping[str, Any]],
    included: Sequence[Mapping[str, Any]] = (),
    outcome: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A searchset of ``matches`` and ``included`` (served under ``base_url``), and an optional OperationOutcome."""
    entries: list[dict[str, Any]] = []
    if outcome is not None:
        entries.append({"fullUrl": f"urn:uuid:{outcome['id']}", "resource": outcome, "search": {"mode": "outcome"}})
    entries.extend(_entry(base_url, resource, "match") for resource in matches)
    entries.extend(_entry(base_url, resource, "include") for resource in included)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": datetime.now(UTC).isoformat(timespec="milliseconds")},
        "type": "searchset",
        "total": total,
    }
    if links:
        bundle["link"] = list(links)
    if entries:
        bundle["entry"] = entries
    return bundle


def searchset_json(
    *,
    base_url: str,
    total: int,
    links: Sequence[Mapping[str, str]],
    matches: Sequence[_Stored],
    included: Sequence[_Stored] = (),
    outcome: Mapping[str, Any] | None = None,
) -> str:
    """``searchset`` as compact FHIR JSON, for resources the store holds as JSON text.

    Each resource's text goes in as it is, never parsed and written again: the result is, byte for byte,
    what ``json.dumps(searchset(...), ensure_ascii=False, separators=(",", ":"))`` gives for them parsed.
    """
    shell = searchset(base_url=base_url, total=total, links=links, matches=(), outcome=outcome)
    entries = shell.pop("entry", [])
    written = [_dumps(entry) for entry in entries]
    for mode, found in (("match", matches), ("include", included)):
        written += [f'{{"fullUrl":{_dumps(f"{base_url}/{kind}/{key}")},"resource":{body},"search":{{"mode":"{mode}"}}}}' for kind, key, body in found]
    text = _dumps(shell)
    return f'{text[:-1]},"entry":[{",".join(written)}]}}' if written else text


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _entry(base_url: str, resource: Mapping[str, Any], mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }
