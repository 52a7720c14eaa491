"""The console lines of a finished run: banner, warnings, causes, the first failures and how many more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecheck.report import failure_lines


def summary(failures: int, *, untested: list[dict[str, str]] | None = None) -> dict[str, Any]:
    cause = {
        "check": "profile_valid",
        "requirements": ["CC-PROFILE-VALID", "A", "B", "C"],
        "path": "Observation.encounter",
        "message": "[cardinality] '…' has # values",
        "scenarios": failures,
        "example": {"scenario": "a/s0"},
    }
    return {
        "banners": ["this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x); 3 failure(s) follow from it"],
        "warnings": [{"kind": "unused", "message": "waiver 1 (Fixed; qa) matched no finding in this run"}],
        "causes": {"failed_scenarios": failures, "causes": [cause] * (12 if failures > 1 else failures)},
        "scenarios": [{"id": f"a/s{n}", "outcome": "failed", "message": f"[CC-PROFILE-VALID] GET x: bad {n}\nsecond line"} for n in range(failures)]
        + [{"id": "a/ok", "outcome": "passed", "message": ""}],
        "coverage": {"untested": untested or []},
    }


def test_the_banner_and_warnings_come_first_then_the_causes_then_the_failures() -> None:
    lines = failure_lines(summary(25), Path("reports/x"))
    assert lines[0] == "carecheck: WARNING: this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x); 3 failure(s) follow from it"
    assert lines[1] == "carecheck: warning: waiver 1 (Fixed; qa) matched no finding in this run"
    assert lines[2] == "carecheck: 25 failed scenarios, 12 causes:"
    assert lines[3] == "  25× [CC-PROFILE-VALID, A, B +1] profile_valid at Observation.encounter: [cardinality] '…' has # values (e.g. a/s0)"
    assert lines[13] == "  … and 2 more causes: see reports/x/report.html"
    failures = [line for line in lines if line.startswith("  failed: ")]
    assert len(failures) == 20 and failures[0] == "  failed: a/s0: [CC-PROFILE-VALID] GET x: bad 0"
    assert lines[-1] == "  … and 5 more failures: see reports/x/report.html"


def test_no_more_line_when_every_failure_is_shown_and_one_cause_is_one_cause() -> None:
    lines = failure_lines(summary(1), Path("r"), shown=20)
    assert "carecheck: 1 failed scenario, 1 cause:" in lines and not [line for line in lines if "more failures" in line]


def test_untested_shall_requirements_are_listed_and_those_not_selected_counted() -> None:
    untested = [{"id": f"CC-{n}", "level": "SHALL", "category": "not selected", "reason": "not selected"} for n in range(30)]
    untested.append({"id": "CC-SEC-TLS", "level": "SHALL", "category": "not applicable to this target", "reason": "not applicable to this target: not https"})
    lines = failure_lines({**summary(0), "banners": [], "warnings": []} | {"coverage": {"untested": untested}}, Path("r"))
    assert lines == [
        "carecheck: 31 SHALL requirement(s) not tested:",
        "  30 not selected by this run (its suite or tags left them out)",
        "  CC-SEC-TLS: not applicable to this target: not https",
    ]
