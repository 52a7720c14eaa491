"""Regression baselines: what searches of a known dataset must return, pinned as reviewed data, recorded from an
accepted run's evidence pack (`carecheck baseline`) and judged as their own requirement, CARECHECK-BASELINE."""

from carecheck.baseline.pins import BASE, Baseline, Pin, dump_baseline, load_baseline, parse_baseline, pinned_search, search_params
from carecheck.baseline.record import record_baseline

__all__ = [
    "BASE",
    "Baseline",
    "Pin",
    "dump_baseline",
    "load_baseline",
    "parse_baseline",
    "pinned_search",
    "record_baseline",
    "search_params",
]
