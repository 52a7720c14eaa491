"""Probing a target beyond plain reads and searches: the requests the error and format scenarios make
(chosen Accept and `_format`, headers, POST `_search`), write probes that cannot harm the target's records,
and property-based search testing that
explores generated searches with hypothesis and shrinks a failure to a minimal search.

    exploration = explore("split", client, space, Budget(examples=15, seconds=20))
    verdict.judge(exploration.check, exploration.interaction, **exploration.arguments)
"""

from carecheck.probe.explorer import Budget, Exploration, explore, unexplorable
from carecheck.probe.properties import PROPERTIES, Plan, SearchProperty
from carecheck.probe.requests import FORM, FORMATS, NONE, negotiated, negotiated_each, search_by_post, search_with, sent_as
from carecheck.probe.searcher import Searcher
from carecheck.probe.writes import PROBE_SYSTEM, ProbedWrite, ProbeUnavailable, carries_mark, probe_write

__all__ = [
    "FORM",
    "FORMATS",
    "NONE",
    "PROBE_SYSTEM",
    "PROPERTIES",
    "Budget",
    "Exploration",
    "Plan",
    "ProbeUnavailable",
    "ProbedWrite",
    "SearchProperty",
    "Searcher",
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
