"""Whether an answer is the server clearly saying it does not support what was asked.

A server may refuse an optional search form it does not implement (STU3's own example, OperationOutcome
`searchfail`: "The "name" parameter has the modifier "exact" which is not supported by this server"). Such a
refusal is a 4xx (or 501 Not Implemented, RFC 9110 §15.6.2) with an OperationOutcome whose error issue has
the type `not-supported` or says in words that something is not supported. Anything less clear (a bare 400,
an HTML page, a 5xx) is not a statement of support and is judged as it stands.

Or it may ignore the parameter ("servers SHOULD ignore unknown or unsupported parameters", STU3 search.html)
and say so in the searchset's self link, which holds "the parameters that were actually used to process the
search". A self link that leaves out a parameter that was sent is that statement; no self link says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange

__all__ = ["REFUSING_STATUSES", "left_out", "unsupported"]

REFUSING_STATUSES = frozenset({400, 404, 405, 422, 501})
"""Statuses with which a server may refuse what it does not support (401, 403 and 429 mean something else)."""

_SAYS_UNSUPPORTED = re.compile(
    r"not\s+(be\s+)?supported|unsupported|not\s+implemented|does\s+not\s+support|do\s+not\s+support|"
    r"cannot\s+be\s+handled|does\s+not\s+know\s+how\s+to\s+handle",
    re.IGNORECASE,
)


def unsupported(exchange: Exchange) -> str | None:
    """`400, OperationOutcome not-supported: "…"` when the answer clearly refuses the request as unsupported, else None."""
    if exchange.status not in REFUSING_STATUSES:
        return None
    try:
        outcome = parse_resource(exchange)
    except BodyError:
        return None
    if outcome.get("resourceType") != "OperationOutcome" or not isinstance(outcome.get("issue"), list):
        return None
    for issue in outcome["issue"]:
        if not isinstance(issue, dict) or issue.get("severity") not in ("error", "fatal"):
            continue
        given = issue.get("details")
        details = given if isinstance(given, dict) else {}
        text = " ".join(str(part) for part in (issue.get("diagnostics"), details.get("text")) if part)
        if issue.get("code") == "not-supported" or _SAYS_UNSUPPORTED.search(text):
            said = f': "{text[:200]}"' if text else ""
            return f"{exchange.status}, OperationOutcome {issue.get('code')}{said}"
    return None


def left_out(exchange: Exchange, sent: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], str]:
    """The pairs of `sent` whose parameter a 200 searchset's self link leaves out, and the self link; nothing when the
    answer has no self link. A parameter the link keeps with another value or modifier (`ge` read as `gt`, `name` as
    `name:exact`) was not ignored but misread, and is judged as it stands."""
    if exchange.status != 200:
        return [], ""
    try:
        bundle = parse_resource(exchange)
    except BodyError:
        return [], ""
    link = bundle.get("link")
    links = link if bundle.get("resourceType") == "Bundle" and isinstance(link, list) else []
    self_url = next((link["url"] for link in links if isinstance(link, dict) and link.get("relation") == "self" and isinstance(link.get("url"), str)), None)
    if self_url is None:
        return [], ""
    used = {key.split(":")[0] for key, _ in parse_qsl(urlsplit(self_url).query, keep_blank_values=True)}
    return [(key, value) for key, value in sent if key.split(":")[0] not in used], self_url
