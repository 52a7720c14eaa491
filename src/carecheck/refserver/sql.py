"""Search criteria compiled to SQL over the index tables, each both as a test of one row and as its set of matches.

A criterion becomes an EXISTS test of the resource row ``r`` (answered by the per-resource
indexes) and, when an index on its values can answer it, an uncorrelated SELECT of the ``pk`` of
every match. The store drives a search from the set of the criterion with fewest matches and
tests the rest on the rows it yields, so ``Observation?patient=X&date=ge2010`` reads X's
observations only, however many patients the server holds. Clauses are listed by how well their
kind usually narrows a search (a reference, a token, a chain, a string, a date), which breaks ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from carecheck.refserver.params import SearchParamType
from carecheck.refserver.query import (
    Criterion,
    DateValue,
    MissingValue,
    ReferenceValue,
    SearchQuery,
    SearchValue,
    StringValue,
    TokenValue,
)
from carecheck.refserver.store import INDEX_TABLES, Clause, Condition
from carecheck.refserver.values import fold, micros

__all__ = ["search_condition"]

_LAST_CHAR = "\U0010ffff"
_UNINDEXED = 9
_RANK = {
    SearchParamType.REFERENCE: 0,
    SearchParamType.TOKEN: 1,
    SearchParamType.STRING: 3,
    SearchParamType.DATE: 4,
}
_CHAIN_RANK = 2


def search_condition(query: SearchQuery, *, now: datetime) -> Condition:
    """The SQL a resource meets when it matches ``query`` (``now`` anchors the ``ap`` prefix)."""
    ranked = sorted(query.criteria, key=_rank)
    return Condition(tuple(_clause(criterion, query.resource_type, now) for criterion in ranked))


def _clause(criterion: Criterion, resource_type: str, now: datetime) -> Clause:
    test, test_args = _exists(criterion, "r", now)
    if _rank(criterion) == _UNINDEXED:
        return Clause(test, tuple(test_args))
    matches, matches_args = _matching_pks(criterion, resource_type, now)
    return Clause(test, tuple(test_args), matches, tuple(matches_args))


def _rank(criterion: Criterion) -> int:
    """How well an index narrows ``criterion`` down: lower drives better; ``_UNINDEXED`` cannot drive at all."""
    if criterion.chain is not None:
        return max(_CHAIN_RANK, _rank(criterion.chain.criterion))
    if criterion.modifier in ("not", "missing", "contains"):
        return _UNINDEXED
    if any(_unindexed(value) for value in criterion.values):
        return _UNINDEXED
    return _RANK[criterion.param.type]


def _unindexed(value: SearchValue) -> bool:
    """Values no index orders: a token with no code, a reference to another server, a date ``ne``."""
    if isinstance(value, TokenValue):
        return value.code is None
    if isinstance(value, ReferenceValue):
        return value.url is not None
    return isinstance(value, DateValue) and value.prefix == "ne"


def _matching_pks(criterion: Criterion, resource_type: str, now: datetime) -> tuple[str, list[Any]]:
    """A SELECT of the pk of every ``resource_type`` resource that meets ``criterion`` (which must be positive)."""
    if criterion.chain is not None:
        inner_sql, inner_args = _matching_pks(criterion.chain.criterion, criterion.chain.target, now)
        sql = (
            "SELECT c.pk FROM reference_index c WHERE c.type = ? AND c.param = ? AND c.url IS NULL"
            " AND c.target_type = ? AND c.target_id IN (SELECT t.id FROM resource t WHERE t.pk IN"
            f" ({inner_sql}))"
        )
        return sql, [resource_type, criterion.param.name, criterion.chain.target, *inner_args]
    tests, args = _alternatives(criterion, now)
    table = INDEX_TABLES[criterion.param.type]
    sql = f"SELECT i.pk FROM {table} i WHERE i.type = ? AND i.param = ? AND ({tests})"
    return sql, [resource_type, criterion.param.name, *args]


def _exists(criterion: Criterion, outer: str, now: datetime) -> tuple[str, list[Any]]:
    """An SQL test that the resource row ``outer`` meets ``criterion``."""
    name = criterion.param.name
    if criterion.chain is not None:
        inner_sql, inner_args = _exists(criterion.chain.criterion, "t", now)
        sql = (
            "EXISTS (SELECT 1 FROM reference_index c JOIN resource t ON t.type = c.target_type AND t.id = c.target_id"
            f" WHERE c.pk = {outer}.pk AND c.param = ? AND c.url IS NULL AND c.target_type = ? AND {inner_sql})"
        )
        return sql, [name, criterion.chain.target, *inner_args]
    table = INDEX_TABLES[criterion.param.type]
    any_value = f"EXISTS (SELECT 1 FROM {table} i WHERE i.pk = {outer}.pk AND i.param = ?"
    (first,) = criterion.values[:1]
    if isinstance(first, MissingValue):
        return (f"NOT {any_value})" if first.missing else f"{any_value})"), [name]
    tests, args = _alternatives(criterion, now)
    negation = "NOT " if criterion.modifier == "not" else ""
    return f"{negation}{any_value} AND ({tests}))", [name, *args]


def _alternatives(criterion: Criterion, now: datetime) -> tuple[str, list[Any]]:
    """The OR of the tests of ``criterion``'s values on an index row ``i``."""
    tests: list[str] = []
    args: list[Any] = []
    for value in criterion.values:
        sql, value_args = _value_sql(criterion.modifier, value, now)
        tests.append(f"({sql})")
        args.extend(value_args)
    return " OR ".join(tests), args


