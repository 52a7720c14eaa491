"""Baseline files: reading, checking (who and why required), writing back, and pinned searches with {base}."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.baseline import Baseline, Pin, dump_baseline, load_baseline, parse_baseline, pinned_search, search_params
from carecheck.errors import ConfigError

BASE_URL = "http://127.0.0.1:8080/STU3"
GOOD = {
    "baseline": {"owner": "qa@x.example", "reason": "the sandbox dataset", "target": "sandbox", "recorded": "2026-12-06"},
    "pins": [
        {"search": "Patient?family=MEAKIN", "ids": ["Patient/1"], "total": 1},
        {"search": "Patient?gender=male", "at_least": ["Patient/1"], "reason": "others may join"},
        {"search": "Practitioner?address-postalcode=NG10", "count": 3},
    ],
}


def test_a_baseline_file_reads_back_as_it_was_written(tmp_path: Path) -> None:
    baseline = parse_baseline(GOOD)
    path = tmp_path / "baseline.yaml"
    path.write_text(dump_baseline(baseline))
    assert load_baseline(path) == baseline
    assert path.read_text().startswith("# carecheck baseline:")
    assert baseline.pins[1] == Pin("Patient?gender=male", at_least=("Patient/1",), reason="others may join")
    assert baseline.describe() == "qa@x.example (the sandbox dataset, recorded 2026-12-06)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"baseline": {"owner": "qa"}}, "baseline.reason is required: pins are reviewed like waivers (who accepted them, and why)"),
        ({"baseline": {"owner": " ", "reason": "r"}}, "baseline.owner is required"),
        ({"baseline": {"owner": "qa", "reason": "r", "expires": "x"}}, "baseline: unknown field(s) expires"),
        ({"pins": [{"search": "Patient?family=x"}]}, "pin 1 (Patient?family=x): give ids, at_least, count or total"),
        (
            {"pins": [{"search": "Patient?family=x", "ids": ["Patient/1"], "at_least": []}]},
            "ids (exactly these) and at_least (these and perhaps others) exclude each other",
        ),
        ({"pins": [{"search": "Patient?family=x", "ids": ["1"]}]}, "pin 1 (Patient?family=x): ids is a list of Type/id"),
        ({"pins": [{"search": "Patient?family=x", "count": -1}]}, "count is a whole number"),
        ({"pins": [{"search": "family=x", "count": 1}]}, "pin 1: search must be [type]?[query]"),
        ({"pins": [{"search": "Patient?family=x", "count": 1, "why": "?"}]}, "pin 1: unknown field(s) why"),
        ({"pins": [{"search": "Patient?a=1", "count": 1}, {"search": "Patient?a=1", "count": 2}]}, "pins: Patient?a=1 is pinned twice"),
        ({"pins": {"search": "Patient?a=1"}}, "a baseline is a mapping with `baseline:`"),
    ],
)
def test_mistakes_are_named(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=None) as raised:
        parse_baseline({**GOOD, **change})
    assert message in str(raised.value)


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("baseline: [\n")
    with pytest.raises(ConfigError, match=r"b\.yaml: line \d+ is not valid YAML"):
        load_baseline(path)
    with pytest.raises(ConfigError, match="cannot read the baseline"):
        load_baseline(tmp_path / "missing.yaml")


def test_a_pinned_search_is_readable_and_parses_back_whatever_the_values() -> None:
    params = [("patient", f"{BASE_URL}/Patient/1"), ("date", "ge2018-11-29T08:54:18+00:00"), ("phone", "0113 496 0234"), ("name", "a&b=c")]
    search = pinned_search("Observation", params, BASE_URL)
    assert search == "Observation?patient={base}/Patient/1&date=ge2018-11-29T08%3A54%3A18%2B00%3A00&phone=0113%20496%200234&name=a%26b%3Dc".replace("%3A", ":")
    assert search_params(search, "https://other.example/fhir") == [("patient", "https://other.example/fhir/Patient/1"), *params[1:]]
    assert Pin(search, count=1).params(BASE_URL) == params and Pin(search, count=1).resource_type == "Observation"


def test_a_baseline_with_nothing_left_out_writes_no_left_out() -> None:
    assert "left_out" not in dump_baseline(Baseline("qa", "r", (Pin("Patient?a=1", count=1),)))
