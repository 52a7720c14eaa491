"""The assurance checklist: every Care Connect requirement of the catalogue, met / not met / waived / not
tested / not applicable, with the evidence; `checklist.md` and a section of `report.html` are both written from it.

A requirement is *not met* when a finding about it failed, *waived* when its only failures are covered by
waivers, *met* when a finding about it passed (in a scenario that passed, or failed on another requirement)
or a scenario naming it passed, *not applicable* when the target profile or the conformance level rules it
out, and *not tested* otherwise (the note says precisely why: see `carecheck.report.untested`).

Each requirement is judged by its own findings: a search scenario whose returned resource fails its profile
leaves the search requirement met and makes the profile requirement not met, and the notes say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck.evidence import Pack, ScenarioRecord, write_text
from carecheck.project import OWN_PREFIX
from carecheck.provenance import harness_text
from carecheck.report.scope import scope_facts
from carecheck.report.traceability import RequirementEvidence, evidence_file, requirement_evidence
from carecheck.report.untested import not_applicable, why_untested
from carecheck.requirements import Requirement, catalogue
from carecheck.search import default_registry

__all__ = ["CHECKLIST_FILE", "STATUSES", "ChecklistItem", "ChecklistSection", "assurance_checklist", "render_markdown", "write_checklist"]

CHECKLIST_FILE = "checklist.md"
STATUSES = ("met", "not met", "waived", "not tested", "not applicable")
TESTED = frozenset({"met", "not met", "waived"})
_HELD = frozenset({"passed", "waived", "failed"})
"""Scenario outcomes whose passing findings count: a failed scenario's checks of other requirements still ran."""
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
    level: str | None = None
    """The level in force for this run (the IG's or CORE's); None when that level does not name it."""
    category: str = ""
    """Why it was not tested, in a word or three (`not selected`, `no test data`...), for counting."""


@dataclass(frozen=True)
class ChecklistSection:
    title: str
    items: tuple[ChecklistItem, ...]


def _status(requirement: Requirement, entry: RequirementEvidence | None, pack: Pack) -> tuple[str, str, tuple[str, ...], str]:
    verdict = _verdict(entry) if entry is not None else None
    if verdict is not None:
        return (*verdict, "")
    scenarios = tuple(s.evidence for s in entry.scenarios)[:_LINKS] if entry is not None else ()
    ruled_out = not_applicable(requirement, pack)
    if ruled_out is not None:
        return "not applicable", ruled_out, scenarios, ""
    untested = why_untested(requirement.id, entry, pack)
    return "not tested", untested.describe(), scenarios, untested.category


def _verdict(entry: RequirementEvidence) -> tuple[str, str, tuple[str, ...]] | None:
    if entry.failures:
        scenario, finding = entry.failures[0]
        files = dict.fromkeys(evidence_file(s, f.get("exchange")) or s.evidence for s, f in entry.failures)
        more = f" (and {len(entry.failures) - 1} more failure(s))" if len(entry.failures) > 1 else ""
        return "not met", f"{scenario.id}: {finding.get('message')}{more}", tuple(files)[:_LINKS]
    if entry.waived:
        scenario, finding = entry.waived[0]
        files = dict.fromkeys(evidence_file(s, f.get("exchange")) or s.evidence for s, f in entry.waived)
        return "waived", f"{finding.get('message')} — waived: {finding.get('waiver')}", tuple(files)[:_LINKS]
    held = [s for s in entry.scenarios if s.outcome in ("passed", "waived")]
    held += [s for s in entry.passing if s.outcome in _HELD and not any(s is h for h in held)]
    if not held:
        return None
    warnings = f"; {entry.findings['warn']} warning(s)" if entry.findings["warn"] else ""
    note = f"{len(held)} scenario(s) passed{warnings}"
    failed = [s for s in held if s.outcome == "failed"]
    if failed:
        others = sorted({r for _, f in _failures_of(failed) for r in f.get("requirements") or ()})
        note = f"held in {len(held)} scenario(s){warnings}; {len(failed)} of them failed on other requirements ({', '.join(others)})"
    return "met", note, tuple(s.evidence for s in held)[:_LINKS]


def _failures_of(scenarios: list[ScenarioRecord]) -> list[tuple[ScenarioRecord, Mapping[str, Any]]]:
    return [(s, f) for s in scenarios for _, f in s.findings() if f.get("outcome") == "fail"]


def _conformance(pack: Pack) -> str:
    target: Mapping[str, Any] = pack.run.get("target") or {}
    return str(((target.get("profile") or {}).get("expectations") or {}).get("conformance") or "ig")


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


