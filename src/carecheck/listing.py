"""What `carecheck list` shows without running anything: the scenarios a run would select, the requirements,
the checks (the names a waiver's `check` may use) and the step vocabulary a supplier's features may use.

Each list is a function giving one mapping per entry (`--json` prints them whole) and the fields of its
one-line form.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from carecheck.checks import CHECKS
from carecheck.requirements import catalogue
from carecheck.run.own_features import check_features
from carecheck.run.selection import select, suite_definitions, suite_scenarios
from carecheck.run.vocabulary import vocabulary

__all__ = ["LISTS", "checks", "requirements", "scenarios", "steps"]

Entries = list[dict[str, object]]


def checks(**_: object) -> Entries:
    return [{"name": c.name, "requirements": list(c.requirements), "description": c.description} for c in CHECKS]


def requirements(features: Path | None = None, **_: object) -> Entries:
    """The catalogue, then the requirement ids the supplier's own scenarios name that it lacks (level `own`)."""
    known = catalogue()
    listed: Entries = [{"id": r.id, "level": r.level, "ig": r.ig, "core": r.core, "area": r.area, "text": r.text, "source": r.source} for r in known.values()]
    if features is not None:
        folder = check_features(features)
        own = dict.fromkeys(r for scenario in suite_scenarios(folder) for r in scenario.requirements if r not in known)
        text = "the supplier's own (named by a scenario of --features)"
        listed += [{"id": r, "level": "own", "ig": "", "core": "", "area": "own", "text": text, "source": str(folder)} for r in own]
    return listed


def scenarios(features: Path | None = None, suite: str | None = None, tags: str | None = None, suites: Path | None = None, **_: object) -> Entries:
    """The scenarios `carecheck run` would select with the same options, in run order."""
    folder = check_features(features) if features is not None else None
    selection = select(suite, tags, suite_definitions(suites), folder)
    return [{"feature": s.feature, "name": s.name, "tags": sorted(s.markers), "requirements": list(s.requirements)} for s in selection.selected]


def steps(**_: object) -> Entries:
    return [step.to_data() for step in vocabulary()]


LISTS: dict[str, tuple[Callable[..., Entries], tuple[str, ...]]] = {
    "checks": (checks, ("name", "requirements", "description")),
    "requirements": (requirements, ("id", "level", "text")),
    "scenarios": (scenarios, ("feature", "name", "requirements")),
    "steps": (steps, ("keyword", "pattern", "vocabulary")),
}
"""Each list: the function giving its entries, and the fields of one line per entry."""
