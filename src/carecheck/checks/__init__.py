"""Checks: named plain functions from recorded interactions to findings, each tied to requirements."""

from carecheck.checks import bundle, capability, errors, formats, includes, paging, parity, profile, properties, response, search, security, writes
from carecheck.checks.finding import Finding, Outcome, failed, passed, unjudged, warned
from carecheck.checks.registry import CHECKS, Check, CheckFunction, Registry, check
from carecheck.checks.verdict import INCONCLUSIVE, CheckFailed, Judgement, Verdict

__all__ = [
    "CHECKS",
    "INCONCLUSIVE",
    "Check",
    "CheckFailed",
    "CheckFunction",
    "Finding",
    "Judgement",
    "Outcome",
    "Registry",
    "Verdict",
    "bundle",
    "capability",
    "check",
    "errors",
    "failed",
    "formats",
    "includes",
    "paging",
    "parity",
    "passed",
    "profile",
    "properties",
    "response",
    "search",
    "security",
    "unjudged",
    "warned",
    "writes",
]
