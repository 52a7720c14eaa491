"""Requirement coverage: SHALL and SHOULD requirements counted as tested, untested or not applicable."""

from __future__ import annotations

from carecheck.report import ChecklistItem, ChecklistSection, coverage, shall_tested, untested_shall
from carecheck.requirements import catalogue


def item(requirement: str, status: str, level: str | None, category: str = "") -> ChecklistItem:
    return ChecklistItem(catalogue()[requirement], status, f"note of {requirement}", (), level, category)


SECTIONS = [
    ChecklistSection(
        "One",
        (
            item("CC-READ", "met", "SHALL"),
            item("CC-READ-404", "not met", "SHALL"),
            item("CC-ERR-OUTCOME", "waived", "SHALL"),
            item("CC-SEC-TLS", "not tested", "SHALL", "not applicable to this target"),
            item("CC-SEC-SPINE-JWT", "not applicable", "SHALL"),
            item("CC-SEC-HSTS", "not tested", "SHOULD", "not applicable to this target"),
            item("CC-ERR-EMPTY-PARAM", "met", "SHOULD"),
            item("CC-SEARCH-INCLUDE", "not tested", "MAY"),
            item("CC-SEARCH-CONDITION-CODE", "not applicable", None),
        ),
    )
]


def test_each_level_counts_tested_untested_and_not_applicable() -> None:
    found = coverage(SECTIONS)
    assert found["levels"]["SHALL"] == {"tested": 3, "untested": 1, "not-applicable": 1, "applicable": 4}
    assert found["levels"]["SHOULD"] == {"tested": 1, "untested": 1, "not-applicable": 0, "applicable": 2}
    assert [u["id"] for u in found["untested"]] == ["CC-SEC-TLS", "CC-SEC-HSTS"], "MAY and requirements of no level in force are not counted"
    assert found["untested"][0] == {"id": "CC-SEC-TLS", "level": "SHALL", "category": "not applicable to this target", "reason": "note of CC-SEC-TLS"}
    assert found["untested_by_reason"] == {"SHALL not applicable to this target": 1, "SHOULD not applicable to this target": 1}


def test_the_summary_says_how_many_shall_requirements_were_tested() -> None:
    summary = {"coverage": coverage(SECTIONS)}
    assert shall_tested(summary) == "SHALL requirements tested: 3 of 4"
    assert [u["id"] for u in untested_shall(summary)] == ["CC-SEC-TLS"]
    assert untested_shall({}) == [] and shall_tested({}) == "SHALL requirements tested: 0 of 0"
