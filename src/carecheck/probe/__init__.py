"""Probing a target beyond plain reads and searches: what the scenarios send, each through the scenario's recording
client. The error and format scenarios' requests (chosen Accept and `_format`, headers, POST `_search`); write probes
that cannot harm the target's records; the security scenarios' forged tokens and other clients, and TLS handshakes;
the reads judging a chained search needs; and property-based search testing that explores generated searches with
hypothesis and shrinks a failure to a minimal search.

    exploration = explore("split", client, space, Budget(examples=15, seconds=20))
    verdict.judge("date_split", exploration.interaction, **exploration.arguments_for("split"))

What a target gives nothing to probe with makes the scenario not applicable (`carecheck.checks.NotApplicable`).
"""

from carecheck.probe.explorer import Budget, Exploration, explore, unexplorable
from carecheck.probe.properties import PROPERTIES, Plan, SearchProperty
from carecheck.probe.references import MAX_READS, ReferenceReads, ScenarioReferences
from carecheck.probe.requests import FORM, FORMATS, NONE, negotiated, negotiated_each, search_by_post, search_with, sent_as
from carecheck.probe.searcher import Searcher
from carecheck.probe.security import SecurityProbes
from carecheck.probe.tls import TlsProbes
from carecheck.probe.writes import PROBE_SYSTEM, ProbedWrite, ProbeUnavailable, WriteProbes, carries_mark, probe_write

__all__ = [
    "FORM",
    "FORMATS",
    "MAX_READS",
    "NONE",
    "PROBE_SYSTEM",
    "PROPERTIES",
    "Budget",
    "Exploration",
    "Plan",
    "ProbeUnavailable",
    "ProbedWrite",
    "ReferenceReads",
    "ScenarioReferences",
    "SearchProperty",
    "Searcher",
    "SecurityProbes",
    "TlsProbes",
    "WriteProbes",
    "carries_mark",
    "explore",
    "negotiated",
    "negotiated_each",
    "probe_write",
    "search_by_post",
    "search_with",
    "sent_as",
    "unexplorable",
]
