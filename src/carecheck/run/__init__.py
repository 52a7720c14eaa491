"""Conformance runs, from `carecheck run` to the sealed pack: the target server, the owner that obtains the run's
facts once (reachability, CapabilityStatement, tokens, test data), the pytest process and the fixtures and scenario
lifecycle inside it, progress and interruptions. Orchestration only: what the scenarios send is `carecheck.probe`,
what they know of the target `carecheck.testdata`, how they are judged `carecheck.checks`, the reports
`carecheck.report` (docs/architecture.md)."""

from carecheck.run.facts import RunFacts
from carecheck.run.owner import obtain_facts
from carecheck.run.server import target_server
from carecheck.run.session import RunOptions, RunResult, run

__all__ = ["RunFacts", "RunOptions", "RunResult", "obtain_facts", "run", "target_server"]
