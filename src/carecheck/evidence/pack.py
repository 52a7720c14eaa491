"""Reading an evidence pack back: the run's facts, every scenario's record, and its recorded exchanges.

Every report is written from what this returns, so each view says the same thing about the same run.
A scenario the run never finished (no `result.json`) reads as an `error` whose message says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from carecheck.errors import EvidenceError
from carecheck.evidence.bodies import Bodies
from carecheck.evidence.writer import CAPABILITY_FILE, EVIDENCE_DIR, RESULT_FILE, RUN_FILE, SCENARIO_FILE, WAIVERS_FILE
from carecheck.http import Exchange

__all__ = ["RUN_EVIDENCE", "ExchangeRecord", "Pack", "ScenarioRecord", "read_exchange", "read_json", "read_pack"]

RUN_EVIDENCE = "_run"
"""The folder under `evidence/` of the run's own exchanges (token, CapabilityStatement, discovery)."""
UNFINISHED = "the run was interrupted before this scenario finished"
_NOT_EXCHANGES = frozenset({RESULT_FILE, SCENARIO_FILE})


def read_json(path: Path) -> Any:
    """A JSON file of the pack; a missing or broken one is an EvidenceError naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EvidenceError(f"{path}: cannot read ({error.strerror})") from None
    except ValueError as error:
        raise EvidenceError(f"{path}: not valid JSON ({error})") from None


def read_exchange(path: Path, bodies: Bodies) -> Exchange:
    """One recorded exchange file, its bodies read from the pack's content-addressed `bodies` where they were kept apart."""
    data = read_json(path)
    try:
        return Exchange.from_data(data, bodies.load)
    except (KeyError, TypeError, ValueError) as error:
        raise EvidenceError(f"{path}: not a recorded exchange ({type(error).__name__}: {error})") from None


@dataclass(frozen=True)
class ExchangeRecord:
    """One recorded exchange and the path of its evidence file, relative to the report folder."""

    path: str
    exchange: Exchange


@dataclass(frozen=True)
class ScenarioRecord:
    """One scenario as the pack records it: who it is, how it ended, and what it judged.

    `requirements` are all it bears on (its tags and its findings'); `tagged` only its own `@req:` tags.
    `judgements` and `steps` are the recorded data, as `result.json` holds them.
    """

    id: str
    feature: str
    name: str
    tags: tuple[str, ...]
    requirements: tuple[str, ...]
    tagged: tuple[str, ...]
    outcome: str
    message: str
    evidence: str
    started: str | None = None
    ended: str | None = None
    finished: bool = True
    judgements: tuple[Mapping[str, Any], ...] = ()
    steps: tuple[Mapping[str, Any], ...] = ()
    exchange_files: tuple[str, ...] = ()

    @property
    def area(self) -> str:
        """The top folder of its feature (`patient`, `clinical`...), the report's grouping."""
        return self.id.split("/", 1)[0]

    def findings(self) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        """Every recorded (judgement, finding) pair, in the order they were judged."""
        for judgement in self.judgements:
            for finding in judgement.get("findings") or ():
                yield judgement, finding

    def summary_record(self) -> dict[str, Any]:
        """The scenario's record in `summary.json`."""
        return {
            "id": self.id,
            "feature": self.feature,
            "name": self.name,
            "tags": list(self.tags),
            "outcome": self.outcome,
            "message": self.message,
            "requirements": list(self.requirements),
            "evidence": self.evidence,
        }


def _scenario(folder: Path, report_dir: Path) -> ScenarioRecord:
    started = read_json(folder / SCENARIO_FILE)
    finished = (folder / RESULT_FILE).is_file()
    result = read_json(folder / RESULT_FILE) if finished else {}
    data = {**started, **result}
    relative = folder.relative_to(report_dir).as_posix()
    files = result.get("exchanges") or sorted(p.name for p in folder.glob("*.json") if p.name not in _NOT_EXCHANGES)
    return ScenarioRecord(
        id=str(data.get("id") or folder.relative_to(report_dir / EVIDENCE_DIR).as_posix()),
        feature=str(data.get("feature") or ""),
        name=str(data.get("name") or ""),
        tags=tuple(data.get("tags") or ()),
        requirements=tuple(data.get("requirements") or ()),
        tagged=tuple(started.get("requirements") or ()),
        outcome=str(data.get("outcome") or "error") if finished else "error",
        message=str(data.get("message") or "") if finished else UNFINISHED,
        evidence=str(data.get("evidence") or relative),
        started=data.get("started"),
        ended=data.get("ended"),
        finished=finished,
        judgements=tuple(result.get("judgements") or ()),
        steps=tuple(result.get("steps") or ()),
        exchange_files=tuple(files),
    )


