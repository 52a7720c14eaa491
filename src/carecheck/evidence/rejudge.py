"""Re-judging a run offline: every recorded judgement run again, by this harness, on the recorded exchanges.

No network: each judgement names its check, the exchanges of the interaction it judged (by id), and its
arguments as JSON (an argument that was an interaction is recorded the same way, and becomes one again).
The re-judged pack is a copy of the live one with fresh `result.json` files, so every report can be
written from it; the live pack is never touched. A scenario's outcome is recomputed the way the live
run computed it: the judgements run in order, and the first failure stops the scenario, as it stopped
the step that asked for it.

What cannot be re-judged is kept as it was: a scenario that was `error`, `not-applicable` or `skipped`
live never reached its checks, and an unfinished one has none. When the failure a live run stopped at no
longer fails (a waiver now covers it, or a newer check passes it), the steps after it were never run:
the scenario is `waived` if a waiver accepted the failure, otherwise `error`, and the message says what
was never judged.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck import __version__
from carecheck.checks import CHECKS, CheckFailed, Registry, Verdict
from carecheck.errors import EvidenceError
from carecheck.evidence.bodies import Bodies
from carecheck.evidence.manifest import MANIFEST_FILE, Verification, verify
from carecheck.evidence.pack import read_exchange, read_json
from carecheck.evidence.writer import (
    CAPABILITY_FILE,
    EVIDENCE_DIR,
    RESULT_FILE,
    RUN_FILE,
    SCENARIO_FILE,
    WAIVERS_FILE,
    ScenarioEvidence,
    write_json,
)
from carecheck.fhir import Waiver, load_waivers
from carecheck.http import Exchange, Interaction
from carecheck.provenance import harness_facts

__all__ = ["REJUDGE_FILE", "Difference", "Rejudgement", "rejudge"]

REJUDGE_FILE = "rejudge.json"
KEPT = frozenset({"error", "not-applicable", "skipped"})
_FAILING = frozenset({"failed", "error"})
_INTERACTION_KEYS = frozenset({"kind", "resource_type", "exchanges"})


@dataclass(frozen=True)
class Difference:
    """A scenario whose re-judged outcome or message is not the live one."""

    scenario: str
    live: str
    rejudged: str
    live_message: str
    message: str

    @property
    def new_failure(self) -> bool:
        return self.rejudged in _FAILING and self.live not in _FAILING

    def describe(self) -> str:
        change = f"{self.live} -> {self.rejudged}" if self.live != self.rejudged else f"{self.live} (message changed)"
        first = (self.message.splitlines() or [""])[0][:240]
        return f"  {change}: {self.scenario}" + (f": {first}" if first else "")

    def to_data(self) -> dict[str, str]:
        return {"scenario": self.scenario, "live": self.live, "rejudged": self.rejudged, "live_message": self.live_message, "message": self.message}


@dataclass(frozen=True)
class Rejudgement:
    """What re-judging a pack did: where the re-judged pack is, and how its verdicts differ from the live ones."""

    pack: Path
    report_dir: Path
    verification: Verification
    waivers: str | None
    scenarios: int
    differences: tuple[Difference, ...]

    @property
    def new_failures(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.new_failure)

    def to_data(self) -> dict[str, Any]:
        return {
            "pack": str(self.pack),
            "verified": self.verification.describe(),
            "waivers": self.waivers,
            "scenarios": self.scenarios,
            "differences": [d.to_data() for d in self.differences],
        }


class _Exchanges:
    """A scenario's recorded exchanges by id (an id recorded twice cannot be replayed unambiguously)."""

    def __init__(self, folder: Path, names: list[str], bodies: Bodies) -> None:
        self._by_id: dict[str, Exchange] = {}
        self._twice: set[str] = set()
        for name in names:
            exchange = read_exchange(folder / name, bodies)
            if exchange.id in self._by_id:
                self._twice.add(exchange.id)
            self._by_id[exchange.id] = exchange

    def interaction(self, data: Mapping[str, Any]) -> Interaction:
        ids = [str(i) for i in data.get("exchanges") or ()]
        missing = [i for i in ids if i not in self._by_id]
        if missing or not ids:
            raise EvidenceError(f"the judged exchange(s) {', '.join(missing) or '(none)'} are not in the pack")
        twice = [i for i in ids if i in self._twice]
        if twice:
            raise EvidenceError(f"exchange id {twice[0]} is recorded twice in this scenario; the judgement cannot be replayed")
        return Interaction.from_data(data, self._by_id)

    def argument(self, value: Any) -> Any:
        """A recorded argument as the check took it: a recorded interaction becomes an Interaction again."""
        if isinstance(value, dict) and set(value) == _INTERACTION_KEYS and isinstance(value.get("exchanges"), list) and value["exchanges"]:
            return self.interaction(value)
        return value


