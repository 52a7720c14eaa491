"""The run's shared state inside pytest, kept in the config stash (never in module globals)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from carecheck.baseline import Baseline, load_baseline
from carecheck.config import Target, load_target
from carecheck.errors import ConfigError
from carecheck.evidence import EvidenceWriter
from carecheck.fhir import Waiver, load_waivers

__all__ = ["WRITER", "baseline_of", "now", "target_of", "waivers_of", "writer_of"]

WRITER = pytest.StashKey[EvidenceWriter]()
_TARGET = pytest.StashKey[Target]()
_WAIVERS = pytest.StashKey[tuple[Waiver, ...]]()
_BASELINE = pytest.StashKey[Baseline | None]()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def target_of(config: pytest.Config) -> Target:
    """The run's target profile, loaded once (a bad one is a usage error)."""
    if _TARGET not in config.stash:
        try:
            ca_bundle = config.getoption("ca_bundle", default=None)
            config.stash[_TARGET] = load_target(
                config.getoption("target"), base_url=config.getoption("base_url"), ca_bundle=Path(ca_bundle) if ca_bundle else None
            )
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_TARGET]


def waivers_of(config: pytest.Config) -> tuple[Waiver, ...]:
    """The accepted deviations: `--waivers`, else the profile's, else none."""
    if _WAIVERS not in config.stash:
        chosen = config.getoption("waivers") or target_of(config).waivers
        try:
            config.stash[_WAIVERS] = tuple(load_waivers(Path(chosen))) if chosen else ()
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_WAIVERS]


def baseline_of(config: pytest.Config) -> Baseline | None:
    """The pinned search results: `--baseline`, else the profile's, else none."""
    if _BASELINE not in config.stash:
        chosen = config.getoption("baseline", default=None) or target_of(config).baseline
        try:
            config.stash[_BASELINE] = load_baseline(Path(chosen)) if chosen else None
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_BASELINE]


def writer_of(config: pytest.Config) -> EvidenceWriter | None:
    """The evidence writer, when the run has a report folder."""
    return config.stash.get(WRITER, None)
