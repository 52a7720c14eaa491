"""The pytest process of a run: `python -m carecheck.run.pytest_process PYTEST-ARGUMENTS`, the run's facts on stdin.

`carecheck run` starts it with the facts its owner obtained (`RunFacts.dumps()`) written to its standard input and
closed. It runs pytest with those arguments, the carecheck plugin among them (`-p carecheck.plugin`), and the facts
handed to that plugin as a plugin object (`Handover`); it exits with pytest's exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest

from carecheck.run.facts import Handover, RunFacts

__all__ = ["main"]


def main(arguments: Sequence[str] | None = None) -> int:
    facts = RunFacts.loads(sys.stdin.buffer.read())
    return int(pytest.main(list(sys.argv[1:] if arguments is None else arguments), plugins=[Handover(facts)]))


if __name__ == "__main__":
    sys.exit(main())
