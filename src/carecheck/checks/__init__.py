"""Checks: named plain functions from recorded interactions to findings, each tied to requirements."""

from carecheck.checks import (
    baseline,
    bundle,
    capability,
    errors,
    formats,
    includes,
    paging,
    parity,
    profile,
    properties,
    response,
    search,
    security,
    versions,
    writes,
)
from carecheck.checks.finding import Finding, Outcome, failed, passed, unjudged, warned
from carecheck.checks.registry import CHECKS, Check, CheckFunction, Registry, check
from carecheck.checks.search import refused
from carecheck.checks.verdict import INCONCLUSIVE, NOT_APPLICABLE, CheckFailed, Judgement, NotApplicable, Verdict, not_applicable
from carecheck.checks.versions import head_unsupported, version_headers_missing, version_of

__all__ = [
    "CHECKS",
    "INCONCLUSIVE",
    "NOT_APPLICABLE",
    "Check",
    "CheckFailed",
    "CheckFunction",
    "Finding",
    "Judgement",
    "NotApplicable",
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
    "head_unsupported",
    "includes",
    "not_applicable",
    "paging",
    "parity",
    "passed",
    "profile",
    "properties",
    "refused",
    "response",
    "search",
    "security",
    "unjudged",
    "version_headers_missing",
    "version_of",
    "versions",
    "warned",
    "writes",
]
