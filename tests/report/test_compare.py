"""compare: two runs side by side, and exit 1 when the second has new failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from carecheck.cli import main
from carecheck.evidence import read_pack
from carecheck.report.compare import compare
from tests.packs import real_pack, synthetic_pack


def edited(source: Path, target: Path, outcomes: dict[str, str]) -> Path:
    """A copy of a pack with some scenarios' outcomes changed, and one exchange made slower."""
    shutil.copytree(source, target)
    for scenario, outcome in outcomes.items():
        path = target / "evidence" / scenario / "result.json"
        result = json.loads(path.read_text())
        result["outcome"] = outcome
        path.write_text(json.dumps(result))
    exchange = target / "evidence/patient/read/known/001-GET-Patient-p1.json"
    slow = json.loads(exchange.read_text())
    slow["elapsed_ms"] = 400.0
    exchange.write_text(json.dumps(slow))
    return target


def test_changes_are_sorted_into_new_fixed_still_failing_and_newly_not_applicable(tmp_path: Path) -> None:
    before = synthetic_pack(tmp_path / "a")
    after = edited(before, tmp_path / "b", {"patient/read/known": "failed", "patient/read/warned": "not-applicable", "patient/search/pages": "waived"})
    comparison = compare(before, after)
    assert [c.scenario for c in comparison.new_failures] == ["patient/read/known"]
    assert [c.scenario for c in comparison.still_failing] == ["patient/read/unknown"]
    assert [c.scenario for c in comparison.newly_not_applicable] == ["patient/read/warned"]
    assert [(c.scenario, c.before, c.after) for c in comparison.other_changes] == [("patient/search/pages", "passed", "waived")]
    assert [c.scenario for c in comparison.slower] == ["patient/read/known"] and comparison.faster == ()
    back = compare(after, before)
    assert [c.scenario for c in back.fixed] == ["patient/read/known"] and back.new_failures == ()
    lines = comparison.lines()
    assert "new failures (1):" in lines and "  passed -> failed: patient/read/known" in lines
    assert any(line.startswith("response times: median") and "1 scenario(s) slower" in line for line in lines)
    assert json.loads(json.dumps(comparison.to_data()))["new_failures"][0]["scenario"] == "patient/read/known"


def test_a_scenario_that_became_inconclusive_is_listed_as_such_never_as_fixed(tmp_path: Path) -> None:
    before = synthetic_pack(tmp_path / "a")
    after = edited(before, tmp_path / "b", {"patient/read/known": "inconclusive", "patient/read/unknown": "inconclusive"})
    comparison = compare(before, after)
    assert [(c.scenario, c.before) for c in comparison.newly_inconclusive] == [("patient/read/known", "passed"), ("patient/read/unknown", "failed")]
    assert comparison.fixed == () and comparison.new_failures == ()
    assert "newly inconclusive (2):" in comparison.lines()
    assert [c["scenario"] for c in comparison.to_data()["newly_inconclusive"]] == ["patient/read/known", "patient/read/unknown"]


@pytest.mark.e2e
def test_a_clean_run_against_a_faulty_one_lists_exactly_the_new_failures(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, faulty = real_pack(tmp_path_factory, "clean"), real_pack(tmp_path_factory, "faulty")
    failing = {s.id for s in read_pack(faulty).scenarios if s.outcome in ("failed", "error")}
    assert "patient/patient_read/an-unknown-patient-is-not-found" in failing and len(failing) >= 4
    assert main(["compare", str(clean), str(faulty), "--json", str(tmp_path / "compare.json")]) == 1
    data = json.loads((tmp_path / "compare.json").read_text())
    assert {c["scenario"] for c in data["new_failures"]} == failing
    assert data["fixed"] == data["still_failing"] == data["other_changes"] == []
    ignored = data["newly_not_applicable"]
    assert all("the server ignored birthdate=" in c["message"] for c in ignored), "only the optional prefixes of the ignored birthdate"
    assert f"new failures ({len(failing)}):" in capsys.readouterr().out
    assert main(["compare", str(faulty), str(clean)]) == 0
    back = capsys.readouterr().out
    assert f"fixed ({len(failing)}):" in back and "new failures (0)" in back
