"""Which carecheck ran: the commit from a real git checkout or a PEP 610 install record, never an error
without git, and a features digest that changes with any scenario."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.project import FEATURES
from carecheck.provenance import checkout_commit, executor_facts, features_digest, harness_facts, harness_text, installed_commit

GIT = shutil.which("git")


def _git(folder: Path, *arguments: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@x.example"]
    return subprocess.run(["git", *identity, "-C", str(folder), *arguments], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_a_checkout_gives_its_commit_and_says_when_tracked_files_changed(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("one\n")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")
    assert checkout_commit(tmp_path) == head
    (tmp_path / "untracked.txt").write_text("not part of the checkout's state\n")
    assert checkout_commit(tmp_path) == head
    (tmp_path / "a.txt").write_text("two\n")
    assert checkout_commit(tmp_path) == f"{head}+dirty"
    (tmp_path / "inner").mkdir()
    assert checkout_commit(tmp_path / "inner") is None, "a folder inside another repository is not a checkout of its own"


def test_no_git_or_no_repository_is_an_unknown_commit_never_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert checkout_commit(tmp_path) is None
    monkeypatch.setenv("PATH", str(tmp_path))
    assert checkout_commit(Path.cwd()) is None


def test_a_vcs_install_record_names_the_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "supplierpkg-1.0.dist-info"
    record.mkdir()
    (record / "METADATA").write_text("Metadata-Version: 2.1\nName: supplierpkg\nVersion: 1.0\n")
    direct = {"url": "https://git.example/carecheck.git", "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}}
    (record / "direct_url.json").write_text(json.dumps(direct))
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert installed_commit("supplierpkg") == "0123456789abcdef0123456789abcdef01234567"
    (record / "direct_url.json").write_text(json.dumps({"url": "file:///src", "dir_info": {"editable": True}}))
    assert installed_commit("supplierpkg") is None
    assert installed_commit("no-such-distribution-here") is None


def test_the_features_digest_changes_with_any_scenario_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "patient").mkdir()
    feature = tmp_path / "patient" / "read.feature"
    feature.write_text("Feature: read\n  Scenario: one\n    Given a server\n")
    first = features_digest([tmp_path])
    (tmp_path / "notes.md").write_text("not a feature\n")
    assert features_digest([tmp_path]) == first
    feature.write_text("Feature: read\n  Scenario: two\n    Given a server\n")
    assert features_digest([tmp_path]) != first
    feature.write_text("Feature: read\n  Scenario: one\n    Given a server\n")
    feature.rename(tmp_path / "patient" / "renamed.feature")
    assert features_digest([tmp_path]) != first


def test_the_run_facts_and_their_line() -> None:
    facts = harness_facts()
    assert facts["features_sha256"] == features_digest([FEATURES]) and len(facts["features_sha256"]) == 64
    assert harness_text({"harness_version": "1.2", "harness_commit": "a" * 40 + "+dirty", "features_sha256": "f" * 64}) == (
        f"carecheck 1.2 (commit {'a' * 12}+dirty, features sha256 {'f' * 12})"
    )
    assert harness_text({"harness_version": "1.2"}) == "carecheck 1.2 (commit unknown)"


def test_the_executor_is_the_ci_job_that_ran_or_this_host() -> None:
    github = {
        "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": "nhs/assure",
        "GITHUB_RUN_ID": "991", "GITHUB_RUN_NUMBER": "57", "GITHUB_WORKFLOW": "carecheck nightly", "GITHUB_JOB": "conformance",
    }  # fmt: skip
    assert executor_facts(github) == {
        "name": "GitHub Actions", "type": "github", "build": "nhs/assure carecheck nightly #57 (conformance)",
        "url": "https://github.example/nhs/assure/actions/runs/991",
    }  # fmt: skip
    gitlab = {
        "GITLAB_CI": "true",
        "CI_PROJECT_PATH": "nhs/assure",
        "CI_PIPELINE_IID": "12",
        "CI_JOB_NAME": "carecheck: [a]",
        "CI_JOB_URL": "https://gitlab.example/j/5",
    }
    assert executor_facts(gitlab)["build"] == "nhs/assure pipeline #12 (carecheck: [a])" and executor_facts(gitlab)["url"] == "https://gitlab.example/j/5"
    assert executor_facts({})["type"] == "local"
