"""Two runs side by side (`carecheck compare RUN_A RUN_B`): what newly fails, what was fixed, what still
fails, what became not applicable or inconclusive (untested either way), and how response times moved — for
nightly CI against a baseline.

Both runs are read from their evidence packs (scenarios matched by id), never from a report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck.evidence import Pack, read_pack
from carecheck.report.charts import percentile
from carecheck.report.summary import FAILING

__all__ = ["SLOWER_MS", "SLOWER_RATIO", "Change", "Comparison", "TimeChange", "compare"]

SLOWER_MS = 50.0
SLOWER_RATIO = 1.5
"""A scenario's time changed when its exchanges took at least this much longer (or shorter), both ways."""
_SHOWN = 10
_PASSING = frozenset({"passed", "waived"})


@dataclass(frozen=True)
class Change:
    scenario: str
    before: str | None
    after: str | None
    message: str

    def describe(self) -> str:
        first = (self.message.splitlines() or [""])[0][:240]
        return f"  {self.before or 'absent'} -> {self.after or 'absent'}: {self.scenario}" + (f": {first}" if first else "")

    def to_data(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "before": self.before, "after": self.after, "message": self.message}


@dataclass(frozen=True)
class TimeChange:
    scenario: str
    before_ms: float
    after_ms: float

    def describe(self) -> str:
        return f"  {self.before_ms:.1f} ms -> {self.after_ms:.1f} ms: {self.scenario}"


@dataclass(frozen=True)
class Comparison:
    before: Pack
    after: Pack
    new_failures: tuple[Change, ...]
    fixed: tuple[Change, ...]
    still_failing: tuple[Change, ...]
    newly_not_applicable: tuple[Change, ...]
    newly_inconclusive: tuple[Change, ...]
    other_changes: tuple[Change, ...]
    slower: tuple[TimeChange, ...]
    faster: tuple[TimeChange, ...]
    times: dict[str, dict[str, float]]

    def lines(self) -> list[str]:
        """The comparison as text, one section per kind of change."""
        lines = [f"carecheck compare: {self.before.root} -> {self.after.root}"]
        for label, pack in (("before", self.before), ("after", self.after)):
            target = (pack.run.get("target") or {}).get("name", "?")
            state = "" if pack.complete else ", INCOMPLETE"
            lines.append(f"  {label}: {target}, {len(pack.scenarios)} scenarios, started {pack.run.get('started')}, carecheck {pack.run.get('harness_version')}{state}")
        sections = (
            ("new failures", self.new_failures),
            ("fixed", self.fixed),
            ("still failing", self.still_failing),
            ("newly not-applicable", self.newly_not_applicable),
            ("newly inconclusive", self.newly_inconclusive),
            ("other changes", self.other_changes),
        )
        for title, changes in sections:
            lines.append(f"{title} ({len(changes)})" + (":" if changes else ""))
            lines += [change.describe() for change in changes]
        before, after = self.times["before"], self.times["after"]
        lines.append(
            f"response times: median {before['median']:.1f} ms -> {after['median']:.1f} ms, 95th percentile "
            f"{before['p95']:.1f} ms -> {after['p95']:.1f} ms; {len(self.slower)} scenario(s) slower, {len(self.faster)} faster"
            f" (by {SLOWER_MS:g} ms and {SLOWER_RATIO:g}x or more)"
        )
        lines += [change.describe() + " (slower)" for change in self.slower[:_SHOWN]]
        lines += [change.describe() + " (faster)" for change in self.faster[:_SHOWN]]
        return lines

    def to_data(self) -> dict[str, Any]:
        return {
            "before": str(self.before.root),
            "after": str(self.after.root),
            "new_failures": [c.to_data() for c in self.new_failures],
            "fixed": [c.to_data() for c in self.fixed],
            "still_failing": [c.to_data() for c in self.still_failing],
            "newly_not_applicable": [c.to_data() for c in self.newly_not_applicable],
            "newly_inconclusive": [c.to_data() for c in self.newly_inconclusive],
            "other_changes": [c.to_data() for c in self.other_changes],
            "response_times": {
                **self.times,
                "slower": [vars(c) for c in self.slower],
                "faster": [vars(c) for c in self.faster],
            },
        }


def _times(pack: Pack) -> tuple[dict[str, float], dict[str, float]]:
    """Per scenario, the time its exchanges took; and the run's median and 95th percentile per exchange."""
    per_scenario: dict[str, float] = {}
    every: list[float] = []
    for scenario in pack.scenarios:
        elapsed = [record.exchange.elapsed_ms for record in pack.exchanges(scenario) if record.exchange.response]
        per_scenario[scenario.id] = sum(elapsed)
        every += elapsed
    overall = {"exchanges": float(len(every)), "median": statistics.median(every) if every else 0.0, "p95": percentile(every, 0.95)}
    return per_scenario, overall


def _moved(before: dict[str, float], after: dict[str, float]) -> tuple[tuple[TimeChange, ...], tuple[TimeChange, ...]]:
    both = [TimeChange(i, before[i], after[i]) for i in before if i in after and before[i] and after[i]]
    slower = [c for c in both if c.after_ms - c.before_ms >= SLOWER_MS and c.after_ms >= SLOWER_RATIO * c.before_ms]
    faster = [c for c in both if c.before_ms - c.after_ms >= SLOWER_MS and c.before_ms >= SLOWER_RATIO * c.after_ms]
    slower.sort(key=lambda c: c.before_ms - c.after_ms)
    faster.sort(key=lambda c: c.after_ms - c.before_ms)
    return tuple(slower), tuple(faster)


def compare(before_dir: Path, after_dir: Path) -> Comparison:
    """Compare the run in `after_dir` with the baseline in `before_dir`."""
    before, after = read_pack(before_dir), read_pack(after_dir)
    old = {s.id: s for s in before.scenarios}
    new = {s.id: s for s in after.scenarios}
    sections: dict[str, list[Change]] = {name: [] for name in ("new", "fixed", "still", "na", "inconclusive", "other")}
    for scenario_id in sorted(set(old) | set(new)):
        was, now = old.get(scenario_id), new.get(scenario_id)
        a, b = (was.outcome if was else None), (now.outcome if now else None)
        change = Change(scenario_id, a, b, now.message if now else "")
        if b in FAILING:
            sections["still" if a in FAILING else "new"].append(change)
        elif a in FAILING and b in _PASSING:
            sections["fixed"].append(change)
        elif b == "not-applicable" and a is not None and a != b:
            sections["na"].append(change)
        elif b == "inconclusive" and a is not None and a != b:
            sections["inconclusive"].append(change)
        elif a != b:
            sections["other"].append(change)
    before_times, before_overall = _times(before)
    after_times, after_overall = _times(after)
    slower, faster = _moved(before_times, after_times)
    return Comparison(
        before,
        after,
        tuple(sections["new"]),
        tuple(sections["fixed"]),
        tuple(sections["still"]),
        tuple(sections["na"]),
        tuple(sections["inconclusive"]),
        tuple(sections["other"]),
        slower,
        faster,
        {"before": before_overall, "after": after_overall},
    )
