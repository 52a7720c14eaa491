"""Checks on error handling: that a request the server must refuse is refused with the status the target's
expectations name, and that every 4xx or 5xx answer explains itself with a valid OperationOutcome.

STU3 http.html: "If the search fails ... the return value is a status code 4xx or 5xx with an OperationOutcome".
With the NHS Spine convention (`expectations.error_codes: spine`) each error issue also carries a
`details.coding` from the Spine error code system (profile Spine-OperationOutcome-1).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from carecheck.checks.finding import Finding, failed, passed
from carecheck.checks.properties import result_keys
from carecheck.checks.registry import check
from carecheck.fhir import JSON_MEDIA_TYPES, XML_MEDIA_TYPES, BodyError, parse_resource, shown
from carecheck.http import Exchange, Interaction
from carecheck.project import data_path

__all__ = ["SPINE_ERROR_CODES", "error_problems", "explained_errors", "handled_as_expected", "no_server_error", "refused", "said", "spine_error_codes"]

SPINE_ERROR_CODES = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1"
"""The NHS Spine error and warning code system (STU3-FHIR-Assets, version 1.7.0)."""

_SEVERITIES = frozenset({"fatal", "error", "warning", "information"})
# STU3 IssueType (http://hl7.org/fhir/issue-type), children included.
_ISSUE_TYPES = frozenset(
    {"invalid", "structure", "required", "value", "invariant", "security", "login", "unknown", "expired", "forbidden",
     "suppressed", "processing", "not-supported", "duplicate", "not-found", "too-long", "code-invalid", "extension",
     "too-costly", "business-rule", "conflict", "incomplete", "transient", "lock-error", "no-store", "exception",
     "timeout", "throttled", "informational"}
)  # fmt: skip


@functools.cache
def spine_error_codes() -> Mapping[str, str]:
    """The Spine error codes and their displays, from `data/careconnect/spine-error-codes.csv`."""
    with data_path("careconnect", "spine-error-codes.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["display"] for row in csv.DictReader(handle)}


def _setting(setting: str) -> str:
    return f" ({setting})" if setting else ""


def said(exchange: Exchange) -> str:
    """What an error body said, for messages: the OperationOutcome's diagnostics, if it has any."""
    try:
        body = parse_resource(exchange)
    except BodyError:
        return ""
    issues = body.get("issue") if body.get("resourceType") == "OperationOutcome" else None
    texts = [str(i.get("diagnostics") or i.get("code")) for i in issues or [] if isinstance(i, dict)]
    return f"; the server said: {'; '.join(texts)[:200]}" if texts else ""


@check(
    description="A request the server must refuse is refused with the status the target's expectations name, never accepted (2xx) and never a server error (5xx).",
    requirements=("CC-GEN-REST",),
)
def refused(interaction: Interaction, *, expected: Sequence[int], setting: str = "") -> Iterator[Finding]:
    exchange = interaction.first
    wanted = " or ".join(str(status) for status in expected) + _setting(setting)
    if exchange.response is None:
        yield failed(f"no response ({exchange.error}); expected {wanted}", exchange=exchange.id)
        return
    status = exchange.response.status
    if status in expected:
        yield passed(f"refused with {status}{_setting(setting)}", exchange=exchange.id)
    elif 200 <= status < 300:
        yield failed(f"the request was accepted ({status}) but must be refused with {wanted}", exchange=exchange.id)
    elif status >= 500:
        yield failed(f"a server error ({status}) for a request that is the client's mistake; expected {wanted}{said(exchange)}", exchange=exchange.id)
    else:
        yield failed(f"expected {wanted}, got {status}{said(exchange)}", exchange=exchange.id)


def _media_problem(exchange: Exchange) -> str | None:
    assert exchange.response is not None
    media = exchange.response.content_type
    start = exchange.response.body.lstrip()[:1]
    if media == "text/html" or exchange.response.body.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html")):
        return f"the error body is an HTML page ({media or 'untyped'}), not a FHIR OperationOutcome"
    if media in JSON_MEDIA_TYPES and start == b"<":
        return f"Content-Type says {media} but the error body is XML"
    if media in XML_MEDIA_TYPES and start in (b"{", b"["):
        return f"Content-Type says {media} but the error body is JSON"
    if media not in JSON_MEDIA_TYPES | XML_MEDIA_TYPES:
        return f"the error body is {media or 'untyped'}, not a FHIR OperationOutcome (application/fhir+json or +xml)"
    return None


def error_problems(exchange: Exchange, *, error_codes: str = "fhir") -> list[tuple[str, str | None]]:
    """What is wrong with an error response's body, as (message, JSON pointer); empty when it explains itself."""
    if problem := _media_problem(exchange):
        return [(problem, None)]
    try:
        outcome = parse_resource(exchange)
    except BodyError as error:
        return [(f"the error body is not a FHIR resource: {error}", None)]
    if outcome["resourceType"] != "OperationOutcome":
        return [(f"the error body is a {outcome['resourceType']}, not an OperationOutcome", "/resourceType")]
    issues = outcome.get("issue")
    if not isinstance(issues, list) or not issues:
        return [("the OperationOutcome has no issue", "/issue")]
    problems: list[tuple[str, str | None]] = []
    for index, raw in enumerate(issues):
        issue: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if issue.get("severity") not in _SEVERITIES:
            problems.append((f"issue {index} has no valid severity ({shown(issue.get('severity'))})", f"/issue/{index}/severity"))
        if issue.get("code") not in _ISSUE_TYPES:
            problems.append((f"issue {index} has no valid STU3 issue type code ({shown(issue.get('code'))})", f"/issue/{index}/code"))
        if error_codes == "spine" and issue.get("severity") in ("error", "fatal") and not _spine_coded(issue):
            problems.append(
                (
                    f"issue {index} has no details.coding from {SPINE_ERROR_CODES} with a known code and its display (expectations.error_codes: spine)",
                    f"/issue/{index}/details",
                )
            )
    if not any(isinstance(i, dict) and i.get("severity") in ("error", "fatal") for i in issues):
        problems.append(("no issue of the OperationOutcome has severity error or fatal", "/issue"))
    return problems


