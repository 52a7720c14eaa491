"""The facts of one run: what `carecheck run` obtains once, before the first scenario, and hands to pytest.

The run's owner (`carecheck.run.owner`) loads the profile, reads the CapabilityStatement, obtains the tokens and
discovers the test data; the pytest process receives these facts on its standard input, and a parallel run's
controller passes them on to each worker. Nothing after the hand-over reads the profile, the statement or the test
data again, and a token is obtained again only when it is due for renewal. (docs/architecture.md, "One owner per run".)

The facts travel pickled between carecheck's own processes (a pipe, then pytest-xdist's channel): they hold the
profile's secrets and the tokens, so they are never written to a file.
"""

from __future__ import annotations

import base64
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carecheck.baseline import Baseline
from carecheck.capability import Capabilities
from carecheck.config import Target
from carecheck.fhir import Waiver
from carecheck.testdata import Known

__all__ = ["HANDOVER", "Handover", "RunFacts", "SharedToken"]

HANDOVER = "carecheck-run-facts"
"""The name the facts are registered under as a pytest plugin object (and the key of a worker's `workerinput`)."""

SharedToken = tuple[str, float, str | None]
"""A token obtained once, handed on: the token, the seconds it stays in use, the patient its response named."""


@dataclass(frozen=True)
class RunFacts:
    """Everything a run's scenarios take from the run rather than from the target: obtained once, by one owner."""

    target: Target
    base_url: str
    """The base URL tested: the profile's, `--base-url`, or the embedded server's."""
    statement: dict[str, Any]
    """The CapabilityStatement as the target answered it ({} when none could be read: the capability scenarios say why)."""
    known: dict[str, Any]
    """The test data (`Known.dump()`): pinned and discovered records."""
    tokens: dict[str, SharedToken] = field(default_factory=dict)
    """The tokens obtained, by client: `auth`, `auth-patient-only`, `auth-patient-context`."""
    report_dir: Path | None = None
    waivers: tuple[Waiver, ...] = ()
    baseline: Baseline | None = None
    hypothesis_seed: int | str | None = None

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(self.statement)

    def known_data(self) -> Known:
        return Known.load(self.known)

    def dumps(self) -> str:
        """The facts as text, for a pipe or a worker's `workerinput` (never for a file: they hold secrets)."""
        return base64.b64encode(pickle.dumps(self)).decode("ascii")

    @classmethod
    def loads(cls, text: str | bytes) -> RunFacts:
        facts = pickle.loads(base64.b64decode(text))
        if not isinstance(facts, cls):
            raise TypeError(f"not a run's facts: {type(facts).__name__}")
        return facts


class Handover:
    """The facts as a plugin object for `pytest.main(plugins=[...])`: pytest registers an object under its `__name__`,
    so the carecheck plugin finds the facts as `config.pluginmanager.get_plugin(HANDOVER)`."""

    def __init__(self, facts: RunFacts) -> None:
        self.__name__ = HANDOVER
        self.facts = facts
