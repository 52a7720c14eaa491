"""Progress: a live line on a terminal, a line per tenth when not, failures named as they happen."""

from __future__ import annotations

import io
import json
from pathlib import Path

from carecheck.run.progress import PROGRESS_FILE, Progress


def events(path: Path, *lines: dict[str, object]) -> None:
    with path.open("a") as handle:
        for line in lines:
            handle.write(json.dumps(line) + "\n")


def test_plain_output_counts_scenarios_and_names_failures(tmp_path: Path) -> None:
    progress_file = tmp_path / PROGRESS_FILE
    out = io.StringIO()
    with Progress(stream=out, interval=0.01, tty=False).watching([("reference", progress_file)]):
        events(progress_file, {"collected": 3}, {"id": "a", "outcome": "passed"}, {"id": "b", "outcome": "failed"})
        events(progress_file, {"id": "c", "outcome": "error"})
    text = out.getvalue()
    assert "failing: reference: b" in text and "failing: reference: c" in text
    assert text.splitlines()[-1] == "reference: 3/3 scenarios, 2 failing"
    assert "\r" not in text


def test_a_terminal_gets_one_updating_line(tmp_path: Path) -> None:
    progress_file = tmp_path / PROGRESS_FILE
    out = io.StringIO()
    with Progress(stream=out, interval=0.01, tty=True).watching([("a", progress_file), ("b", tmp_path / "none.jsonl")]):
        events(progress_file, {"collected": 1}, {"id": "x", "outcome": "passed"})
    assert out.getvalue().endswith("\r\x1b[Ka: 1/1 scenarios, 0 failing | b: 0/? scenarios, 0 failing\n")


def test_a_half_written_line_waits_for_its_end(tmp_path: Path) -> None:
    progress_file = tmp_path / PROGRESS_FILE
    progress_file.write_text('{"collected": 2}\n{"id": "a", "outc')
    out = io.StringIO()
    with Progress(stream=out, interval=0.01, tty=False).watching([("t", progress_file)]):
        pass
    assert out.getvalue().splitlines()[-1] == "t: 0/2 scenarios, 0 failing"


def test_a_banner_from_the_preflight_is_shown_before_the_scenarios(tmp_path: Path) -> None:
    progress_file = tmp_path / PROGRESS_FILE
    out = io.StringIO()
    with Progress(stream=out, interval=0.01, tty=False).watching([("r4", progress_file)]):
        events(progress_file, {"banner": "this server declares FHIR 4.0.1"}, {"collected": 1}, {"id": "a", "outcome": "passed"})
    lines = out.getvalue().splitlines()
    assert lines[0] == "carecheck: WARNING: r4: this server declares FHIR 4.0.1" and lines[-1] == "r4: 1/1 scenarios, 0 failing"