_OWN = ("The supplier's own requirements", "(the supplier's own: named by their scenarios, not in carecheck's catalogue)")
_OTHER = ("Other requirements named by the evidence", "(not in the requirements catalogue of this harness)")


def assurance_checklist(pack: Pack) -> list[ChecklistSection]:
    """The catalogue's requirements in sections: by area, then each resource's search parameters and
    combinations; requirements the evidence names that the catalogue lacks come last: the supplier's own (a
    scenario of theirs, `--features`, names it) and any other."""
    known = catalogue()
    evidence = requirement_evidence(pack)
    groups = _parameter_groups()
    sections: dict[str, list[ChecklistItem]] = {}
    conformance = _conformance(pack)
    for requirement in known.values():
        resource_type = groups.get(requirement.id)
        title = f"Search parameters: {resource_type}" if resource_type else _AREA_TITLES.get(requirement.area, requirement.area.title())
        status, note, files, category = _status(requirement, evidence.get(requirement.id), pack)
        sections.setdefault(title, []).append(ChecklistItem(requirement, status, note, files, requirement.level_for(conformance), category))
    unknown = sorted(set(evidence) - set(known))
    for requirement_id in unknown:
        own = any(scenario.id.startswith(f"{OWN_PREFIX}/") and requirement_id in scenario.tagged for scenario in evidence[requirement_id].scenarios)
        title, text = _OWN if own else _OTHER
        requirement = Requirement(requirement_id, "", "", text, "")
        status, note, files, category = _status(requirement, evidence[requirement_id], pack)
        sections.setdefault(title, []).append(ChecklistItem(requirement, status, note, files, None, category))
    return [ChecklistSection(title, tuple(items)) for title, items in sections.items()]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(pack: Pack, sections: list[ChecklistSection], summary: Mapping[str, Any] | None = None) -> str:
    """`checklist.md`: a heading with the run's verdict line, banners, facts, scope and counts, then one table per
    section. `summary` (the run's `summary.json`) gives the verdict line, banners and warnings."""
    target: Mapping[str, Any] = pack.run.get("target") or {}
    items = [item for section in sections for item in section.items]
    counts = {status: sum(1 for item in items if item.status == status) for status in STATUSES}
    conformance = ((target.get("profile") or {}).get("expectations") or {}).get("conformance", "ig")
    lines = [f"# Care Connect assurance checklist — {target.get('name', 'unknown target')}", ""]
    if summary is not None:
        lines += [f"**{summary['headline']['text']}**", ""]
        lines += [f"> **Warning:** {banner}" for banner in summary.get("banners") or ()]
        lines += [""] if summary.get("banners") else []
    lines += [
        f"- Target: {target.get('base_url', '?')} (conformance level: {str(conformance).upper()})",
        (
            f"- Run: {pack.run.get('started', '?')} to {pack.run.get('ended') or 'not ended'}"
            f" · {harness_text(pack.run)} · {'complete' if pack.complete else 'INCOMPLETE (interrupted)'}"
        ),
        *(f"- {label}: {text}" for label, text in scope_facts(pack.run.get("scope") or {})),
        "- Requirements: " + " · ".join(f"{counts[status]} {status}" for status in STATUSES),
    ]
    if summary is not None:
        levels = (summary.get("coverage") or {}).get("levels") or {}
        for level, numbers in levels.items():
            lines.append(
                f"- {level} requirements tested: {numbers['tested']} of {numbers['applicable']}"
                f" ({numbers['untested']} not tested, {numbers['not-applicable']} not applicable to this target)"
            )
        lines += [f"- Warning: {warning['message']}" for warning in summary.get("warnings") or ()]
    lines += [
        (
            "- A requirement is judged by its own checks: a search that worked is met even when a resource it returned"
            " fails its profile, which is then not met under the profile requirements."
        ),
        "- Evidence links are relative to this file's folder; `report.html` shows the same checklist with the exchanges.",
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", "", "| Requirement | Level | Status | Note | Evidence |", "|---|---|---|---|---|"]
        for item in section.items:
            status = f"**{item.status}**" if item.status in ("not met", "waived") else item.status
            links = ", ".join(f"[{Path(path).name or path}]({path})" for path in item.evidence)
            text = f"**{item.requirement.id}** {_cell(item.requirement.text)}"
            lines.append(f"| {text} | {item.level or '—'} | {status} | {_cell(item.note)} | {links} |")
        lines.append("")
    return "\n".join(lines)


def write_checklist(pack: Pack, sections: list[ChecklistSection] | None = None, summary: Mapping[str, Any] | None = None) -> Path:
    path = pack.root / CHECKLIST_FILE
    write_text(path, render_markdown(pack, sections if sections is not None else assurance_checklist(pack), summary))
    return path
