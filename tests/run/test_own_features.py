"""Tests for carecheck.run.own_features: a supplier's feature folder checked before a run, one line per problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.errors import ConfigError
from carecheck.project import PACKAGE, SUITES
from carecheck.run.own_features import check_features, feature_files, feature_tags, own_folder

GOOD = """\
@acme
Feature: Our demo patients
  @req:ACME-1 @req:CC-READ
  Scenario: Our demo patient is served
    When the client reads Patient "2f88064f-8dc3-4763-af75-94faf6b08b18"
    Then the response status is 200

  @req:ACME-2
  Scenario Outline: Our patients answer with <status>
    When the client reads Patient "<id>"
    Then the response status is <status>

    @acme-examples
    Examples:
      | id     | status |
      | known  | 200    |
      | nobody | 404    |
"""


def folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / "features" / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "features"


def test_a_folder_of_known_steps_is_accepted_resolved(tmp_path: Path) -> None:
    own = folder(tmp_path, **{"stories__demo.feature": GOOD})
    assert check_features(own) == own.resolve()
    assert feature_files(own) == [own / "stories" / "demo.feature"]
    assert feature_tags(own) == {"acme", "acme-examples", "req:ACME-1", "req:CC-READ", "req:ACME-2"}


def test_a_step_carecheck_does_not_know_is_named_by_file_and_line(tmp_path: Path) -> None:
    typo = GOOD.replace("Then the response status is 200", "Then the response status is two hundred")
    own = folder(tmp_path, **{"demo.feature": typo})
    with pytest.raises(ConfigError, match=r"1 step\(s\) carecheck does not know .*demo.feature:6: Then the response status is two hundred"):
        check_features(own)


def test_an_outline_row_that_renders_to_an_unknown_step_is_caught(tmp_path: Path) -> None:
    outline = GOOD.replace("| nobody | 404    |", "| nobody | lots   |")
    with pytest.raises(ConfigError, match=r"demo.feature:11: Then the response status is lots"):
        check_features(folder(tmp_path, **{"demo.feature": outline}))


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({}, "holds no .feature file"),
        ({"notes.txt": "not a feature"}, "holds no .feature file"),
        ({"empty.feature": "Feature: nothing yet\n"}, "hold no scenario"),
        ({"broken.feature": "Scenario: before any feature\n  Given nothing\n"}, "broken.feature: not a Gherkin feature"),
    ],
)
def test_a_folder_that_cannot_run_is_one_configuration_error(tmp_path: Path, files: dict[str, str], said: str) -> None:
    (tmp_path / "features").mkdir()
    with pytest.raises(ConfigError, match=said):
        check_features(folder(tmp_path, **files))


def test_a_missing_folder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a folder"):
        check_features(tmp_path / "nowhere")


def test_a_session_without_the_option_has_no_own_folder(pytestconfig: pytest.Config) -> None:
    assert own_folder(pytestconfig) is None


def test_a_plain_pytest_session_writing_allure_results_needs_the_folder_under_its_rootdir(tmp_path: Path) -> None:
    """allure-pytest-bdd places every feature by its path under the rootdir: the session says which --rootdir
    holds both, in one line, rather than failing every scenario of the folder."""
    own = folder(tmp_path, **{"demo.feature": GOOD})
    command = [sys.executable, "-m", "pytest", str(SUITES), "--features", str(own), "-m", "acme", "--report-dir", str(tmp_path / "out"), "--collect-only"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"--features {own.resolve()} is outside the rootdir {PACKAGE}" in result.stderr
    assert f"add --rootdir {os.path.commonpath([PACKAGE, own.resolve()])}" in result.stderr
