"""What a run covered, as every view states it: the suite and tags it selected ("N of M scenarios of the full
suite"), the workers, the profile and any `--base-url` override, and whether it ran in sign-off mode — from
the `scope` that `carecheck run` records in `run.json` before the scenarios start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["scope_facts", "selection_text"]


def selection_text(scope: Mapping[str, Any]) -> str:
    """`suite smoke, tags "patient": 5 of 545 scenarios of the full suite` (or that the scope was not recorded)."""
    if not scope:
        return "not recorded (a run made without `carecheck run`)"
    counts = scope.get("scenarios") or {}
    tags = f', tags "{scope["tags"]}"' if scope.get("tags") else ""
    narrowed = " (narrowed by pytest's own options: -k, node ids or --deselect)" if scope.get("narrowed_by_pytest_options") else ""
    return f"suite {scope.get('suite') or 'full'}{tags}: {counts.get('selected', '?')} of {counts.get('in_suite', '?')} scenarios of the full suite{narrowed}"


def scope_facts(scope: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) rows for the facts tables of `report.html` and `checklist.md`."""
    if not scope:
        return [("Selection", selection_text(scope))]
    workers = scope.get("workers") or {}
    used, asked = workers.get("used", 1), workers.get("asked", 1)
    base_url = scope.get("base_url") or {}
    if base_url.get("override"):
        tested = f"{base_url.get('tested')} (--base-url override; the profile says {base_url.get('profile')})"
    else:
        tested = (
            f"{base_url.get('tested')} (the profile's {base_url.get('profile')})"
            if base_url.get("profile") != base_url.get("tested")
            else str(base_url.get("tested"))
        )
    return [
        ("Selection", selection_text(scope)),
        ("Target profile", str(scope.get("profile") or "?")),
        ("Base URL tested", tested),
        ("Workers", f"{used}" + (f" (-n {asked}, capped by limits.concurrency)" if asked != used else "")),
        ("Sign-off mode", "on: a run that leaves a SHALL requirement untested fails (exit 4)" if scope.get("sign_off") else "off"),
    ]
