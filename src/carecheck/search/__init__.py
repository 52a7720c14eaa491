"""STU3 search for Care Connect: the parameter registry, the criteria parser and the search oracle.

    registry = default_registry()
    search = parse_search("Patient", [("family", "antic"), ("birthdate", "lt1930")])
    decision = matches_search(patient, search)    # Decision(outcome=Outcome.MATCH, reason=...)

The oracle is independent of ``carecheck.refserver`` by design (docs/architecture.md, "Independence rule").
"""

from carecheck.search.criteria import (
    CONTROL_PARAMETERS,
    Criterion,
    DateValue,
    ReferenceValue,
    Search,
    SearchSyntaxError,
    TokenValue,
    parse_criterion,
    parse_date_value,
    parse_reference_value,
    parse_search,
    parse_token_value,
)
from carecheck.search.dates import COMPARATORS, DateRange, compare_dates, parse_date_range
from carecheck.search.decision import Decision, Outcome
from carecheck.search.oracle import Resolver, chained_references, matches, matches_search
from carecheck.search.registry import (
    CARE_CONNECT_RESOURCES,
    Conformance,
    Level,
    SearchCombination,
    SearchParameter,
    SearchRegistry,
    UnknownResourceType,
    UnknownSearchParameter,
    default_registry,
)

__all__ = [
    "CARE_CONNECT_RESOURCES",
    "COMPARATORS",
    "CONTROL_PARAMETERS",
    "Conformance",
    "Criterion",
    "DateRange",
    "DateValue",
    "Decision",
    "Level",
    "Outcome",
    "ReferenceValue",
    "Resolver",
    "Search",
    "SearchCombination",
    "SearchParameter",
    "SearchRegistry",
    "SearchSyntaxError",
    "TokenValue",
    "UnknownResourceType",
    "UnknownSearchParameter",
    "chained_references",
    "compare_dates",
    "default_registry",
    "matches",
    "matches_search",
    "parse_criterion",
    "parse_date_range",
    "parse_date_value",
    "parse_reference_value",
    "parse_search",
    "parse_token_value",
]
