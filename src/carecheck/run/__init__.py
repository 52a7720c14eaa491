"""Conformance runs: the target server, the reachability preflight, and the pytest session that judges it."""

from carecheck.run.preflight import check_credentials, check_reachable
from carecheck.run.server import target_server
from carecheck.run.session import RunOptions, RunResult, run

__all__ = ["RunOptions", "RunResult", "check_credentials", "check_reachable", "run", "target_server"]