@dataclass(frozen=True)
class _Judge:
    report_dir: Path
    registry: Registry
    waivers: tuple[Waiver, ...]
    today: datetime.date
    bodies: Bodies

    def result(self, folder: Path, identity: Mapping[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
        """The scenario's result, re-judged (or as it was, when there is nothing to re-judge)."""
        if live.get("outcome") in KEPT:
            return dict(live)
        scenario_id = str(identity.get("id"))
        requirements = tuple(identity.get("requirements") or ())
        evidence = ScenarioEvidence(self.report_dir, scenario_id)
        verdict = Verdict(requirements=requirements, locate=evidence.locate, registry=self.registry, waivers=self.waivers, today=self.today)
        recorded = list(live.get("judgements") or ())
        failure: tuple[int, str] | None = None
        problem: str | None = None
        try:
            exchanges = _Exchanges(folder, list(live.get("exchanges") or ()), self.bodies)
            for index, judgement in enumerate(recorded):
                interaction = exchanges.interaction(judgement.get("interaction") or {})
                arguments = {key: exchanges.argument(value) for key, value in (judgement.get("arguments") or {}).items()}
                try:
                    verdict.judge(str(judgement.get("check")), interaction, **arguments)
                except CheckFailed as failed:
                    failure = (index, str(failed))
                    break
        except Exception as error:  # a check or a recording this harness cannot replay: the scenario cannot be judged
            problem = f"re-judging offline could not replay judgement {len(verdict.judgements) + 1} of {len(recorded)}: {type(error).__name__}: {error}"
        outcome, message = self._outcome(live, verdict, failure, problem, len(recorded))
        stopped_at = failure[0] if failure is not None else len(verdict.judgements) if problem is not None else None
        steps = _steps(live.get("steps") or (), stopped_at, len(verdict.judgements), outcome)
        findings = verdict.findings
        return {
            **live,
            "outcome": outcome,
            "message": message,
            "requirements": list(dict.fromkeys((*requirements, *(r for f in findings for r in f.requirements)))),
            "judgements": [judgement.to_data() for judgement in verdict.judgements],
            "steps": steps,
            "live": {"outcome": live.get("outcome"), "message": live.get("message")},
        }

    def _outcome(self, live: Mapping[str, Any], verdict: Verdict, failure: tuple[int, str] | None, problem: str | None, recorded: int) -> tuple[str, str]:
        if problem is not None:
            return "error", problem
        if failure is not None:
            return "failed", failure[1]
        outcome, message = verdict.settled()
        if live.get("outcome") != "failed":
            return outcome, message
        unrun = [f"{s.get('keyword')} {s.get('text')}" for s in live.get("steps") or () if s.get("outcome") == "not-run"]
        never = f"{len(unrun)} later step(s) were never run ({'; '.join(unrun)})" if unrun else "its later checks were never run"
        note = (
            f"re-judged offline: the failure the live run stopped at (judgement {recorded}) no longer fails, "
            f"but {never}; run the scenario again to judge it whole"
        )
        if outcome == "waived":
            return "waived", f"{message}; {note}"
        return "error", f"{note}. Live: {live.get('message')}"


def _steps(live: Any, stopped_at: int | None, judged: int, outcome: str) -> list[dict[str, Any]]:
    """The live steps with their outcomes recomputed: the step holding the judgement the re-judged run
    stopped at (`stopped_at`), the live failure that no longer stands, and the steps that never ran."""
    steps: list[dict[str, Any]] = []
    ended = False
    for step in live:
        first, last = [*(step.get("judgements") or ()), 0, 0][:2]
        changed = dict(step)
        if ended:
            changed.update(outcome="not-run", judgements=[judged, judged])
        elif stopped_at is not None and first <= stopped_at < last:
            changed.update(outcome="failed" if outcome == "failed" else "error", judgements=[first, judged])
            ended = True
        elif stopped_at is None and step.get("outcome") in ("failed", "error"):
            changed["outcome"] = "passed"
            ended = True
        steps.append(changed)
    return steps


def _copy_pack(pack: Path, report_dir: Path) -> None:
    shutil.copytree(pack / EVIDENCE_DIR, report_dir / EVIDENCE_DIR)
    if (pack / CAPABILITY_FILE).is_file():
        shutil.copyfile(pack / CAPABILITY_FILE, report_dir / CAPABILITY_FILE)


def rejudge(
    pack: Path,
    report_dir: Path,
    *,
    waivers: Path | None = None,
    today: datetime.date | None = None,
    registry: Registry = CHECKS,
    allow_unsealed: bool = False,
) -> Rejudgement:
    """Re-judge the pack into `report_dir` (new or empty), applying `waivers` (else the pack's own, else none).

    A pack whose manifest shows a changed, missing or added file is refused (EvidenceError). So is an unsealed
    one, with no manifest (a run that was killed) or a manifest marking the run incomplete (interrupted), unless
    `allow_unsealed`: then it is re-judged, and the result says it was not verified or not complete.
    """
    pack = pack.resolve()
    report_dir = report_dir.resolve()
    if not (pack / RUN_FILE).is_file() or not (pack / EVIDENCE_DIR).is_dir():
        raise EvidenceError(f"{pack}: not an evidence pack (no {RUN_FILE} or {EVIDENCE_DIR}/)")
    if report_dir == pack or report_dir.is_relative_to(pack):
        raise EvidenceError(f"{report_dir}: re-judged reports go outside the pack, which is never changed")
    if report_dir.exists() and any(report_dir.iterdir()):
        raise EvidenceError(f"{report_dir}: already holds files; choose a new --report-dir")
    verification = verify(pack)
    if verification.present and verification.problems:
        raise EvidenceError(f"the pack does not match its {MANIFEST_FILE}: {verification.describe()}")
    if not allow_unsealed and not (verification.present and verification.complete):
        why = f"it has no {MANIFEST_FILE} (the run was killed)" if not verification.present else f"its {MANIFEST_FILE} marks the run incomplete (interrupted)"
        raise EvidenceError(f"{pack}: the pack is not sealed: {why}; re-judge it anyway with --allow-unsealed")
    source = waivers if waivers is not None else (pack / WAIVERS_FILE if (pack / WAIVERS_FILE).is_file() else None)
    accepted = tuple(load_waivers(source)) if source is not None else ()
    report_dir.mkdir(parents=True, exist_ok=True)
    _copy_pack(pack, report_dir)
    if source is not None:
        shutil.copyfile(source, report_dir / WAIVERS_FILE)
    judge = _Judge(report_dir, registry, accepted, today or datetime.date.today(), Bodies(report_dir))
    differences: list[Difference] = []
    scenarios = 0
    for started in sorted((report_dir / EVIDENCE_DIR).rglob(SCENARIO_FILE)):
        scenarios += 1
        folder = started.parent
        if not (folder / RESULT_FILE).is_file():
            continue
        live = read_json(folder / RESULT_FILE)
        result = judge.result(folder, read_json(started), live)
        write_json(folder / RESULT_FILE, result)
        if (result["outcome"], result["message"]) != (live.get("outcome"), live.get("message")):
            differences.append(
                Difference(str(result.get("id")), str(live.get("outcome")), result["outcome"], str(live.get("message") or ""), result["message"])
            )
    run = read_json(pack / RUN_FILE)
    write_json(
        report_dir / RUN_FILE,
        {
            **run,
            "harness_version": __version__,
            "harness_commit": harness_facts()["harness_commit"],
            "rejudged": {
                "pack": str(pack),
                "manifest_sha256": verification.sha256,
                "verified": verification.ok,
                "live_harness_version": run.get("harness_version"),
                "live_harness_commit": run.get("harness_commit"),
                "waivers": str(source) if source is not None else None,
                "as_of": judge.today.isoformat(),
                "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            },
        },
    )
    outcome = Rejudgement(pack, report_dir, verification, str(source) if source else None, scenarios, tuple(differences))
    write_json(report_dir / REJUDGE_FILE, outcome.to_data())
    return outcome
