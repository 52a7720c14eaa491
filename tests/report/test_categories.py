"""The Allure categories: one per failure cause, matching the failed scenarios' messages, then catch-alls."""

from __future__ import annotations

import json
import re
from pathlib import Path

from carecheck.evidence import Pack
from carecheck.report import allure_categories, failure_causes, write_categories
from tests.report.test_causes import finding, scenario

MESSAGE = "[CC-PROFILE-VALID] GET http://x/STU3/Observation?patient=p1: [cardinality] 'encounter' has {n} values, at most 1 allowed at Bundle.entry[{n}].resource.encounter (evidence: evidence/a/001.json)"


def causes() -> list:  # type: ignore[type-arg]
    scenarios = [scenario(f"s{n}", finding(f"[cardinality] 'encounter' has {n} values, at most 1 allowed", pointer=f"Bundle.entry[{n}].resource.encounter", resource_type="Observation")) for n in range(2)]
    return failure_causes(Pack(Path("."), {}, scenarios, None))


def test_each_cause_is_a_category_whose_regex_matches_its_scenarios_whole_messages() -> None:
    categories = allure_categories(causes())
    first = categories[0]
    assert first["name"].startswith("2 scenario(s): [CC-PROFILE-VALID] profile_valid at Observation.encounter")
    assert first["matchedStatuses"] == ["failed", "broken"]
    for n in (0, 7):
        assert re.fullmatch(first["messageRegex"], MESSAGE.format(n=n)), "Allure matches the whole message"
    assert not re.fullmatch(first["messageRegex"], "[CC-READ] GET http://x: expected status 404, got 200")
    assert [c["name"] for c in categories[1:]] == ["Other failures (the server was judged wrong)", "Harness errors (the scenario could not be run)"]


def test_categories_are_written_into_the_allure_results_only(tmp_path: Path) -> None:
    assert write_categories(tmp_path, causes()) is None and not list(tmp_path.iterdir())
    (tmp_path / "allure-results").mkdir()
    written = write_categories(tmp_path, causes())
    assert written == tmp_path / "allure-results" / "categories.json"
    assert len(json.loads(written.read_text())) == 3
