"""The write scenarios' fixture: harmless write probes (`carecheck.probe.writes`) through the scenario's client.

A write that cannot be sent safely, or any write at all when the profile says `writes: never`, makes the
scenario not applicable, with the reason. The requests carecheck sent to confirm or undo a write are kept
with it, for the check that judges the write to report.
"""

from __future__ import annotations

import pytest

from carecheck.config import Target
from carecheck.http import FhirClient, Interaction
from carecheck.probe import ProbeUnavailable, probe_write
from carecheck.run.scenario import NOT_APPLICABLE

__all__ = ["WriteProbes", "write_probes"]

NEVER = (
    "the target profile says no write may ever be sent to this server (writes: never), so carecheck sent none "
    "and this requirement is untested"
)


class WriteProbes:
    """Sends one scenario's write probes and remembers each one's clean-up."""

    def __init__(self, client: FhirClient, target: Target) -> None:
        self._client = client
        self._target = target
        self._cleanups: dict[str, Interaction | None] = {}

    def send(self, method: str, resource_type: str) -> Interaction:
        """A harmless `method` of `resource_type` (the write alone: what the scenario judges)."""
        if self._target.writes == "never":
            pytest.skip(f"{NOT_APPLICABLE} {NEVER}")
        try:
            probed = probe_write(self._client, method, resource_type)
        except ProbeUnavailable as unavailable:
            pytest.skip(f"{NOT_APPLICABLE} {unavailable}")
        self._cleanups[probed.write.first.id] = probed.cleanup
        return probed.write

    def cleanup_of(self, write: Interaction) -> Interaction | None:
        """The re-reads and deletes carecheck sent after `write` (None when none were needed)."""
        return self._cleanups.get(write.first.id)


@pytest.fixture
def write_probes(client: FhirClient, target: Target) -> WriteProbes:
    """The scenario's write probes: `write_probes.send("PUT", "Patient")`, then `write_probes.cleanup_of(interaction)`."""
    return WriteProbes(client, target)
