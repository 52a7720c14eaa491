"""The CI examples stay true: one job per target with its pack kept, a final job merging the packs with
`carecheck index`, and every carecheck command they run is one the command line accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from carecheck.cli import _parser

EXAMPLES = Path(__file__).parent.parent / "examples" / "ci"
GITHUB = EXAMPLES / "github-actions-nightly.yml"
GITLAB = EXAMPLES / "gitlab-ci-nightly.yml"


def carecheck_commands(script: str) -> list[list[str]]:
    """Every `carecheck …` command in a shell script, up to its `||`, `&&` or `;`, with CI expressions stood in."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "x", script).replace("\\\n", " ")
    pattern = r"(?:^|[;&|]\s*|then\s+)carecheck\s+([^;&|]*)"
    return [shlex.split(match.group(1).replace("; fi", "")) for line in text.splitlines() for match in re.finditer(pattern, line)]


def github_scripts(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def gitlab_scripts(pipeline: dict[str, Any]) -> list[str]:
    return [line for job in pipeline.values() if isinstance(job, dict) for line in job.get("script", [])]


@pytest.mark.parametrize(("example", "scripts"), [(GITHUB, github_scripts), (GITLAB, gitlab_scripts)], ids=["github", "gitlab"])
def test_every_carecheck_command_of_the_examples_parses(example: Path, scripts: Any) -> None:
    commands = [command for script in scripts(yaml.safe_load(example.read_text())) for command in carecheck_commands(script)]
    assert {command[0] for command in commands} >= {"run", "compare", "index"}
    for command in commands:
        _parser().parse_args(command)  # a usage error exits 2 and fails the test
    runs = [command for command in commands if command[0] == "run"]
    assert runs and all("--baseline" in command for command in runs), "every nightly run holds its target to a baseline"


@pytest.mark.parametrize("example", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_examples_say_how_a_baseline_is_made(example: Path) -> None:
    commented = [line.split("carecheck ", 1)[1] for line in example.read_text().splitlines() if line.startswith("#") and "carecheck baseline " in line]
    assert commented, "the example says how the baseline is made"
    for command in commented:
        _parser().parse_args(shlex.split(command))


@pytest.mark.parametrize("example", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_examples_install_carecheck_as_a_package_and_need_no_checkout(example: Path) -> None:
    text = example.read_text()
    assert 'pip install "$CARECHECK"' in text and "CARECHECK: carecheck==" in text
    assert "CARECHECK_HOME" not in text and "--editable" not in text and "tools/allure" not in text


def test_github_runs_a_matrix_of_targets_then_merges_their_packs() -> None:
    workflow = yaml.safe_load(GITHUB.read_text())
    conformance, index = workflow["jobs"]["conformance"], workflow["jobs"]["index"]
    assert conformance["strategy"]["fail-fast"] is False and len(conformance["strategy"]["matrix"]["include"]) >= 2
    uploads = [s for s in conformance["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["name"] == "carecheck-${{ matrix.target }}" and uploads[0]["if"] == "always()"
    assert index["needs"] == "conformance" and index["if"] == "always()"
    downloads = [s for s in index["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact")]
    assert downloads[0]["with"]["pattern"] == "carecheck-*"
    assert any("carecheck index nightly/carecheck-*/pack" in step.get("run", "") for step in index["steps"])
    assert any("carecheck allure" in step.get("run", "") for step in conformance["steps"])


def test_gitlab_runs_a_parallel_matrix_then_merges_their_packs() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text())
    nightly, index = pipeline["carecheck-nightly"], pipeline["carecheck-index"]
    assert len(nightly["parallel"]["matrix"]) >= 2 and nightly["artifacts"]["when"] == "always"
    assert nightly["artifacts"]["paths"] == ["nightly/$TARGET"]
    assert index["needs"] == [{"job": "carecheck-nightly", "artifacts": True}] and index["rules"][0]["when"] == "always"
    assert any(line.startswith("carecheck index nightly/*/pack") for line in index["script"])
