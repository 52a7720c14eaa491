"""The conformance matrix: for each resource, every interaction and search parameter the guide names (or the
server declares, or a scenario exercised), its IG and CORE level, whether the CapabilityStatement declares
it, and the observed outcome of the scenarios that exercised it.

A scenario exercised a search parameter when the parameter's requirement `CC-SEARCH-<RESOURCE>-<PARAM>` is
among its tags or among the requirements of findings about what it asked (not about the declarations);
it exercised `read` or `search-type` of a resource when it judged such an interaction of that resource. A row's
status is what the scenarios found about its requirement: a search that worked is not red because a resource it
returned failed its profile (that failure is the profile requirement's, as in the checklist).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from carecheck.capability import Capabilities
from carecheck.evidence import Pack, ScenarioRecord
from carecheck.report.traceability import exercised, fold, interactions
from carecheck.requirements import catalogue
from carecheck.search import default_registry

__all__ = ["Cell", "MatrixRow", "conformance_matrix"]

READ_REQUIREMENT = "CC-READ"
SEARCH_REQUIREMENT = "CC-SEARCH-BUNDLE"
INCLUDE_REQUIREMENT = "CC-SEARCH-INCLUDE"


@dataclass(frozen=True)
class Cell:
    """The observed outcome of the scenarios that exercised one row: the most telling, and all counts."""

    status: str
    counts: Mapping[str, int]
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class MatrixRow:
    resource_type: str
    kind: str
    """`interaction`, `parameter`, `combination` or `include`."""
    name: str
    ig: str | None
    core: str | None
    declared: bool | None
    """None when the pack holds no CapabilityStatement."""
    observed: Cell
    requirement: str | None = None


def _cell(scenarios: list[ScenarioRecord], requirement: str) -> Cell:
    counts = Counter(_row_outcome(scenario, requirement) for scenario in scenarios)
    return Cell(fold(counts), dict(counts), tuple(scenario.id for scenario in scenarios))


def _row_outcome(scenario: ScenarioRecord, requirement: str) -> str:
    """The scenario's outcome as far as the row's requirement goes: a scenario that failed (or was waived) only on
    other requirements (a returned resource failing its profile, say) passed this row when its own findings about
    the requirement passed. Without findings about the requirement, the scenario's outcome stands."""
    if scenario.outcome not in ("failed", "waived"):
        return scenario.outcome
    about = {str(finding.get("outcome")) for _, finding in scenario.findings() if requirement in (finding.get("requirements") or ())}
    if not about or "fail" in about:
        return scenario.outcome
    return "waived" if "waived" in about else "passed"


def _level(requirement: str) -> str | None:
    found = catalogue().get(requirement)
    return found.level if found else None


def conformance_matrix(pack: Pack) -> list[MatrixRow]:
    """The matrix rows, resource by resource in the guide's order."""
    registry = default_registry()
    capabilities = Capabilities(pack.capability_statement) if pack.capability_statement is not None else None
    reached = {scenario.id: exercised(scenario) for scenario in pack.scenarios}
    judged = {scenario.id: interactions(scenario) for scenario in pack.scenarios}

    def by_requirement(requirement: str) -> list[ScenarioRecord]:
        return [s for s in pack.scenarios if requirement in reached[s.id]]

    def by_interaction(kind: str, resource_type: str, requirement: str) -> list[ScenarioRecord]:
        return [
            s
            for s in pack.scenarios
            if (kind, resource_type) in judged[s.id] or (not s.judgements and resource_type.lower() in s.tags and requirement in s.tagged)
        ]

    rows: list[MatrixRow] = []
    for resource_type in registry.resource_types():
        declared = capabilities.interactions(resource_type) if capabilities else frozenset()
        params = capabilities.search_parameters(resource_type) if capabilities else frozenset()

        def known(value: bool) -> bool | None:
            return value if capabilities is not None else None

        for code, kind, requirement in (("read", "read", READ_REQUIREMENT), ("search-type", "search", SEARCH_REQUIREMENT)):
            level = _level(requirement)
            observed = _cell(by_interaction(kind, resource_type, requirement), requirement)
            rows.append(MatrixRow(resource_type, "interaction", code, level, level, known(code in declared), observed, requirement))
        ids = {registry.requirement_id(resource_type, p.name): p.name for p in registry.parameters(resource_type)}
        named = [
            p.name
            for p in registry.parameters(resource_type)
            if (levels := registry.conformance(resource_type, p.name)).ig
            or levels.core
            or p.name in params
            or by_requirement(registry.requirement_id(resource_type, p.name))
        ]
        for name in sorted(named, key=lambda n: (n.startswith("_"), n)):
            levels = registry.conformance(resource_type, name)
            requirement = next(i for i, n in ids.items() if n == name)
            observed = _cell(by_requirement(requirement), requirement)
            rows.append(MatrixRow(resource_type, "parameter", name, levels.ig, levels.core, known(name in params), observed, requirement))
        for combination in registry.combinations(resource_type):
            observed = _cell(by_requirement(combination.requirement_id), combination.requirement_id)
            declares_all = all(p in params for p in combination.parameters)
            rows.append(
                MatrixRow(
                    resource_type, "combination", "+".join(combination.parameters), combination.conformance.ig,
                    combination.conformance.core, known(declares_all), observed, combination.requirement_id,
                )
            )  # fmt: skip
        includes = capabilities.includes(resource_type) if capabilities else frozenset()
        include_scenarios = [s for s in by_requirement(INCLUDE_REQUIREMENT) if ("search", resource_type) in judged[s.id]]
        if includes or include_scenarios:
            level = _level(INCLUDE_REQUIREMENT)
            rows.append(
                MatrixRow(
                    resource_type,
                    "include",
                    "_include / _revinclude",
                    level,
                    level,
                    known(bool(includes)),
                    _cell(include_scenarios, INCLUDE_REQUIREMENT),
                    INCLUDE_REQUIREMENT,
                )
            )
    return rows