def _exchanges(folder: Path, relative: str, names: tuple[str, ...], bodies: Bodies) -> list[ExchangeRecord]:
    found = []
    for name in names:
        path = folder / name
        if path.is_file():
            found.append(ExchangeRecord(f"{relative}/{name}", read_exchange(path, bodies)))
    return found


@dataclass
class Pack:
    """A run's evidence pack, read from its report folder. Exchanges are read when first asked for."""

    root: Path
    run: Mapping[str, Any]
    scenarios: list[ScenarioRecord]
    capability_statement: Mapping[str, Any] | None
    _exchanges: dict[str, list[ExchangeRecord]] = field(default_factory=dict, repr=False)
    _bodies: Bodies | None = field(default=None, repr=False)

    @property
    def bodies(self) -> Bodies:
        """The pack's content-addressed bodies (each read once, however many exchanges refer to it)."""
        if self._bodies is None:
            self._bodies = Bodies(self.root)
        return self._bodies

    @property
    def complete(self) -> bool:
        """Whether the run ended on its own (not interrupted, not killed)."""
        return bool(self.run.get("ended")) and not self.run.get("interrupted", False)

    @property
    def waivers_file(self) -> Path | None:
        """The waivers the run applied, as the pack keeps them (None: it applied none)."""
        path = self.root / WAIVERS_FILE
        return path if path.is_file() else None

    def with_facts_reread(self) -> Pack:
        """This pack with `run.json` and the CapabilityStatement copy read (again) from its folder: after the run's
        facts were completed or the copy written, its scenarios need not be read twice."""
        run = read_json(self.root / RUN_FILE) if (self.root / RUN_FILE).is_file() else {}
        statement_path = self.root / CAPABILITY_FILE
        statement = read_json(statement_path) if statement_path.is_file() else None
        return replace(self, run=run, capability_statement=statement if isinstance(statement, dict) else None)

    def exchanges(self, scenario: ScenarioRecord) -> list[ExchangeRecord]:
        """The scenario's recorded exchanges, in the order sent."""
        if scenario.evidence not in self._exchanges:
            folder = self.root / scenario.evidence
            self._exchanges[scenario.evidence] = _exchanges(folder, scenario.evidence, scenario.exchange_files, self.bodies)
        return self._exchanges[scenario.evidence]

    def session_exchanges(self) -> dict[str, list[ExchangeRecord]]:
        """The run's own exchanges by purpose (`auth`, `capability`, `discovery`), in the order sent."""
        base = self.root / EVIDENCE_DIR / RUN_EVIDENCE
        found: dict[str, list[ExchangeRecord]] = {}
        for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else ():
            relative = folder.relative_to(self.root).as_posix()
            names = tuple(sorted(p.name for p in folder.glob("*.json") if p.name not in _NOT_EXCHANGES))
            found[folder.name] = _exchanges(folder, relative, names, self.bodies)
        return found


def read_pack(report_dir: Path) -> Pack:
    """Read the pack under `report_dir` (scenarios in the order they started)."""
    if not report_dir.is_dir():
        raise EvidenceError(f"{report_dir}: no such report folder")
    folders = sorted(path.parent for path in (report_dir / EVIDENCE_DIR).rglob(SCENARIO_FILE))
    scenarios = [_scenario(folder, report_dir) for folder in folders]
    scenarios.sort(key=lambda s: (str(s.started or ""), s.id))
    return Pack(report_dir, {}, scenarios, None).with_facts_reread()
