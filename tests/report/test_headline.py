"""The verdict line: never a plain green PASSED for a run that left a SHALL requirement untested."""

from __future__ import annotations

from typing import Any

from carecheck.report import headline

SMOKE = {"suite": "smoke", "tags": None, "scenarios": {"selected": 5, "in_suite": 545}, "sign_off": False}


def summary(*, failed: int = 0, untested: int = 0, complete: bool = True, scope: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "complete": complete,
        "scope": scope if scope is not None else SMOKE,
        "totals": {"scenarios": 5, "passed": 5 - failed, "failed": failed, "error": 0},
        "coverage": {
            "levels": {"SHALL": {"tested": 30 - untested, "untested": untested, "not-applicable": 2, "applicable": 30}},
            "untested": [{"id": f"CC-X-{n}", "level": "SHALL", "category": "not selected", "reason": "not selected"} for n in range(untested)],
        },
    }


def test_a_run_that_tested_every_shall_requirement_passes_green() -> None:
    line = headline(summary(scope={}))
    assert line.status == "PASSED" and line.colour == "#2e7d32"
    assert line.text == "PASSED — no scenario of 5 failed · 5 scenarios · SHALL requirements tested: 30 of 30"


def test_a_smoke_run_states_its_scope_and_is_not_plain_green() -> None:
    line = headline(summary(untested=7))
    assert line.status == "PASSED, NOT FULLY TESTED" and line.colour != "#2e7d32"
    assert "suite smoke: 5 of 545 scenarios of the full suite" in line.text
    assert "SHALL requirements tested: 23 of 30" in line.text and "untested: CC-X-0, CC-X-1, CC-X-2, CC-X-3, CC-X-4 …" in line.text


def test_sign_off_mode_turns_untested_requirements_into_not_signed_off() -> None:
    line = headline(summary(untested=1, scope={**SMOKE, "sign_off": True}))
    assert line.status == "NOT SIGNED OFF" and "1 SHALL requirement(s) were not tested (sign-off mode)" in line.text
    assert headline(summary(scope={**SMOKE, "sign_off": True})).status == "PASSED"


def test_failures_and_interruptions_come_first() -> None:
    assert headline(summary(failed=2, untested=3)).text.startswith("FAILED — 2 of 5 scenarios failed or could not run · suite smoke")
    assert headline(summary(failed=2, complete=False)).status == "INCOMPLETE"
