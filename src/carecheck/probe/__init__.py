"""Probing a target beyond plain reads and searches: the requests the error and format scenarios make
(writes, chosen Accept and `_format`, headers, POST `_search`), and property-based search testing that
explores generated searches with hypothesis and shrinks a failure to a minimal search.

    exploration = explore("split", client, space, Budget(examples=15, seconds=20))
    verdict.judge(exploration.check, exploration.interaction, **exploration.arguments)
"""

from carecheck.probe.explorer import Budget, Exploration, explore, unexplorable
from carecheck.probe.properties import PROPERTIES, Plan, SearchProperty
from carecheck.probe.requests import FORM, FORMATS, NONE, negotiated, negotiated_each, search_by_post, search_with, sent_as, written
from carecheck.probe.searcher import Searcher

__all__ = [
    "FORM",
    "FORMATS",
    "NONE",
    "PROPERTIES",
    "Budget",
    "Exploration",
    "Plan",
    "SearchProperty",
    "Searcher",
    "explore",
    "negotiated",
    "negotiated_each",
    "search_by_post",
    "search_with",
    "sent_as",
    "unexplorable",
    "written",
]
