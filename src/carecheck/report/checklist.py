"""The assurance checklist: every Care Connect requirement of the catalogue, met / not met / waived / not
tested, with the evidence; `checklist.md` and a section of `report.html` are both written from it.

A requirement is *not met* when a finding about it failed, *waived* when its only failures are covered by
waivers, *met* when a finding about it passed or a scenario naming it passed, and *not tested* otherwise
(the note says why: not applicable to the target, a harness error, or no scenario of this run names it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck.evidence import Pack, ScenarioRecord, write_text
from carecheck.report.traceability import RequirementEvidence, evidence_file, requirement_evidence
from carecheck.requirements import Requirement, catalogue
from carecheck.search import default_registry

__all__ = ["CHECKLIST_FILE", "STATUSES", "ChecklistItem", "ChecklistSection", "assurance_checklist", "render_markdown", "write_checklist"]

CHECKLIST_FILE = "checklist.md"
STATUSES = ("met", "not met", "waived", "not tested")
_LINKS = 3
_AREA_TITLES = {
    "general": "Server prerequisites",
    "capability": "CapabilityStatement",
    "read": "Read",
    "errors": "Errors",
    "search": "Search",
    "profiles": "Profiles",
    "formats": "Formats",
    "security": "Security",
}


@dataclass(frozen=True)
class ChecklistItem:
    requirement: Requirement
    status: str
    note: str
    evidence: tuple[str, ...]
    """Paths relative to the report folder: failing exchanges, else the scenarios' evidence folders."""


@dataclass(frozen=True)
class ChecklistSection:
    title: str
    items: tuple[ChecklistItem, ...]


def _status(entry: RequirementEvidence | None) -> tuple[str, str, tuple[str, ...]]:
    if entry is None:
        return "not tested", "no scenario of this run names it", ()
    outcomes = entry.outcomes()
    if entry.failures:
        scenario, finding = entry.failures[0]
        files = dict.fromkeys(evidence_file(s, f.get("exchange")) or s.evidence for s, f in entry.failures)
        more = f" (and {len(entry.failures) - 1} more failure(s))" if len(entry.failures) > 1 else ""
        return "not met", f"{scenario.id}: {finding.get('message')}{more}", tuple(files)[:_LINKS]
    if entry.waived:
        scenario, finding = entry.waived[0]
        files = dict.fromkeys(evidence_file(s, f.get("exchange")) or s.evidence for s, f in entry.waived)
        return "waived", f"{finding.get('message')} — waived: {finding.get('waiver')}", tuple(files)[:_LINKS]
    passing = [s for s in entry.scenarios if s.outcome in ("passed", "waived")]
    if entry.findings["pass"] or passing:
        warnings = f"; {entry.findings['warn']} warning(s)" if entry.findings["warn"] else ""
        return "met", f"{len(passing)} scenario(s) passed{warnings}", tuple(s.evidence for s in passing)[:_LINKS]
    return "not tested", _why_not_tested(entry.scenarios, outcomes), tuple(s.evidence for s in entry.scenarios)[:_LINKS]


def _why_not_tested(scenarios: list[ScenarioRecord], outcomes: Mapping[str, int]) -> str:
    if outcomes.get("error"):
        first = next(s for s in scenarios if s.outcome == "error")
        return f"{outcomes['error']} scenario(s) could not be run: {first.message}"
    if outcomes.get("inconclusive"):
        first = next(s for s in scenarios if s.outcome == "inconclusive")
        return f"{outcomes['inconclusive']} scenario(s) inconclusive (part of the answer could not be judged): {first.message}"
    if outcomes.get("not-applicable"):
        first = next(s for s in scenarios if s.outcome == "not-applicable")
        return f"not applicable to this target: {first.message}"
    if outcomes.get("skipped"):
        return f"{outcomes['skipped']} scenario(s) skipped"
    return "no finding about it was recorded"


def _parameter_groups() -> dict[str, str]:
    """Requirement id -> the resource type whose search parameter or combination it is."""
    registry = default_registry()
    groups: dict[str, str] = {}
    for resource_type in registry.resource_types():
        for parameter in registry.parameters(resource_type):
            groups[registry.requirement_id(resource_type, parameter.name)] = resource_type
        for combination in registry.combinations(resource_type):
            groups[combination.requirement_id] = resource_type
    return groups


def assurance_checklist(pack: Pack) -> list[ChecklistSection]:
    """The catalogue's requirements in sections: by area, then each resource's search parameters and
    combinations; requirements the evidence names that the catalogue lacks come last."""
    known = catalogue()
    evidence = requirement_evidence(pack)
    groups = _parameter_groups()
    sections: dict[str, list[ChecklistItem]] = {}
    for requirement in known.values():
        resource_type = groups.get(requirement.id)
        title = f"Search parameters: {resource_type}" if resource_type else _AREA_TITLES.get(requirement.area, requirement.area.title())
        sections.setdefault(title, []).append(ChecklistItem(requirement, *_status(evidence.get(requirement.id))))
    unknown = sorted(set(evidence) - set(known))
    if unknown:
        title = "Other requirements named by the evidence"
        for requirement_id in unknown:
            requirement = Requirement(requirement_id, "", "", "(not in the requirements catalogue of this harness)", "")
            sections.setdefault(title, []).append(ChecklistItem(requirement, *_status(evidence[requirement_id])))
    return [ChecklistSection(title, tuple(items)) for title, items in sections.items()]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(pack: Pack, sections: list[ChecklistSection]) -> str:
    """`checklist.md`: a heading with the run's facts and counts, then one table per section."""
    target: Mapping[str, Any] = pack.run.get("target") or {}
    items = [item for section in sections for item in section.items]
    counts = {status: sum(1 for item in items if item.status == status) for status in STATUSES}
    conformance = ((target.get("profile") or {}).get("expectations") or {}).get("conformance", "ig")
    lines = [
        f"# Care Connect assurance checklist — {target.get('name', 'unknown target')}",
        "",
        f"- Target: {target.get('base_url', '?')} (conformance level: {str(conformance).upper()})",
        f"- Run: {pack.run.get('started', '?')} to {pack.run.get('ended') or 'not ended'}"
        f" · carecheck {pack.run.get('harness_version', '?')} · {'complete' if pack.complete else 'INCOMPLETE (interrupted)'}",
        "- Requirements: " + " · ".join(f"{counts[status]} {status}" for status in STATUSES),
        "- Evidence links are relative to this file's folder; `report.html` shows the same checklist with the exchanges.",
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", "", "| Requirement | Level | Status | Note | Evidence |", "|---|---|---|---|---|"]
        for item in section.items:
            status = f"**{item.status}**" if item.status in ("not met", "waived") else item.status
            links = ", ".join(f"[{Path(path).name or path}]({path})" for path in item.evidence)
            text = f"**{item.requirement.id}** {_cell(item.requirement.text)}"
            lines.append(f"| {text} | {item.requirement.level or '—'} | {status} | {_cell(item.note)} | {links} |")
        lines.append("")
    return "\n".join(lines)


def write_checklist(pack: Pack, sections: list[ChecklistSection] | None = None) -> Path:
    path = pack.root / CHECKLIST_FILE
    write_text(path, render_markdown(pack, sections if sections is not None else assurance_checklist(pack)))
    return path
