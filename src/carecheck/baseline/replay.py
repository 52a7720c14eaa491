"""The regression baseline while a run goes: the pins the target names, and their searches asked again.

Each pinned search is sent as it was recorded (the base URL filled in) and followed to its last page; the
scenario's one judgement holds every pin with the exchanges of its replay, so `rejudge` can replay it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carecheck.baseline.pins import Baseline
from carecheck.checks import NotApplicable
from carecheck.http import Exchange, FhirClient, Interaction

__all__ = ["PinnedSearches", "Replay"]


@dataclass(frozen=True)
class Replay:
    """Every pinned search asked again: all their exchanges, and each pin with the ids of its own."""

    interaction: Interaction
    pins: tuple[Mapping[str, Any], ...]
    pinned_by: str


class PinnedSearches:
    """The run's baseline, if the target names one."""

    def __init__(self, baseline: Baseline | None, target_name: str) -> None:
        self._baseline = baseline
        self._target_name = target_name

    def require(self) -> Baseline:
        """The baseline; the scenario is not applicable when there is none (or it pins nothing)."""
        if self._baseline is None:
            raise NotApplicable("the target names no baseline (profile `baseline:` or carecheck run --baseline)")
        if not self._baseline.pins:
            raise NotApplicable("the baseline pins no search")
        return self._baseline

    def replay(self, client: FhirClient) -> Replay:
        """Ask every pinned search again, following every page."""
        baseline = self.require()
        exchanges: list[Exchange] = []
        pins: list[Mapping[str, Any]] = []
        for pin in baseline.pins:
            answer = client.search(pin.resource_type, pin.params(client.base_url))
            exchanges.extend(answer.exchanges)
            pins.append({**pin.to_data(), "exchanges": [exchange.id for exchange in answer.exchanges]})
        recorded_for = f", recorded against {baseline.target}" if baseline.target and baseline.target != self._target_name else ""
        return Replay(Interaction("request", None, tuple(exchanges)), tuple(pins), baseline.describe() + recorded_for)
