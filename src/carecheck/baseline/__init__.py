"""Regression baselines: what searches of a known dataset must return, pinned as reviewed data, recorded from an
accepted run's evidence pack (`carecheck baseline`) and judged as their own requirement, CARECHECK-BASELINE; a run
asks every pinned search again (`PinnedSearches.replay`)."""

from carecheck.baseline.pins import BASE, Baseline, Pin, dump_baseline, load_baseline, parse_baseline, pinned_search, search_params
from carecheck.baseline.record import record_baseline
from carecheck.baseline.replay import PinnedSearches, Replay

__all__ = [
    "BASE",
    "Baseline",
    "Pin",
    "PinnedSearches",
    "Replay",
    "dump_baseline",
    "load_baseline",
    "parse_baseline",
    "pinned_search",
    "record_baseline",
    "search_params",
]
