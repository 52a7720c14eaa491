"""Checks: named plain functions from recorded interactions to findings, each tied to requirements."""

from carecheck.checks import baseline, bundle, capability, errors, formats, includes, paging, profile, properties, response, search, security, versions
from carecheck.checks.finding import Finding, Outcome, failed, passed, warned
from carecheck.checks.registry import CHECKS, Check, CheckFunction, Registry, check
from carecheck.checks.verdict import CheckFailed, Judgement, Verdict

__all__ = [
    "CHECKS",
    "Check",
    "CheckFailed",
    "CheckFunction",
    "Finding",
    "Judgement",
    "Outcome",
    "Registry",
    "Verdict",
    "baseline",
    "bundle",
    "capability",
    "check",
    "errors",
    "failed",
    "formats",
    "includes",
    "paging",
    "passed",
    "profile",
    "properties",
    "response",
    "search",
    "security",
    "versions",
    "warned",
]
