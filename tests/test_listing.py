"""Tests for carecheck.listing and `carecheck list` / `carecheck init`: what exists, shown without running anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carecheck.checks import CHECKS
from carecheck.cli import main
from carecheck.config import load_target
from carecheck.listing import checks, requirements, scenarios, steps
from carecheck.requirements import catalogue
from carecheck.run.selection import select
from carecheck.run.vocabulary import vocabulary

OWN = """\
@acme
Feature: Our demo patients
  @req:ACME-DEMO-PATIENT @req:CC-READ
  Scenario: Our demo patient is served
    When the client reads Patient "2f88064f-8dc3-4763-af75-94faf6b08b18"
    Then the response status is 200

  @req:ACME-DEMO-SEARCH
  Scenario: Our demo patient is found by family name
    When the client searches Patient with "family=MEAKIN"
    Then the response status is 200
"""


@pytest.fixture
def own(tmp_path: Path) -> Path:
    folder = tmp_path / "own"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "demo.feature").write_text(OWN, encoding="utf-8")
    return folder


def test_the_lists_are_what_the_registries_hold() -> None:
    assert [entry["name"] for entry in checks()] == [check.name for check in CHECKS]
    assert [entry["id"] for entry in requirements()] == list(catalogue())
    assert len(steps()) == len(vocabulary())
    assert [(entry["feature"], entry["name"]) for entry in scenarios(suite="smoke")] == [(s.feature, s.name) for s in select("smoke").selected]


def test_a_suppliers_scenarios_and_their_own_requirements_are_listed(own: Path) -> None:
    listed = scenarios(features=own, tags="acme")
    assert [(entry["feature"], entry["name"]) for entry in listed] == [
        ("own/acme/demo.feature", "Our demo patient is served"),
        ("own/acme/demo.feature", "Our demo patient is found by family name"),
    ]
    assert listed[0]["requirements"] == ["ACME-DEMO-PATIENT", "CC-READ"] and listed[0]["tags"] == ["acme"]
    theirs = [entry for entry in requirements(features=own) if entry["level"] == "own"]
    assert [entry["id"] for entry in theirs] == ["ACME-DEMO-PATIENT", "ACME-DEMO-SEARCH"]  # CC-READ is carecheck's


def test_a_suites_file_of_ones_own_adds_suites_and_replaces_by_name(tmp_path: Path, own: Path) -> None:
    suites = tmp_path / "suites.yaml"
    suites.write_text("ours:\n  description: our stories\n  tags: acme\nsmoke:\n  tags: acme and not shall\n", encoding="utf-8")
    assert len(scenarios(features=own, suite="ours", suites=suites)) == 2
    assert len(scenarios(features=own, suite="smoke", suites=suites)) == 2  # theirs replaced carecheck's smoke
    assert len(scenarios(features=own, suite="core", suites=suites)) == len(select("core").selected)


def test_list_prints_a_line_or_json_per_entry(capsys: pytest.CaptureFixture[str], own: Path) -> None:
    assert main(["list", "scenarios", "--features", str(own), "--tags", "acme"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "own/acme/demo.feature  Our demo patient is served  ACME-DEMO-PATIENT, CC-READ"
    assert main(["list", "steps", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    [status] = [entry for entry in listed if entry["pattern"] == "the response status is {status:d}"]
    assert (status["keyword"], status["vocabulary"]) == ("then", "http")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["list", "checks", "--tags", "shall"], "--suite, --tags and --suites select scenarios"),
        (["list", "scenarios", "--tags", "shall and and"], "is not a valid tag expression"),
        (["list", "scenarios", "--suite", "nightly-ish"], "no suite named 'nightly-ish'"),
        (["list", "scenarios", "--features", "nowhere"], "--features nowhere is not a folder"),
        (["list", "scenarios", "--suites", "nowhere.yaml"], "cannot read the suites file nowhere.yaml"),
    ],
)
def test_a_bad_list_option_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], arguments: list[str], said: str) -> None:
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert said in error and error.count("\n") == 1


def test_init_writes_a_profile_that_loads_and_never_overwrites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "supplier.yaml"
    assert main(["init", "--url", "https://fhir.supplier.example/STU3", "-o", str(output)]) == 0
    assert f"edit it, then carecheck run --target {output}" in capsys.readouterr().out
    assert load_target(str(output)).base_url == "https://fhir.supplier.example/STU3"
    before = output.read_text(encoding="utf-8")
    assert main(["init", "--url", "https://other.example/STU3", "-o", str(output)]) == 2
    assert "exists: carecheck init never overwrites a file" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == before


def test_init_names_the_file_after_the_host_here(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--url", "https://fhir.supplier.example/STU3"]) == 0
    assert load_target(str(tmp_path / "fhir-supplier-example.yaml")).name == "fhir-supplier-example"
    assert main(["init", "--url", "ftp://fhir.supplier.example"]) == 2
    assert "is not an http(s) URL with a host" in capsys.readouterr().err


def test_init_takes_the_url_as_its_argument_too(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "https://fhir.supplier.example/STU3"]) == 0
    assert load_target(str(tmp_path / "fhir-supplier-example.yaml")).base_url == "https://fhir.supplier.example/STU3"
    assert main(["init", "https://a.example/STU3", "--url", "https://b.example/STU3"]) == 2
    assert "two URLs given" in capsys.readouterr().err


def test_a_bad_top_level_argument_points_at_carecheck_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--colour"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith("(see carecheck --help)\n")
