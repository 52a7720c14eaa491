"""Search query strings turned into SQL: each parameter checked against the table, each criterion an EXISTS subquery.

Rules from https://hl7.org/fhir/STU3/search.html: a repeated parameter is AND, a comma inside a
value is OR, and ``\\,`` ``\\|`` ``\\$`` ``\\\\`` escape. Malformed input raises FhirError (400);
names the table does not know are collected in ``SearchQuery.ignored`` for the caller to report
or refuse. Compiled criteria read the index tables of ``carecheck.refserver.store``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import (
    MODIFIERS,
    STU3_MODIFIERS,
    ResourceDefinition,
    SearchParam,
    SearchParamType,
)
from carecheck.refserver.store import INDEX_TABLES, Condition
from carecheck.refserver.values import DateRange, date_range, fold, micros

__all__ = [
    "DEFAULT_COUNT",
    "MAX_COUNT",
    "PREFIXES",
    "Criterion",
    "DateValue",
    "SearchQuery",
    "StringValue",
    "TokenValue",
    "parse_search",
]

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
_PAGING = ("_count", "_offset")
_HANDLED_ELSEWHERE = frozenset({"_format"})
_LAST_CHAR = "\U0010ffff"
_ESCAPED = re.compile(r"\\([,|$\\])")
_DIGITS = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class StringValue:
    """A string search value, unescaped."""

    text: str


@dataclass(frozen=True)
class TokenValue:
    """A token search value: ``code`` (any system), ``system|code``, ``|code`` (no system) or ``system|``."""

    system: str | None
    code: str | None
    any_system: bool = False


@dataclass(frozen=True)
class DateValue:
    """A date search value: its prefix and the range its precision implies."""

    prefix: str
    range: DateRange


SearchValue = StringValue | TokenValue | DateValue


@dataclass(frozen=True)
class Criterion:
    """One ``name[:modifier]=value[,value…]`` of a search: the values are alternatives (OR)."""

    param: SearchParam
    modifier: str | None
    values: tuple[SearchValue, ...]
    raw: tuple[str, str]
    """The parameter name (with modifier) and value as received, to rebuild links from."""


@dataclass(frozen=True)
class SearchQuery:
    """A validated search: criteria that must all hold (AND), the page asked for, and names ignored."""

    resource_type: str
    criteria: tuple[Criterion, ...]
    count: int = DEFAULT_COUNT
    offset: int = 0
    ignored: tuple[str, ...] = ()

    def condition(self, *, now: datetime) -> Condition:
        """The SQL condition over ``resource r`` that a matching resource meets (``now`` anchors ``ap``)."""
        compiled = [_compile(criterion, now) for criterion in self.criteria]
        if not compiled:
            return Condition()
        return Condition(" AND ".join(sql for sql, _ in compiled), tuple(arg for _, args in compiled for arg in args))

    def link_params(self) -> list[tuple[str, str]]:
        """The criteria as query parameters, as received, for the Bundle's links."""
        return [criterion.raw for criterion in self.criteria]


def parse_search(definition: ResourceDefinition, items: Iterable[tuple[str, str]]) -> SearchQuery:
    """Check every ``(name, value)`` of a query string against ``definition``'s parameters; FhirError if invalid."""
    criteria: list[Criterion] = []
    paging: dict[str, int] = {}
    ignored: list[str] = []
    for key, value in items:
        name, colon, modifier = key.partition(":")
        if name in _PAGING:
            paging[name] = _paging_value(key, value, paging)
        elif name in _HANDLED_ELSEWHERE:
            continue
        elif (param := definition.param(name)) is None:
            ignored.append(key)
        else:
            criteria.append(_criterion(param, modifier if colon else None, key, value))
    return SearchQuery(
        resource_type=definition.type,
        criteria=tuple(criteria),
        count=min(paging.get("_count", DEFAULT_COUNT), MAX_COUNT),
        offset=paging.get("_offset", 0),
        ignored=tuple(ignored),
    )


def _invalid(message: str) -> FhirError:
    return FhirError(400, "invalid", message)


def _paging_value(key: str, value: str, seen: Mapping[str, int]) -> int:
    if key not in _PAGING:
        raise _invalid(f"{key.partition(':')[0]} takes no modifier, but was sent as {key!r}")
    if key in seen:
        raise _invalid(f"{key} is given more than once")
    if _DIGITS.fullmatch(value) is None:
        raise _invalid(f"{key} must be a whole number from 0 to 999999999, not {value!r}")
    return int(value)


