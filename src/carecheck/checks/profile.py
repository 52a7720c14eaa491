"""The profile check: every resource a response carries validates against its Care Connect profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.fhir import NHS_NUMBER_SYSTEM, BodyError, Issue, RuleKind, Severity, read_response, validate
from carecheck.http import Interaction

__all__ = ["profile_valid"]

_UNCHECKABLE = "cannot check "
"""How the validator words a code it cannot check (a system such as SNOMED CT that is not held locally)."""
_REQUIREMENT = {RuleKind.PROFILE_CLAIM: "CC-GEN-META-PROFILE", RuleKind.NHS_NUMBER: "CC-GEN-NHS-NUMBER"}


def _nhs_numbers(body: dict[str, Any]) -> int:
    """How many NHS number identifiers the Patients of a resource or Bundle carry."""
    entries = [e.get("resource") for e in body.get("entry") or [] if isinstance(e, dict)] if body.get("resourceType") == "Bundle" else [body]
    patients = [r for r in entries if isinstance(r, dict) and r.get("resourceType") == "Patient"]
    return sum(1 for p in patients for i in p.get("identifier") or [] if isinstance(i, dict) and i.get("system") == NHS_NUMBER_SYSTEM)


def _finding(issue: Issue, exchange: str) -> Finding | None:
    requirement = (_REQUIREMENT.get(issue.kind, "CC-PROFILE-VALID"),)
    text = f"[{issue.kind.value}] {issue.message}"
    if issue.severity is Severity.ERROR:
        return failed(text, exchange=exchange, pointer=issue.location, requirements=requirement, resource_type=issue.resource_type)
    if issue.severity is Severity.WARNING:
        return warned(text, exchange=exchange, pointer=issue.location, requirements=requirement, resource_type=issue.resource_type)
    return None


@check(
    description=(
        "Every resource in the response validates against the Care Connect profile it claims (or its type's): STU3 structure, cardinality, fixed "
        "values, slices, extensions, required bindings, invariants, NHS number."
    ),
    requirements=("CC-PROFILE-VALID",),
    judges_scenario=False,
)
def profile_valid(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        try:
            reading = read_response(exchange)
        except BodyError as error:
            yield failed(f"nothing to validate: {error}", exchange=exchange.id)
            continue
        body = reading.resource
        issues = validate(body, read=reading.issues)
        unchecked = [i for i in issues if i.kind is RuleKind.BINDING and i.message.startswith(_UNCHECKABLE)]
        reported = [i for i in issues if i not in unchecked]
        yield from (found for issue in reported if (found := _finding(issue, exchange.id)) is not None)
        if unchecked:
            systems = sorted({i.message.removeprefix(_UNCHECKABLE).split("|", 1)[0] for i in unchecked})
            yield warned(
                f"[binding] {len(unchecked)} code(s) of {', '.join(systems)} could not be checked against their value sets (codes not held locally)",
                exchange=exchange.id,
                requirements=("CC-PROFILE-VALID",),
            )
        numbers = _nhs_numbers(body)
        if numbers and not any(i.kind is RuleKind.NHS_NUMBER and i.severity is Severity.ERROR for i in issues):
            yield passed(
                f"{numbers} NHS number(s) with the national system and a valid check digit",
                exchange=exchange.id,
                requirements=(_REQUIREMENT[RuleKind.NHS_NUMBER],),
            )
        if not any(issue.severity is Severity.ERROR for issue in issues):
            count = len(body.get("entry") or []) if body["resourceType"] == "Bundle" else 1
            yield passed(f"{body['resourceType']} valid ({count} resource(s) checked against their profiles)", exchange=exchange.id)
