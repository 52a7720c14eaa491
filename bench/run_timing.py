"""Timing a `carecheck run` for the benchmarks: its wall and CPU time, where the wall time went (read from the pack's
own timestamps), and its verdicts, to compare two runs.

Imported by the benchmarks beside it (`python bench/NAME.py` puts this folder on the import path).
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["Phases", "TimedRun", "run_once", "verdicts"]


@dataclass(frozen=True)
class Phases:
    """Where a run's wall time went, from the process start (seconds)."""

    start_up: float
    """Until the first scenario started: the command's imports, the embedded server, the owner's set-up requests,
    pytest's start-up and collection."""
    owner: float
    """Of the start-up: from the run's start to the end of the owner's last set-up request (server start included)."""
    scenarios: float
    """From the first scenario's start to the last one's end."""
    reports: float
    """After the last scenario: pytest's end (junit.xml, Allure results), then the reports and the seal."""

    def describe(self) -> str:
        return (
            f"start-up {self.start_up:.2f} s (of which server and owner {self.owner:.2f} s, imports and pytest start-up and "
            f"collection {self.start_up - self.owner:.2f} s), scenarios {self.scenarios:.2f} s, reports {self.reports:.2f} s"
        )


@dataclass(frozen=True)
class TimedRun:
    wall: float
    cpu: float
    """CPU seconds of the command and every process it started (the pytest process and its workers)."""
    phases: Phases | None
    """None for a run of several targets (each has its own pack)."""
    summaries: list[dict[str, Any]]
    report_dirs: list[Path]

    @property
    def requests(self) -> int:
        return sum(_exchange_count(folder) for folder in self.report_dirs)


def run_once(arguments: list[str], report_dir: Path) -> TimedRun:
    """Time `carecheck run ARGUMENTS --report-dir REPORT_DIR` in a process of its own (exit 0 or 1 expected)."""
    command = [sys.executable, "-m", "carecheck.cli", "run", "--report-dir", str(report_dir), *arguments]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_at = time.time()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"carecheck run {' '.join(arguments)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    folders = [report_dir] if (report_dir / "summary.json").exists() else sorted(p.parent for p in report_dir.glob("*/*/summary.json"))
    summaries = [json.loads((folder / "summary.json").read_text()) for folder in folders]
    phases = _phases(report_dir, started_at, wall) if len(folders) == 1 and folders[0] == report_dir else None
    return TimedRun(wall, cpu, phases, summaries, folders)


def _stamp(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _phases(report_dir: Path, started_at: float, wall: float) -> Phases:
    setup_ends = []
    for path in (report_dir / "evidence" / "_run").rglob("*.json"):
        exchange = json.loads(path.read_text())
        setup_ends.append(_stamp(exchange["started"]) + float(exchange.get("elapsed_ms") or 0) / 1000)
    results = [json.loads(path.read_text()) for path in (report_dir / "evidence").rglob("result.json")]
    first = min(_stamp(result["started"]) for result in results)
    last = max(_stamp(result["ended"]) for result in results)
    ended = started_at + wall
    return Phases(start_up=first - started_at, owner=max(setup_ends) - started_at, scenarios=last - first, reports=ended - last)


def _exchange_count(report_dir: Path) -> int:
    """Exchanges the run's scenarios recorded (the owner's set-up requests are not counted)."""
    return sum(len(_exchanges(report_dir / scenario["evidence"])) for scenario in json.loads((report_dir / "summary.json").read_text())["scenarios"])


def _exchanges(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.json") if path.name not in ("result.json", "scenario.json"))


_VARYING = [
    (re.compile(r"(127\.0\.0\.1|localhost)(:|%3A)\d+"), r"\1:PORT"),  # each run's embedded server or proxy has its own port
    (re.compile(r"carecheck-probe-[0-9a-f]+"), "carecheck-probe-ID"),  # the write probes' random ids
]


def _steady(text: str) -> str:
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return text


def verdicts(report_dir: Path, *, requests: bool = False) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each scenario's outcome and message (and, with `requests`, the method and URL of each of its exchanges), with
    what differs between any two runs (ports, the write probes' random ids) made steady."""
    summary = json.loads((report_dir / "summary.json").read_text())
    found = {}
    for scenario in summary["scenarios"]:
        sent: tuple[str, ...] = ()
        if requests:
            sent = tuple(
                _steady(f"{(data := json.loads(path.read_text()))['request']['method']} {data['request']['url']}")
                for path in _exchanges(report_dir / scenario["evidence"])
            )
        found[scenario["id"]] = (scenario["outcome"], _steady(scenario["message"]), sent)
    return found
