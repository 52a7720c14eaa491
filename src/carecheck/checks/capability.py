"""Checks on the CapabilityStatement a server publishes at [base]/metadata."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.fhir import BodyError, parse_resource, shown
from carecheck.http import Interaction
from carecheck.search import default_registry

__all__ = [
    "capability_declares_interactions",
    "capability_declares_search_params",
    "capability_fhir_version",
    "capability_formats",
    "declared_resource",
]

_JSON_FORMATS = frozenset({"json", "application/fhir+json", "application/json+fhir", "application/json"})
_XML_FORMATS = frozenset({"xml", "application/fhir+xml", "application/xml+fhir", "application/xml"})


def _statement(interaction: Interaction) -> tuple[dict[str, Any] | None, Finding | None]:
    exchange = interaction.first
    try:
        body = parse_resource(exchange)
    except BodyError as error:
        return None, failed(f"no CapabilityStatement: {error}", exchange=exchange.id)
    if body["resourceType"] != "CapabilityStatement":
        return None, failed(f"expected a CapabilityStatement, got a {body['resourceType']}", exchange=exchange.id)
    return body, None


def declared_resource(statement: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]] | None:
    """The server-mode `rest.resource` entry for a type, with its JSON pointer, if declared."""
    for r, rest in enumerate(statement.get("rest") or []):
        if not isinstance(rest, dict) or rest.get("mode") != "server":
            continue
        for i, resource in enumerate(rest.get("resource") or []):
            if isinstance(resource, dict) and resource.get("type") == resource_type:
                return f"/rest/{r}/resource/{i}", resource
    return None


def _declared(interaction: Interaction, resource_type: str) -> tuple[str, dict[str, Any] | None, Finding | None]:
    """The statement's server-mode entry for a type with its pointer, or the failure that there is none."""
    statement, problem = _statement(interaction)
    if problem or statement is None:
        return "", None, problem
    found = declared_resource(statement, resource_type)
    if found is None:
        return "", None, failed(f"{resource_type} is not declared in rest[mode=server].resource", exchange=interaction.first.id, pointer="/rest")
    return found[0], found[1], None


@check(description="The CapabilityStatement declares the expected FHIR version (3.0 means any STU3 3.0.x).", requirements=("CC-GEN-STU3",))
def capability_fhir_version(interaction: Interaction, *, version: str = "3.0") -> Iterator[Finding]:
    statement, problem = _statement(interaction)
    if problem or statement is None:
        yield problem or failed("no CapabilityStatement")
        return
    declared = statement.get("fhirVersion")
    exchange = interaction.first.id
    if isinstance(declared, str) and (declared == version or declared.startswith(f"{version}.")):
        yield passed(f"fhirVersion {declared}", exchange=exchange)
    else:
        yield failed(f"expected fhirVersion {version}.x, got {shown(declared)}", exchange=exchange, pointer="/fhirVersion")


@check(
    description="The CapabilityStatement declares JSON or XML (SHALL), and both (SHOULD: one alone is a warning).",
    requirements=("CC-GEN-FORMAT",),
)
def capability_formats(interaction: Interaction) -> Iterator[Finding]:
    statement, problem = _statement(interaction)
    if problem or statement is None:
        yield problem or failed("no CapabilityStatement")
        return
    formats = {str(f).split(";")[0].strip().lower() for f in statement.get("format") or []}
    json_, xml = bool(formats & _JSON_FORMATS), bool(formats & _XML_FORMATS)
    exchange = interaction.first.id
    listed = ", ".join(sorted(formats)) or "none"
    if json_ and xml:
        yield passed(f"formats: {listed}", exchange=exchange)
    elif json_ or xml:
        yield warned(f"only {'JSON' if json_ else 'XML'} is declared ({listed}); the guide says SHOULD support both", exchange=exchange, pointer="/format")
    else:
        yield failed(f"neither JSON nor XML is declared (format: {listed})", exchange=exchange, pointer="/format")


@check(
    description="The CapabilityStatement declares the resource type with the given interactions.",
    requirements=("CC-CAP-DECLARE",),
)
def capability_declares_interactions(interaction: Interaction, *, resource_type: str, interactions: Sequence[str]) -> Iterator[Finding]:
    exchange = interaction.first.id
    pointer, resource, problem = _declared(interaction, resource_type)
    if problem or resource is None:
        yield problem or failed("no CapabilityStatement", exchange=exchange)
        return
    declared = {i.get("code") for i in resource.get("interaction") or [] if isinstance(i, dict)}
    for code in interactions:
        if code in declared:
            yield passed(f"{resource_type} declares {code}", exchange=exchange)
        else:
            yield failed(
                f"{resource_type} does not declare the {code} interaction (declared: {', '.join(sorted(map(str, declared))) or 'none'})",
                exchange=exchange,
                pointer=f"{pointer}/interaction",
            )


@check(
    description="The CapabilityStatement declares every search parameter the guide asks for at the given level (the IG's tables, or CORE's).",
    requirements=("CC-CAP-SEARCH-PARAMS",),
)
def capability_declares_search_params(interaction: Interaction, *, resource_type: str, level: str, conformance: str) -> Iterator[Finding]:
    exchange = interaction.first.id
    pointer, resource, problem = _declared(interaction, resource_type)
    if problem or resource is None:
        yield problem or failed("no CapabilityStatement", exchange=exchange)
        return
    declared = {p.get("name") for p in resource.get("searchParam") or [] if isinstance(p, dict)}
    registry = default_registry()
    required = [
        parameter.name for parameter in registry.parameters(resource_type) if getattr(registry.conformance(resource_type, parameter.name), conformance) == level
    ]
    for name in required:
        requirement = (registry.requirement_id(resource_type, name),)
        if name in declared:
            yield passed(f"{resource_type} declares the {level} parameter {name}", exchange=exchange, requirements=requirement)
        else:
            yield failed(
                f"{resource_type} does not declare the {level} search parameter {name} ({conformance.upper()})",
                exchange=exchange,
                pointer=f"{pointer}/searchParam",
                requirements=requirement,
            )
