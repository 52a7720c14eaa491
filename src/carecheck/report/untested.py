"""Why a requirement was not tested, precisely, or why it does not apply to the target at all.

A requirement does **not apply** when the target profile rules it out by what the target is (a Spine audit
JWT requirement for a server that takes OAuth2 tokens; the Spine error codes where `expectations.error_codes`
is `fhir`), or when the conformance level in force does not name it. Otherwise, when no verdict was reached,
it is **untested**, and the reason says which of these it was: not selected by the run, could not be judged,
not declared by the server, not supported by the server (an optional form it refused or ignored), no test data, not configured in the profile, not applicable to this target (with
the scenario's own message), a harness error, or no scenario of the harness tests it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from carecheck.capability import Capabilities
from carecheck.evidence import Pack, ScenarioRecord
from carecheck.report.traceability import RequirementEvidence
from carecheck.requirements import Requirement
from carecheck.search import default_registry

__all__ = ["INCONCLUSIVE", "NOT_SELECTED", "Untested", "not_applicable", "why_untested"]

INCONCLUSIVE = "inconclusive"
"""The scenario outcome of a run that could not judge part of what it saw: untested for its requirements."""
NOT_SELECTED = "not selected"

_BY_PROFILE: dict[str, tuple[tuple[str, ...], str, str]] = {
    "CC-SEC-SPINE-JWT": (("auth", "type"), "spine-jwt", "the target takes no Spine Security Proxy audit JWT (auth.type is {value})"),
    "CC-ERR-SPINE-CODES": (("expectations", "error_codes"), "spine", "the target follows plain FHIR errors (expectations.error_codes is {value})"),
}
"""Requirement -> (profile field, the value under which it applies, why not otherwise)."""
_DEFAULTS: dict[tuple[str, ...], str] = {("auth", "type"): "none", ("expectations", "error_codes"): "fhir"}
_ACCESS_TOKENS = ("CC-SEC-AUTHORIZATION", "CC-SEC-SCOPES")

_CATEGORIES = (
    ("not declared by the server", re.compile(r"does not declare|not declared|declares no", re.IGNORECASE)),
    ("not supported by the server", re.compile(r"the server (refuses|ignored) ", re.IGNORECASE)),
    ("not configured in the target profile", re.compile(r"target profile|\bauth\.|\bexpectations\.|\btestdata\.", re.IGNORECASE)),
    ("no test data", re.compile(r"no known|none of the \d+ known|test ?data|no \S+ value|no value|has no|could not be found|no record", re.IGNORECASE)),
)


@dataclass(frozen=True)
class Untested:
    """Why a requirement has no verdict: a short `category` (for counting) and the precise `reason`."""

    category: str
    reason: str

    def describe(self) -> str:
        return self.reason if self.reason.startswith(self.category) else f"{self.category}: {self.reason}"


def _setting(profile: Mapping[str, Any], path: tuple[str, ...]) -> str:
    value: Any = profile
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return str(value if value is not None else _DEFAULTS.get(path, ""))


def not_applicable(requirement: Requirement, pack: Pack) -> str | None:
    """Why the requirement does not apply to this target (None: it applies)."""
    profile: Mapping[str, Any] = (pack.run.get("target") or {}).get("profile") or {}
    conformance = str((profile.get("expectations") or {}).get("conformance") or "ig")
    if requirement.level_for(conformance) is None:
        other = "CORE" if conformance == "ig" else "IG"
        return f"not a requirement at the {conformance.upper()} conformance level in force ({other}: {requirement.level})"
    if requirement.id in _BY_PROFILE:
        path, applies, why = _BY_PROFILE[requirement.id]
        value = _setting(profile, path)
        if value != applies:
            return why.format(value=value)
    if requirement.id in _ACCESS_TOKENS and _setting(profile, ("auth", "type")) == "spine-jwt":
        return "the target authenticates with Spine Security Proxy audit JWTs, not access tokens (CC-SEC-SPINE-JWT applies instead)"
    return None


@cache
def _searched() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Requirement id -> (resource type, parameters) of every search parameter and combination requirement."""
    registry = default_registry()
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for resource_type in registry.resource_types():
        for parameter in registry.parameters(resource_type):
            found[registry.requirement_id(resource_type, parameter.name)] = (resource_type, (parameter.name,))
        for combination in registry.combinations(resource_type):
            found[combination.requirement_id] = (resource_type, tuple(combination.parameters))
    return found


def _undeclared(requirement_id: str, pack: Pack) -> str | None:
    """What the CapabilityStatement does not declare of a search requirement (None: declared, or unknown)."""
    if requirement_id not in _searched() or not pack.capability_statement:
        return None
    capabilities = Capabilities(pack.capability_statement)
    resource_type, parameters = _searched()[requirement_id]
    if not capabilities.declares(resource_type):
        return f"the CapabilityStatement does not declare {resource_type}"
    missing = [p for p in parameters if not capabilities.declares_search(resource_type, p)]
    return f"the CapabilityStatement does not declare the {resource_type} search parameter(s) {', '.join(missing)}" if missing else None


def _category(message: str) -> str:
    return next((name for name, pattern in _CATEGORIES if pattern.search(message)), "not applicable to this target")


def _first(scenarios: list[ScenarioRecord], outcome: str) -> ScenarioRecord | None:
    return next((s for s in scenarios if s.outcome == outcome), None)


def why_untested(requirement_id: str, entry: RequirementEvidence | None, pack: Pack) -> Untested:
    """Why a requirement that applies got no verdict in this run."""
    scenarios = entry.scenarios if entry is not None else []
    if (inconclusive := _first(scenarios, INCONCLUSIVE)) is not None:
        count = sum(1 for s in scenarios if s.outcome == INCONCLUSIVE)
        return Untested("could not be judged", f"could not be judged in {count} scenario(s): {inconclusive.id}: {inconclusive.message}")
    if (errored := _first(scenarios, "error")) is not None:
        return Untested("harness error", f"harness error: {errored.id}: {errored.message}")
    if (skipped := _first(scenarios, "not-applicable")) is not None:
        undeclared = _undeclared(requirement_id, pack)
        if undeclared:
            return Untested("not declared by the server", f"not declared by the server: {undeclared}")
        return Untested(_category(skipped.message), f"{_category(skipped.message)}: {skipped.id}: {skipped.message}")
    if (other := _first(scenarios, "skipped")) is not None:
        return Untested("skipped", f"skipped: {other.id}: {other.message}")
    if scenarios:
        return Untested("no finding", f"{len(scenarios)} scenario(s) name it but recorded no finding about it")
    scope: Mapping[str, Any] = pack.run.get("scope") or {}
    in_suite = ((scope.get("requirements") or {}).get(requirement_id) or {}).get("in_suite", 0)
    if in_suite:
        return Untested(NOT_SELECTED, f"not selected: {in_suite} scenario(s) of the full suite name it; this run's selection left them out")
    counts = scope.get("scenarios") or {}
    if counts and counts.get("selected") != counts.get("in_suite"):
        selected = f"{counts.get('selected')} of {counts.get('in_suite')} scenarios"
        return Untested(NOT_SELECTED, f"not selected: no scenario of this run's selection ({selected}) judged it")
    if scope:
        return Untested("no scenario tests it", "no scenario tests it: no scenario of the full suite names or judged it")
    return Untested("not in this run", "not in this run: no scenario of this run names it (the run recorded no scope)")
