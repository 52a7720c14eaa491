"""Checks on a single response: status, media type, the resource it carries, and error bodies."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.fhir import JSON_MEDIA_TYPES, XML_MEDIA_TYPES, BodyError, parse_resource, shown
from carecheck.http import Exchange, Interaction

__all__ = [
    "fhir_content_type",
    "meta_profile",
    "operation_outcome",
    "read_matches_request",
    "resource_type",
    "status_code",
]

_ISSUE_SEVERITIES = frozenset({"fatal", "error", "warning", "information"})


def _no_response(exchange: Exchange) -> Finding | None:
    if exchange.response is None:
        return failed(f"no response: {exchange.error}", exchange=exchange.id)
    return None


def _body_summary(exchange: Exchange) -> str:
    """A short hint of what the body said, for status failures (OperationOutcome diagnostics if any)."""
    try:
        body = parse_resource(exchange)
    except BodyError:
        return ""
    if body.get("resourceType") == "OperationOutcome":
        texts = [str(i.get("diagnostics") or i.get("code")) for i in body.get("issue", []) if isinstance(i, dict)]
        return f"; OperationOutcome says: {'; '.join(texts)[:200]}" if texts else ""
    return f"; body is a {body['resourceType']}"


@check(description="The response status is one of the expected codes.", requirements=("CC-GEN-REST",))
def status_code(interaction: Interaction, *, expected: Sequence[int]) -> Iterator[Finding]:
    exchange = interaction.first
    if problem := _no_response(exchange):
        yield problem
        return
    assert exchange.response is not None
    wanted = " or ".join(str(code) for code in expected)
    if exchange.response.status in expected:
        yield passed(f"status {exchange.response.status}", exchange=exchange.id)
    else:
        yield failed(f"expected status {wanted}, got {exchange.response.status}{_body_summary(exchange)}", exchange=exchange.id)


def _looks_like(body: bytes) -> str | None:
    start = body.lstrip()[:1]
    return "XML" if start == b"<" else "JSON" if start in (b"{", b"[") else None


_FORMATS = {
    "JSON": ("application/fhir+json", "application/json+fhir", JSON_MEDIA_TYPES),
    "XML": ("application/fhir+xml", "application/xml+fhir", XML_MEDIA_TYPES),
}


@check(
    description="The response is in the FHIR format the request asked for (Accept), labelled application/fhir+json or "
    "application/fhir+xml (the DSTU2-era json+fhir/xml+fhir types are a warning), and its body really is that format.",
    requirements=("CC-GEN-FORMAT",),
)
def fhir_content_type(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        if problem := _no_response(exchange):
            yield problem
            continue
        assert exchange.response is not None
        asked = "XML" if "xml" in (exchange.request.header("accept") or "").lower() else "JSON"
        stu3, dstu2, family = _FORMATS[asked]
        media = exchange.response.content_type
        body = _looks_like(exchange.response.body)
        if media in family and body not in (None, asked):
            yield failed(f"Content-Type says {media} but the body is {body}", exchange=exchange.id)
        elif media == stu3:
            yield passed(f"Content-Type {media}", exchange=exchange.id)
        elif media == dstu2:
            yield warned(f"Content-Type is the DSTU2 type {media}; STU3 uses {stu3}", exchange=exchange.id)
        else:
            yield failed(f"{asked} was asked for: expected Content-Type {stu3}, got {media or 'none'}", exchange=exchange.id)


def _resource_or_failure(exchange: Exchange) -> tuple[dict[str, Any] | None, Finding | None]:
    try:
        return parse_resource(exchange), None
    except BodyError as error:
        return None, failed(f"the response is not a FHIR resource: {error}", exchange=exchange.id)


@check(description="The body is a FHIR resource of the expected type.", requirements=("CC-GEN-REST",))
def resource_type(interaction: Interaction, *, expected: str) -> Iterator[Finding]:
    exchange = interaction.first
    resource, problem = _resource_or_failure(exchange)
    if problem or resource is None:
        yield problem or failed("no resource", exchange=exchange.id)
        return
    actual = resource["resourceType"]
    if actual == expected:
        yield passed(f"body is a {actual}", exchange=exchange.id)
    else:
        yield failed(f"expected a {expected}, got a {actual}", exchange=exchange.id, pointer="/resourceType")


@check(description="A read returns the resource that was asked for: same type and id, not a Bundle.", requirements=("CC-READ",))
def read_matches_request(interaction: Interaction) -> Iterator[Finding]:
    exchange = interaction.first
    resource, problem = _resource_or_failure(exchange)
    if problem or resource is None:
        yield problem or failed("no resource", exchange=exchange.id)
        return
    path = httpx.URL(exchange.request.url).path.rstrip("/").split("/")
    asked_type, asked_id = path[-2], path[-1]
    if resource["resourceType"] != asked_type:
        yield failed(f"asked for a {asked_type}, got a {resource['resourceType']}", exchange=exchange.id, pointer="/resourceType")
    elif resource.get("id") != asked_id:
        yield failed(f"asked for {asked_type}/{asked_id}, got id {shown(resource.get('id'))}", exchange=exchange.id, pointer="/id")
    else:
        yield passed(f"{asked_type}/{asked_id} returned", exchange=exchange.id)


def _profiles(resource: dict[str, Any]) -> list[str]:
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    return [p for p in profiles if isinstance(p, str)] if isinstance(profiles, list) else []


def _resources_of(document: dict[str, Any], resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The resources of a type in a body (the body itself, or a Bundle's entries), with JSON pointers."""
    if document.get("resourceType") == resource_type:
        yield "", document
        return
    if document.get("resourceType") != "Bundle":
        return
    for index, entry in enumerate(document.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == resource_type:
            yield f"/entry/{index}/resource", resource


@check(
    description="Every returned resource of the type names its Care Connect profile in meta.profile.",
    requirements=("CC-GEN-META-PROFILE",),
    judges_scenario=False,
)
def meta_profile(interaction: Interaction, *, resource_type: str, profile: str) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        document, problem = _resource_or_failure(exchange)
        if problem or document is None:
            yield problem or failed("no resource", exchange=exchange.id)
            continue
        for pointer, resource in _resources_of(document, resource_type):
            label = f"{resource_type}/{resource.get('id')}"
            claimed = _profiles(resource)
            if profile in claimed:
                yield passed(f"{label} claims {profile}", exchange=exchange.id)
            else:
                found = ", ".join(claimed) or "no profile"
                yield failed(f"{label} does not claim {profile} in meta.profile ({found})", exchange=exchange.id, pointer=f"{pointer}/meta/profile")


@check(
    description="An error response carries an OperationOutcome with at least one error issue, each issue with a severity and a code.",
    requirements=("CC-ERR-OUTCOME",),
)
def operation_outcome(interaction: Interaction) -> Iterator[Finding]:
    exchange = interaction.first
    outcome, problem = _resource_or_failure(exchange)
    if problem or outcome is None:
        yield problem or failed("no resource", exchange=exchange.id)
        return
    if outcome["resourceType"] != "OperationOutcome":
        yield failed(f"expected an OperationOutcome, got a {outcome['resourceType']}", exchange=exchange.id, pointer="/resourceType")
        return
    issues = outcome.get("issue")
    if not isinstance(issues, list) or not issues:
        yield failed("the OperationOutcome has no issue", exchange=exchange.id, pointer="/issue")
        return
    for index, issue in enumerate(issues):
        issue = issue if isinstance(issue, dict) else {}
        if issue.get("severity") not in _ISSUE_SEVERITIES:
            yield failed(f"issue {index} has no valid severity ({shown(issue.get('severity'))})", exchange=exchange.id, pointer=f"/issue/{index}/severity")
        if not isinstance(issue.get("code"), str) or not issue.get("code"):
            yield failed(f"issue {index} has no code", exchange=exchange.id, pointer=f"/issue/{index}/code")
    if not any(isinstance(i, dict) and i.get("severity") in {"error", "fatal"} for i in issues):
        yield failed("no issue of the OperationOutcome has severity error or fatal", exchange=exchange.id, pointer="/issue")
    else:
        yield passed("the response is an OperationOutcome with an error issue", exchange=exchange.id)
