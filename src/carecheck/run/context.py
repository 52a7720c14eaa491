"""The run's shared state inside pytest, kept in the config stash (never in module globals): the run's facts as the
owner handed them over, and the evidence writer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carecheck.evidence import EvidenceWriter
from carecheck.run.facts import HANDOVER, Handover, RunFacts

__all__ = ["FACTS", "WRITER", "facts_of", "now", "received_facts", "writer_of"]

FACTS = pytest.StashKey[RunFacts]()
WRITER = pytest.StashKey[EvidenceWriter]()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def received_facts(config: pytest.Config) -> RunFacts | None:
    """The facts handed to this pytest process: by `carecheck run` (a `Handover` plugin object), or, in a parallel
    run's worker, by its controller (`workerinput`). None when pytest was started some other way."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and HANDOVER in workerinput:
        return RunFacts.loads(workerinput[HANDOVER])
    handover = config.pluginmanager.get_plugin(HANDOVER)
    return handover.facts if isinstance(handover, Handover) else None


def facts_of(config: pytest.Config) -> RunFacts:
    """The run's facts; a usage error when the suites were started without them (anything but `carecheck run`)."""
    facts = config.stash.get(FACTS, None)
    if facts is None:
        raise pytest.UsageError("carecheck's scenarios run through `carecheck run`, which obtains the run's facts once and hands them to pytest")
    return facts


def writer_of(config: pytest.Config) -> EvidenceWriter | None:
    """The evidence writer, when the run has a report folder."""
    return config.stash.get(WRITER, None)
