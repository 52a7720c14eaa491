"""The evidence pack: every exchange and every scenario result written to disk the moment it exists.

Layout under a run's report folder::

    run.json                                  target (secrets removed), harness version, start and end
    waivers.yaml                              the accepted deviations the run applied (when it applied any)
    capability-statement.json                 the target's CapabilityStatement, as it answered
    evidence/<scenario id>/NNN-METHOD-Path.json   one file per exchange, in the order sent
    evidence/<scenario id>/scenario.json      who the scenario is, written when it starts
    evidence/<scenario id>/result.json        the scenario's outcome, findings, judgements and steps
    evidence/_bodies/sha256-<digest>.json     each distinct body over 4 KB, once, as received (see bodies.py)
    manifest.json                             sha256 of every file, written with the reports (see manifest.py)

Files are written whole or not at all (write to a temporary name, then rename), so an interrupted
run leaves a readable pack of everything finished so far. Whatever text a server sent, every file can be
written: JSON that cannot be UTF-8 (a lone surrogate from a `\ud800` escape) is written with escapes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from carecheck.evidence.bodies import Bodies
from carecheck.http import Exchange

__all__ = [
    "CAPABILITY_FILE",
    "EVIDENCE_DIR",
    "RESULT_FILE",
    "RUN_FILE",
    "SCENARIO_FILE",
    "WAIVERS_FILE",
    "EvidenceWriter",
    "ScenarioEvidence",
    "write_json",
    "write_text",
]

EVIDENCE_DIR = "evidence"
RESULT_FILE = "result.json"
SCENARIO_FILE = "scenario.json"
RUN_FILE = "run.json"
WAIVERS_FILE = "waivers.yaml"
CAPABILITY_FILE = "capability-statement.json"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: readers see the old file or the new one, never half of one.

    Compact, not indented: the standard library's fast encoder only runs without indentation, and
    evidence is read through the reports or any JSON viewer.
    """
    text = json.dumps(data, ensure_ascii=False) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:  # text that is not text: keep it, escaped, rather than stop the run
        encoded = (json.dumps(data, ensure_ascii=True) + "\n").encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(encoded)
    os.replace(temporary, path)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (a report), like `write_json`; a lone surrogate is written as its escape."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(text.encode("utf-8", "backslashreplace"))
    os.replace(temporary, path)


def _exchange_file_name(exchange: Exchange) -> str:
    """`001-GET-Patient.json`, `002-GET-Patient-123.json`: the order sent, then what was asked for."""
    segments = [s for s in exchange.request.url.split("?", 1)[0].split("/") if s]
    tail = segments[-1] if segments else "root"
    if len(segments) > 1 and segments[-2][:1].isupper() and not segments[-2].isupper():
        tail = f"{segments[-2]}-{tail}"
    return f"{exchange.id}-{exchange.request.method}-{_UNSAFE.sub('_', tail)[:60]}.json"


class ScenarioEvidence:
    """The evidence folder of one scenario, made with its first file (a session's client that never sends leaves none);
    bodies over 4 KB go to the run's content-addressed `bodies`."""

    def __init__(self, report_dir: Path, scenario_id: str, bodies: Bodies | None = None) -> None:
        self.report_dir = report_dir
        self.bodies = bodies or Bodies(report_dir)
        self.relative = f"{EVIDENCE_DIR}/{scenario_id}"
        self.path = report_dir / self.relative
        self.files: list[str] = []

    def start(self, facts: dict[str, Any]) -> None:
        """Record who the scenario is before it runs, so an interrupted run still lists it."""
        write_json(self.path / SCENARIO_FILE, {**facts, "evidence": self.relative})

    def record(self, exchange: Exchange) -> dict[str, Any]:
        """Write one exchange (its larger bodies once, under `_bodies/`); returns what was written."""
        name = _exchange_file_name(exchange)
        data = exchange.to_data(self.bodies.store)
        write_json(self.path / name, data)
        self.files.append(name)
        return data

    def locate(self, exchange: Exchange) -> str:
        return f"{self.relative}/{_exchange_file_name(exchange)}"

    def finish(self, result: dict[str, Any]) -> None:
        write_json(self.path / RESULT_FILE, {**result, "evidence": self.relative, "exchanges": list(self.files)})


class EvidenceWriter:
    """Creates scenario folders under one run's report folder and keeps `run.json` current."""

    def __init__(self, report_dir: Path) -> None:
        self.report_dir = report_dir
        self.bodies = Bodies(report_dir)
        report_dir.mkdir(parents=True, exist_ok=True)

    def scenario(self, scenario_id: str) -> ScenarioEvidence:
        return ScenarioEvidence(self.report_dir, scenario_id, self.bodies)

    def run_facts(self) -> dict[str, Any]:
        path = self.report_dir / RUN_FILE
        if not path.is_file():
            return {}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def update_run(self, **facts: Any) -> None:
        write_json(self.report_dir / RUN_FILE, {**self.run_facts(), **facts})

    def keep_waivers(self, source: Path) -> None:
        """Keep a copy of the waiver file the run applies, so the pack can be re-judged as it was judged."""
        if source.is_file():
            temporary = self.report_dir / f".{WAIVERS_FILE}.tmp"
            shutil.copyfile(source, temporary)
            os.replace(temporary, self.report_dir / WAIVERS_FILE)