def _value_sql(modifier: str | None, value: SearchValue, now: datetime) -> tuple[str, Sequence[Any]]:
    if isinstance(value, StringValue):
        return _string_sql(modifier, value)
    if isinstance(value, TokenValue):
        return _token_sql(value)
    if isinstance(value, ReferenceValue):
        return _reference_sql(value)
    if isinstance(value, DateValue):
        return _date_sql(value, now)
    raise TypeError(f"{value!r} cannot be compared to an index row")


def _string_sql(modifier: str | None, value: StringValue) -> tuple[str, list[Any]]:
    folded = fold(value.text)
    if modifier == "exact":
        return "i.folded = ? AND i.exact = ?", [folded, value.text]
    if modifier == "contains":
        return "instr(i.folded, ?) > 0", [folded]
    return "i.folded >= ? AND i.folded < ?", [folded, folded + _LAST_CHAR]


def _token_sql(value: TokenValue) -> tuple[str, list[Any]]:
    if value.any_system:
        return "i.code = ?", [value.code]
    if value.code is None:
        return "i.system = ?", [value.system]
    if value.system is None:
        return "i.code = ? AND i.system IS NULL", [value.code]
    return "i.code = ? AND i.system = ?", [value.code, value.system]


def _reference_sql(value: ReferenceValue) -> tuple[str, list[Any]]:
    if value.url is not None:
        return "i.url = ?", [value.url]
    if value.type is None:
        return "i.target_id = ? AND i.url IS NULL", [value.id]
    return "i.target_id = ? AND i.target_type = ? AND i.url IS NULL", [value.id, value.type]


def _date_sql(value: DateValue, now: datetime) -> tuple[str, list[Any]]:
    """Target range ``[i.low, i.high)`` against search range ``[low, high)``, as STU3 defines each prefix."""
    low, high = value.range.low, value.range.high
    # i.low < i.high always, so "contained" also bounds i.low from above, which an index range can use
    contained = "(i.low >= ? AND i.low < ? AND i.high <= ?)"
    if value.prefix == "eq":
        return contained, [low, high, high]
    if value.prefix == "ne":
        return f"NOT {contained}", [low, high, high]
    if value.prefix == "gt":  # the range above the search value overlaps the target
        return "i.high > ?", [high]
    if value.prefix == "lt":  # the range below the search value overlaps the target
        return "i.low < ?", [low]
    if value.prefix == "ge":  # gt, or contained: the same as starting at or after the search value's start
        return "i.high > ? OR i.low >= ?", [high, low]
    if value.prefix == "le":  # lt, or contained: the same as ending at or before the search value's end
        return "i.low < ? OR i.high <= ?", [low, high]
    if value.prefix == "sa":  # the target starts after the search value ends
        return "i.low >= ?", [high]
    if value.prefix == "eb":  # the target ends before the search value starts
        return "i.high <= ?", [low]
    # ap: overlaps the search range widened by 10% of the gap between now and the search value
    margin = abs(micros(now) - low) // 10
    return "i.low < ? AND i.high > ?", [high + margin, low - margin]
