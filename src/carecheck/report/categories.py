r"""`allure-results/categories.json`: the run's failure causes as Allure categories, grouped by requirement area,
so the Allure report's Categories tab groups failed scenarios the way `report.html` and `summary.json` do.

One category per cause, named with the requirement areas its requirements belong to (`search`, `errors`…, from
the requirements catalogue), its message, check and count, and listed area by area in the catalogue's order,
then by how many scenarios show it. Allure puts a failed test in the first category whose `messageRegex` matches its message: Allure 2 (Java)
matches the whole message, Allure 3 (JavaScript) searches it, so each pattern means the same in both
(`[\s\S]*` rather than an inline `(?s)`, which JavaScript does not read; the causes' patterns use only what
Java, Python and JavaScript share). What no cause matches falls into the two catch-all categories at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carecheck.evidence import write_json
from carecheck.report.causes import Cause
from carecheck.requirements import catalogue

__all__ = ["ALLURE_RESULTS", "CATEGORIES_FILE", "allure_categories", "requirement_areas", "write_categories"]

ALLURE_RESULTS = "allure-results"
CATEGORIES_FILE = "categories.json"
_MESSAGE_LENGTH = 160
_ANYTHING = r"[\s\S]*"
_OTHER_AREA = "other"


def _area_rank(area: str) -> tuple[int, str]:
    """Where an area comes in the catalogue (the order its requirements are listed in); unknown areas last."""
    order = {name: index for index, name in enumerate(dict.fromkeys(r.area for r in catalogue().values()))}
    return order.get(area, len(order)), area


def requirement_areas(requirements: Sequence[str]) -> tuple[str, ...]:
    """The catalogue areas of `requirements`, in the catalogue's order (`other` for an id it does not know)."""
    known = catalogue()
    areas = {known[r].area if r in known else _OTHER_AREA for r in requirements} or {_OTHER_AREA}
    return tuple(sorted(areas, key=_area_rank))


def _category_name(cause: Cause, areas: Sequence[str]) -> str:
    """`search: <the cause's message> (search_sound at Patient.birthDate; 2 scenario(s))`: the message first, as
    the part that tells causes apart (Allure shows a long name cut short)."""
    message = cause.message if len(cause.message) <= _MESSAGE_LENGTH else cause.message[: _MESSAGE_LENGTH - 1] + "…"
    where = f" at {cause.path}" if cause.path else ""
    return f"{', '.join(areas)}: {message} ({cause.check or 'no check'}{where}; {len(cause.scenarios)} scenario(s))"


def _unique(name: str, taken: set[str]) -> str:
    """Allure merges categories of the same name: a second cause that reads the same is numbered."""
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name} #{number}"
    taken.add(unique)
    return unique


def allure_categories(causes: Sequence[Cause]) -> list[dict[str, Any]]:
    """One category per cause (named with its areas and count), area by area and the most widespread first
    within an area, then the catch-alls for failures and harness errors."""
    ranked = []
    names: set[str] = set()
    for position, cause in enumerate(causes):
        areas = requirement_areas(cause.requirements)
        name = _unique(_category_name(cause, areas), names)
        category = {"name": name, "messageRegex": f"{_ANYTHING}{cause.pattern}{_ANYTHING}", "matchedStatuses": ["failed", "broken"]}
        ranked.append(((_area_rank(areas[0]), position), category))
    listed = [category for _, category in sorted(ranked, key=lambda entry: entry[0])]
    listed.append({"name": "Other failures (the server was judged wrong)", "matchedStatuses": ["failed"]})
    listed.append({"name": "Harness errors (the scenario could not be run)", "matchedStatuses": ["broken"]})
    return listed


def write_categories(report_dir: Path, causes: Sequence[Cause]) -> Path | None:
    """Write `categories.json` into the run's Allure results (None when the run has none)."""
    folder = report_dir / ALLURE_RESULTS
    if not folder.is_dir():
        return None
    path = folder / CATEGORIES_FILE
    write_json(path, allure_categories(causes))
    return path
