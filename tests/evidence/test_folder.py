"""A run's report folder: new, empty or a previous run's pack (replaced whole, and only once the new run has reached
its target); a folder holding anything else is refused before anything runs, with its files untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.errors import ConfigError
from carecheck.evidence import check_report_dir, is_pack, replace_previous_pack, verify
from carecheck.exit_codes import ExitCode


def previous_pack(folder: Path) -> Path:
    (folder / "evidence" / "patient" / "old-scenario").mkdir(parents=True)
    (folder / "evidence" / "patient" / "old-scenario" / "result.json").write_text("{}")
    (folder / "run.json").write_text('{"interrupted": true}')
    (folder / "progress.jsonl").write_text('{"collected": 5}\n')
    return folder


def test_a_new_or_empty_folder_is_taken_as_it_is(tmp_path: Path) -> None:
    check_report_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_report_dir(tmp_path / "empty")
    replace_previous_pack(tmp_path / "empty")
    assert (tmp_path / "empty").is_dir() and not (tmp_path / "new").exists()


def test_a_folder_of_other_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match=r"is not empty and holds no carecheck run: choose a new or empty folder"):
        check_report_dir(tmp_path)
    replace_previous_pack(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_file_is_not_a_report_folder(tmp_path: Path) -> None:
    (tmp_path / "report").write_text("")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        check_report_dir(tmp_path / "report")


def test_a_previous_pack_is_replaced_whole_and_the_folder_kept(tmp_path: Path) -> None:
    folder = previous_pack(tmp_path / "out")
    check_report_dir(folder)
    assert is_pack(folder)
    replace_previous_pack(folder)
    assert folder.is_dir() and list(folder.iterdir()) == []


def carecheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carecheck.cli", *arguments], capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.e2e
def test_a_run_into_a_previous_run_s_folder_seals_only_its_own_evidence(tmp_path: Path) -> None:
    folder = previous_pack(tmp_path / "out")
    assert carecheck("run", "--suite", "smoke", "--tags", "capability", "--report-dir", str(folder)).returncode == 0
    assert sorted(path.name for path in (folder / "evidence").iterdir() if not path.name.startswith("_")) == ["capability"]
    assert json.loads((folder / "run.json").read_text())["interrupted"] is False
    assert [line for line in (folder / "progress.jsonl").read_text().splitlines() if '"collected": 5}' in line] == []
    assert verify(folder).ok


@pytest.mark.e2e
def test_a_run_that_cannot_start_leaves_the_previous_pack_and_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    folder = previous_pack(tmp_path / "out")
    unreachable = carecheck("run", "--base-url", "http://127.0.0.1:9/STU3", "--report-dir", str(folder))
    assert unreachable.returncode == ExitCode.UNREACHABLE, unreachable.stderr
    assert (folder / "evidence" / "patient" / "old-scenario" / "result.json").is_file()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    refused = carecheck("run", "--suite", "smoke", "--report-dir", str(tmp_path / "mine"))
    assert refused.returncode == ExitCode.USAGE and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert "holds no carecheck run" in refused.stderr
    assert sorted(path.name for path in (tmp_path / "mine").iterdir()) == ["notes.txt"]
