"""The Allure categories: one per failure cause, named and ordered by requirement area, matching the failed
scenarios' messages the same way in Python, Java's whole-message match and JavaScript (Allure 3), then catch-alls."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from carecheck.evidence import Pack
from carecheck.report import allure_categories, failure_causes, requirement_areas, write_categories
from tests.report.test_causes import finding, scenario

MESSAGE = (
    "[CC-PROFILE-VALID] GET http://x/STU3/Observation?patient=p1: "
    "[cardinality] 'encounter' has {n} values, at most 1 allowed at Bundle.entry[{n}].resource.encounter (evidence: evidence/a/001.json)"
)
TWO_FAILURES = MESSAGE.format(n=1) + "\n[CC-PROFILE-VALID] GET http://x/STU3/Observation?patient=p1: [binding] 'x' is not in the value set"
READ = "[CC-READ-404] GET http://x/STU3/Patient/nope: expected status 404, got 200 (evidence: evidence/b/001.json)"
NODE = shutil.which("node")


def causes() -> list:  # type: ignore[type-arg]
    profile = [
        scenario(
            f"s{n}",
            finding(
                f"[cardinality] 'encounter' has {n} values, at most 1 allowed", pointer=f"Bundle.entry[{n}].resource.encounter", resource_type="Observation"
            ),
        )
        for n in range(2)
    ]
    read = scenario("r", finding("expected status 404, got 200", check="status_code", requirements=("CC-READ-404",)))
    unknown = scenario("u", finding("a supplier's own rule failed", check="supplier_rule", requirements=("SUPPLIER-1",)))
    return failure_causes(Pack(Path("."), {}, [*profile, read, unknown], None))


def test_each_cause_is_a_category_named_by_its_area_whose_regex_matches_its_scenarios_whole_messages() -> None:
    categories = allure_categories(causes())
    names = [c["name"] for c in categories]
    assert names[0] == "read: expected status #, got # (status_code; 1 scenario(s))"
    assert names[1] == "profiles: [cardinality] '…' has # values, at most # allowed (profile_valid at Observation.encounter; 2 scenario(s))"
    assert names[2] == "other: a supplier's own rule failed (supplier_rule; 1 scenario(s))"
    assert names[3:] == ["Other failures (the server was judged wrong)", "Harness errors (the scenario could not be run)"]
    profile = categories[1]
    assert profile["matchedStatuses"] == ["failed", "broken"]
    for message in (MESSAGE.format(n=0), MESSAGE.format(n=7), TWO_FAILURES):
        assert re.fullmatch(profile["messageRegex"], message), "Allure 2 matches the whole message, lines and all"
    assert not re.fullmatch(profile["messageRegex"], READ)
    assert re.fullmatch(categories[0]["messageRegex"], READ)


def test_areas_follow_the_catalogue_and_unknown_requirements_are_other() -> None:
    assert requirement_areas(["CC-READ-404", "CC-GEN-REST", "CC-ERR-OUTCOME"]) == ("general", "read", "errors")
    assert requirement_areas(["SUPPLIER-1"]) == requirement_areas([]) == ("other",)


@pytest.mark.skipif(NODE is None, reason="node is not installed: the JavaScript reading of the patterns is not checked")
def test_allure_3_reads_every_pattern_the_same_way_in_javascript() -> None:
    """Allure 3 tests `new RegExp(messageRegex, "s")` against the message: each pattern must compile and find
    exactly what Python finds."""
    categories = [c for c in allure_categories(causes()) if "messageRegex" in c]
    cases: list[dict[str, Any]] = [{"regex": c["messageRegex"], "message": m} for c in categories for m in (MESSAGE.format(n=3), TWO_FAILURES, READ)]
    script = "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log(JSON.stringify(cases.map(c => new RegExp(c.regex, 's').test(c.message))));"
    done = subprocess.run([NODE, "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(done.stdout) == [bool(re.fullmatch(c["regex"], c["message"])) for c in cases]
    assert any(json.loads(done.stdout)) and not all(json.loads(done.stdout))


def test_categories_are_written_into_the_allure_results_only(tmp_path: Path) -> None:
    assert write_categories(tmp_path, causes()) is None and not list(tmp_path.iterdir())
    (tmp_path / "allure-results").mkdir()
    written = write_categories(tmp_path, causes())
    assert written == tmp_path / "allure-results" / "categories.json"
    assert len(json.loads(written.read_text())) == 5


def test_causes_that_read_alike_stay_apart_and_a_long_message_is_cut_short() -> None:
    long = "x" * 300
    alike = [scenario(f"s{n}", finding(long, check=check, requirements=("CC-READ",))) for n, check in enumerate(("status_code", "status_code_again"))]
    same = failure_causes(Pack(Path("."), {}, alike, None))
    names = [c["name"] for c in allure_categories(same)][:2]
    assert len(set(names)) == 2 and all(len(name) < 220 for name in names)
    assert names[0].startswith("read: " + "x" * 159 + "…")
    categories = allure_categories([*same, same[0]])
    assert categories[2]["name"] == categories[0]["name"] + " #2"