def _criterion(param: SearchParam, modifier: str | None, key: str, value: str) -> Criterion:
    if modifier is not None and modifier not in MODIFIERS[param.type]:
        if modifier in STU3_MODIFIERS:
            raise _invalid(f"modifier :{modifier} is not supported on {param.type} parameter {param.name!r}")
        raise _invalid(f"unknown modifier :{modifier} on search parameter {param.name!r}")
    if value == "":
        raise _invalid(f"search parameter {key!r} has an empty value")
    values = []
    for alternative in _split(value, ","):
        if alternative == "":
            raise _invalid(f"search parameter {key!r} has an empty value in {value!r}")
        values.append(_PARSERS[param.type](param, alternative))
    return Criterion(param, modifier, tuple(values), (key, value))


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` not escaped by a backslash; escapes stay in the parts."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if char == separator and not escaped:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        escaped = char == "\\" and not escaped
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _string(param: SearchParam, text: str) -> StringValue:
    return StringValue(_unescape(text))


def _token(param: SearchParam, text: str) -> TokenValue:
    parts = [_unescape(part) for part in _split(text, "|")]
    if len(parts) == 1:
        return TokenValue(None, parts[0], any_system=True)
    if len(parts) > 2:
        raise _invalid(f"token {text!r} for {param.name!r} has more than one unescaped '|'")
    system, code = parts
    if not system and not code:
        raise _invalid(f"token {text!r} for {param.name!r} has neither a system nor a code")
    return TokenValue(system or None, code or None)


def _date(param: SearchParam, text: str) -> DateValue:
    prefix, body = "eq", text
    if text[:2].isalpha():
        prefix, body = text[:2], text[2:]
        if prefix not in PREFIXES:
            raise _invalid(f"unknown prefix {prefix!r} in {text!r} for {param.name!r}; use one of {' '.join(PREFIXES)}")
    if not body:
        raise _invalid(f"prefix {prefix!r} for {param.name!r} is not followed by a date")
    try:
        return DateValue(prefix, date_range(body))
    except ValueError as error:
        hint = " (a '+' in a query string must be sent as %2B)" if " " in body else ""
        raise _invalid(f"invalid date {body!r} for {param.name!r}: {error}{hint}") from None


_PARSERS: Mapping[SearchParamType, Callable[[SearchParam, str], SearchValue]] = {
    SearchParamType.STRING: _string,
    SearchParamType.TOKEN: _token,
    SearchParamType.DATE: _date,
}


def _compile(criterion: Criterion, now: datetime) -> tuple[str, list[Any]]:
    tests: list[str] = []
    args: list[Any] = [criterion.param.name]
    for value in criterion.values:
        sql, value_args = _value_sql(criterion.modifier, value, now)
        tests.append(f"({sql})")
        args.extend(value_args)
    table = INDEX_TABLES[criterion.param.type]
    sql = f"EXISTS (SELECT 1 FROM {table} i WHERE i.pk = r.pk AND i.param = ? AND ({' OR '.join(tests)}))"
    return sql, args


def _value_sql(modifier: str | None, value: SearchValue, now: datetime) -> tuple[str, list[Any]]:
    if isinstance(value, StringValue):
        return _string_sql(modifier, value)
    if isinstance(value, TokenValue):
        return _token_sql(value)
    return _date_sql(value, now)


def _string_sql(modifier: str | None, value: StringValue) -> tuple[str, list[Any]]:
    if modifier == "exact":
        return "i.exact = ?", [value.text]
    folded = fold(value.text)
    if modifier == "contains":
        return "instr(i.folded, ?) > 0", [folded]
    return "i.folded >= ? AND i.folded < ?", [folded, folded + _LAST_CHAR]


def _token_sql(value: TokenValue) -> tuple[str, list[Any]]:
    if value.any_system:
        return "i.code = ?", [value.code]
    if value.code is None:
        return "i.system = ?", [value.system]
    if value.system is None:
        return "i.system IS NULL AND i.code = ?", [value.code]
    return "i.system = ? AND i.code = ?", [value.system, value.code]


def _date_sql(value: DateValue, now: datetime) -> tuple[str, list[Any]]:
    """Target range ``[i.low, i.high)`` against search range ``[low, high)``, as STU3 defines each prefix."""
    low, high = value.range.low, value.range.high
    contained = "(? <= i.low AND i.high <= ?)"
    if value.prefix == "eq":
        return contained, [low, high]
    if value.prefix == "ne":
        return f"NOT {contained}", [low, high]
    if value.prefix == "gt":  # the range above the search value overlaps the target
        return "i.high > ?", [high]
    if value.prefix == "lt":  # the range below the search value overlaps the target
        return "i.low < ?", [low]
    if value.prefix == "ge":
        return f"i.high > ? OR {contained}", [high, low, high]
    if value.prefix == "le":
        return f"i.low < ? OR {contained}", [low, low, high]
    if value.prefix == "sa":  # the target starts after the search value ends
        return "i.low >= ?", [high]
    if value.prefix == "eb":  # the target ends before the search value starts
        return "i.high <= ?", [low]
    # ap: overlaps the search range widened by 10% of the gap between now and the search value
    margin = abs(micros(now) - low) // 10
    return "i.low < ? AND i.high > ?", [high + margin, low - margin]