def _spine_coded(issue: Mapping[str, Any]) -> bool:
    details = issue.get("details")
    codings = details.get("coding") if isinstance(details, dict) else None
    known = spine_error_codes()
    return any(
        isinstance(coding, dict) and coding.get("system") == SPINE_ERROR_CODES and coding.get("code") in known and coding.get("display")
        for coding in codings or []
    )


@check(
    description=(
        "Every 4xx or 5xx response carries a valid OperationOutcome (FHIR media type, an error issue, each issue with a severity and an STU3 issue "
        "code; Spine details.coding when the target uses the Spine convention)."
    ),
    requirements=("CC-ERR-OUTCOME",),
)
def explained_errors(interaction: Interaction, *, error_codes: str = "fhir") -> Iterator[Finding]:
    errors = [e for e in interaction.exchanges if e.response is not None and e.response.status >= 400]
    for exchange in errors:
        problems = error_problems(exchange, error_codes=error_codes)
        for message, pointer in problems:
            yield failed(message, exchange=exchange.id, pointer=pointer)
        if not problems:
            convention = " with Spine error codes" if error_codes == "spine" else ""
            yield passed(f"the {exchange.response.status if exchange.response else ''} answer is an OperationOutcome{convention}", exchange=exchange.id)
    if not errors:
        yield passed("no error response to explain", exchange=interaction.first.id)


@check(
    description="No request is answered with a server error (5xx) or left unanswered, and every 4xx refusal is explained by an OperationOutcome.",
    requirements=("CC-ERR-CLIENT-ERROR", "CC-ERR-OUTCOME"),
)
def no_server_error(interaction: Interaction, *, error_codes: str = "fhir", explored: str = "") -> Iterator[Finding]:
    suffix = f" — {explored}" if explored else ""
    clean = True
    for exchange in interaction.exchanges:
        if exchange.response is None:
            clean = False
            yield failed(f"no response ({exchange.error}){suffix}", exchange=exchange.id)
        elif exchange.response.status >= 500:
            clean = False
            yield failed(f"a server error ({exchange.response.status}){said(exchange)}{suffix}", exchange=exchange.id)
        elif exchange.response.status >= 400:
            for message, pointer in error_problems(exchange, error_codes=error_codes):
                clean = False
                yield failed(f"refused with {exchange.response.status}, but {message}{suffix}", exchange=exchange.id, pointer=pointer)
    if clean:
        statuses = ", ".join(sorted({str(e.response.status) for e in interaction.exchanges if e.response is not None}))
        yield passed(f"answered {statuses} without a server error{suffix}", exchange=interaction.first.id)


@check(
    description=(
        "A search the guide lets a server either refuse or answer (an unknown parameter, an empty value, too few Patient parameters) is handled as "
        "the target's expectations say: refused with one of the named statuses, or answered 200 with the same matches as without the parameter, or "
        "either where the expectation allows both."
    ),
    requirements=("CC-GEN-REST",),
)
def handled_as_expected(
    interaction: Interaction,
    *,
    handling: str,
    setting: str,
    statuses: Sequence[int] = (),
    baseline: Interaction | None = None,
    status: int | None = None,
) -> Iterator[Finding]:
    """`status` is the single refusing status packs recorded before `statuses` (re-judging them still works)."""
    statuses = list(statuses) or ([status] if status is not None else [400])
    exchange = interaction.first
    answered = exchange.response.status if exchange.response else None
    if handling in ("reject", "two-parameters") or (handling == "either" and answered != 200 and answered not in (None, *range(500, 600))):
        yield from refused(interaction, expected=list(statuses), setting=setting)
        return
    if answered != 200:
        refusing = f" or a refusal with {' or '.join(map(str, statuses))}" if handling == "either" else ""
        yield failed(f"expected 200{refusing} ({setting}), got {answered or f'no response ({exchange.error})'}{said(exchange)}", exchange=exchange.id)
        return
    here, problem = result_keys(interaction)
    if problem:
        yield failed(f"expected a searchset Bundle ({setting}): {problem}", exchange=exchange.id)
        return
    if baseline is None:
        yield passed(f"answered 200 with {len(here)} match(es) ({setting})", exchange=exchange.id)
        return
    there, problem = result_keys(baseline)
    changed = sorted(set(here) ^ set(there))
    if problem or changed:
        why = problem or f"{', '.join(changed[:5])} {'is' if len(changed) == 1 else 'are'} in one result but not the other"
        yield failed(f"the parameter was not ignored ({setting}): the matches differ from {baseline.first.request.line}: {why}", exchange=exchange.id)
    else:
        yield passed(f"ignored ({setting}): the same {len(here)} match(es) as without the parameter", exchange=exchange.id)
