"""`allure-results/categories.json`: the run's failure causes as Allure categories, so the Allure report's
Categories tab groups failed scenarios the way `report.html` and `summary.json` do.

Allure puts a failed test in the first category whose `messageRegex` matches its whole message (Java regular
expressions; the causes' patterns use only what Java and Python share); what no cause matches falls into the
two catch-all categories at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carecheck.evidence import write_json
from carecheck.report.causes import Cause

__all__ = ["ALLURE_RESULTS", "CATEGORIES_FILE", "allure_categories", "write_categories"]

ALLURE_RESULTS = "allure-results"
CATEGORIES_FILE = "categories.json"
_NAME_LENGTH = 200


def allure_categories(causes: Sequence[Cause]) -> list[dict[str, Any]]:
    """One category per cause (named with its count), then the catch-alls for failures and harness errors."""
    categories: list[dict[str, Any]] = []
    for cause in causes:
        name = cause.describe()
        categories.append(
            {
                "name": name if len(name) <= _NAME_LENGTH else name[: _NAME_LENGTH - 1] + "…",
                "messageRegex": f"(?s).*{cause.pattern}.*",
                "matchedStatuses": ["failed", "broken"],
            }
        )
    categories.append({"name": "Other failures (the server was judged wrong)", "matchedStatuses": ["failed"]})
    categories.append({"name": "Harness errors (the scenario could not be run)", "matchedStatuses": ["broken"]})
    return categories


def write_categories(report_dir: Path, causes: Sequence[Cause]) -> Path | None:
    """Write `categories.json` into the run's Allure results (None when the run has none)."""
    folder = report_dir / ALLURE_RESULTS
    if not folder.is_dir():
        return None
    path = folder / CATEGORIES_FILE
    write_json(path, allure_categories(causes))
    return path
