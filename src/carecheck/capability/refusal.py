"""Whether an answer is the server clearly saying it does not support what was asked.

A server may refuse an optional search form it does not implement (STU3's own example, OperationOutcome
`searchfail`: "The "name" parameter has the modifier "exact" which is not supported by this server"). Such a
refusal is a 4xx (or 501 Not Implemented, RFC 9110 §15.6.2) with an OperationOutcome whose error issue has
the type `not-supported` or says in words that something is not supported. Anything less clear (a bare 400,
an HTML page, a 5xx) is not a statement of support and is judged as it stands.
"""

from __future__ import annotations

import re

from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange

__all__ = ["REFUSING_STATUSES", "unsupported"]

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
        details = issue.get("details") if isinstance(issue.get("details"), dict) else {}
        text = " ".join(str(part) for part in (issue.get("diagnostics"), details.get("text")) if part)
        if issue.get("code") == "not-supported" or _SAYS_UNSUPPORTED.search(text):
            said = f': "{text[:200]}"' if text else ""
            return f"{exchange.status}, OperationOutcome {issue.get('code')}{said}"
    return None
