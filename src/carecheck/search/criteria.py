"""Search queries as sent, parsed into the criteria an oracle judges (STU3 search.html §2.1.1).

A query is a list of ``(key, value)`` pairs (``httpx.URL(...).params.multi_items()``) or a raw query
string. Each key is ``name[:modifier][.chain]``; each value is a comma-separated OR list in which ``\\,``,
``\\|``, ``\\$`` and ``\\\\`` are escapes. Result parameters (``_count``, ``_include``…) are kept apart as
controls, names STU3 does not define for the resource type go to ``unknown``, and a malformed value
raises SearchSyntaxError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

from carecheck.search.dates import COMPARATORS, DateRange, parse_date_range
from carecheck.search.registry import SearchParameter, SearchRegistry, UnknownSearchParameter, default_registry

__all__ = [
    "CONTROL_PARAMETERS",
    "Criterion",
    "DateValue",
    "ReferenceValue",
    "Search",
    "SearchSyntaxError",
    "TokenValue",
    "chain_targets",
    "parse_criterion",
    "parse_date_value",
    "parse_reference_value",
    "parse_search",
    "parse_token_value",
    "split_values",
    "unescape",
]

CONTROL_PARAMETERS: frozenset[str] = frozenset(
    {"_count", "_include", "_revinclude", "_format", "_sort", "_summary", "_elements", "_total", "_contained", "_containedType", "_pretty"}
)

_ESCAPED = frozenset(",|$\\")
_ID = r"[A-Za-z0-9\-.]{1,64}"
_LOCAL_REFERENCE = re.compile(rf"(?P<type>[A-Z][A-Za-z]+)/(?P<id>{_ID})(?:/_history/[^/]+)?")
_ABSOLUTE_REFERENCE = re.compile(rf"(?P<base>[A-Za-z][A-Za-z0-9+.\-]*://.+?)/(?P<type>[A-Z][A-Za-z]+)/(?P<id>{_ID})(?:/_history/[^/]+)?")
_NUMBER = r"[+\-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+\-]?\d+)?"
_NUMBER_VALUE = re.compile(rf"(?:{'|'.join(COMPARATORS)})?{_NUMBER}")
_QUANTITY_VALUE = re.compile(rf"(?:{'|'.join(COMPARATORS)})?{_NUMBER}(?:\|[^|]*\|[^|]*)?")


class SearchSyntaxError(ValueError):
    """A search parameter or value that STU3 search syntax does not allow."""


@dataclass(frozen=True, slots=True)
class TokenValue:
    """A token search value: ``system`` None = any system, '' = no system; ``code`` None = any code."""

    system: str | None
    code: str | None
    text: str


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date search value: its prefix (``eq`` when none is given) and the range its precision covers."""

    prefix: str
    range: DateRange
    text: str

    @property
    def low(self) -> datetime:
        """First instant the value covers (naive: server-local time; aware: UTC)."""
        start = self.range.start
        if start is None:
            raise ValueError("a date search value is always bounded")
        return start

    @property
    def high(self) -> datetime:
        """First instant after the value (exclusive)."""
        end = self.range.end
        if end is None:
            raise ValueError("a date search value is always bounded")
        return end


@dataclass(frozen=True, slots=True)
class ReferenceValue:
    """A reference search value: ``[id]``, ``[type]/[id]`` or an absolute URL (``base`` + type/id)."""

    type: str | None
    id: str | None
    base: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """One search parameter as sent: ``key=value`` with the key split and the value split on commas.

    ``values`` are the OR alternatives exactly as sent (escapes kept); the typed readers below resolve
    escapes. For ``subject:Patient.identifier`` the name is ``subject``, the modifier ``Patient`` and the
    chain ``identifier``.
    """

    name: str
    modifier: str | None
    values: tuple[str, ...]
    chain: str | None
    key: str
    value: str

    def strings(self) -> tuple[str, ...]:
        """The values as plain strings (escapes resolved)."""
        return tuple(unescape(value) for value in self.values)

    def tokens(self) -> tuple[TokenValue, ...]:
        """The values as tokens (``[system]|[code]`` forms)."""
        return tuple(parse_token_value(value) for value in self.values)

    def dates(self) -> tuple[DateValue, ...]:
        """The values as prefixed date ranges."""
        return tuple(parse_date_value(value) for value in self.values)

    def references(self) -> tuple[ReferenceValue, ...]:
        """The values as references."""
        return tuple(parse_reference_value(value) for value in self.values)


@dataclass(frozen=True, slots=True)
class Search:
    """A parsed search of one resource type: criteria (ANDed), result controls and unknown names."""

    resource_type: str
    criteria: tuple[Criterion, ...]
    controls: tuple[tuple[str, str], ...]
    unknown: tuple[str, ...]


def parse_search(
    resource_type: str,
    query: str | Iterable[tuple[str, str]],
    *,
    registry: SearchRegistry | None = None,
) -> Search:
    """Parse a query (pairs as sent, or a raw query string) for ``resource_type``."""
    registry = registry or default_registry()
    registry.parameters(resource_type)  # raises UnknownResourceType before anything else
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True) if isinstance(query, str) else list(query)
    criteria: list[Criterion] = []
    controls: list[tuple[str, str]] = []
    unknown: list[str] = []
    for key, value in pairs:
        if key.split(":", 1)[0] in CONTROL_PARAMETERS:
            controls.append((key, value))
            continue
        try:
            criteria.append(parse_criterion(resource_type, key, value, registry=registry))
        except UnknownSearchParameter:
            unknown.append(key)
    return Search(resource_type, tuple(criteria), tuple(controls), tuple(unknown))


def parse_criterion(resource_type: str, key: str, value: str, *, registry: SearchRegistry | None = None) -> Criterion:
    """Parse and check one ``key=value``; UnknownSearchParameter if STU3 does not define the name."""
    registry = registry or default_registry()
    head, dot, chain = key.partition(".")
    name, colon, modifier = head.partition(":")
    if not name or (colon and not modifier) or (dot and not chain):
        raise SearchSyntaxError(f"{key!r} is not a search parameter key (name[:modifier][.chain])")
    parameter = registry.parameter(resource_type, name)
    criterion = Criterion(name, modifier or None, split_values(value), chain or None, key, value)
    _check_modifier(parameter, criterion)
    if criterion.chain is not None:
        _check_chain(parameter, criterion, registry)
    else:
        _check_values(parameter, criterion)
    return criterion


def split_values(value: str) -> tuple[str, ...]:
    """Split a value on unescaped commas (the OR separator); escapes are kept in the parts."""
    parts = _split(value, ",")
    if any(part == "" for part in parts):
        raise SearchSyntaxError(f"empty value in {value!r}" if value else "empty search value")
    return tuple(parts)


def unescape(text: str) -> str:
    """Resolve the STU3 search escapes ``\\,`` ``\\|`` ``\\$`` ``\\\\``; other backslashes stay."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPED:
            out.append(text[index + 1])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def parse_token_value(value: str) -> TokenValue:
    """``code`` (any system), ``system|code``, ``|code`` (no system) or ``system|`` (any code)."""
    parts = _split(value, "|")
    if len(parts) == 1:
        return TokenValue(None, unescape(parts[0]), value)
    if len(parts) > 2:
        raise SearchSyntaxError(f"token {value!r} has more than one unescaped '|'")
    system, code = unescape(parts[0]), unescape(parts[1])
    if not system and not code:
        raise SearchSyntaxError(f"token {value!r} has neither a system nor a code")
    return TokenValue(system, code or None, value)


def parse_date_value(value: str) -> DateValue:
    """``[prefix]date``: prefix one of eq ne gt lt ge le sa eb ap (default eq)."""
    prefix, text = ("eq", value)
    if value[:2].isalpha():
        prefix, text = value[:2], value[2:]
        if prefix not in COMPARATORS:
            raise SearchSyntaxError(f"date {value!r} has an unknown prefix {prefix!r}")
    try:
        return DateValue(prefix, parse_date_range(text), value)
    except ValueError as error:
        raise SearchSyntaxError(f"date {value!r}: {error}") from None


def parse_reference_value(value: str) -> ReferenceValue:
    """``[id]``, ``[type]/[id]``, an absolute ``[base]/[type]/[id]`` URL, or another URL/URN as is."""
    text = unescape(value)
    if re.fullmatch(_ID, text):
        return ReferenceValue(None, text, None, text)
    if local := _LOCAL_REFERENCE.fullmatch(text):
        return ReferenceValue(local["type"], local["id"], None, text)
    if absolute := _ABSOLUTE_REFERENCE.fullmatch(text):
        return ReferenceValue(absolute["type"], absolute["id"], absolute["base"], text)
    if ":" in text and " " not in text:
        return ReferenceValue(None, None, None, text)
    raise SearchSyntaxError(f"reference {value!r} is not an id, [type]/[id] or an absolute URL")


def _check_modifier(parameter: SearchParameter, criterion: Criterion) -> None:
    modifier = criterion.modifier
    if modifier is None:
        return
    if parameter.type == "reference" and modifier in parameter.targets:
        return
    if modifier not in parameter.modifiers:
        allowed = parameter.modifiers + parameter.targets
        raise SearchSyntaxError(
            f"{criterion.key!r}: {parameter.type} parameter {parameter.name!r} has no modifier {modifier!r} (allowed: {', '.join(allowed)})"
        )
    if modifier == "missing" and criterion.chain is not None:
        raise SearchSyntaxError(f"{criterion.key!r}: :missing cannot be chained")
    if modifier == "missing" and any(value not in ("true", "false") for value in criterion.values):
        raise SearchSyntaxError(f"{criterion.key}={criterion.value!r}: :missing takes true or false")


def _check_chain(parameter: SearchParameter, criterion: Criterion, registry: SearchRegistry) -> None:
    if parameter.type != "reference":
        raise SearchSyntaxError(f"{criterion.key!r}: only reference parameters can be chained")
    chain = criterion.chain or ""
    checked = False
    for target in chain_targets(parameter, criterion, registry):
        try:
            parse_criterion(target, chain, criterion.value, registry=registry)
        except UnknownSearchParameter:
            continue
        checked = True
    if not checked:
        raise UnknownSearchParameter(f"no target of {parameter.resource_type}.{parameter.name} has a search parameter for chain {chain!r}")


def chain_targets(parameter: SearchParameter, criterion: Criterion, registry: SearchRegistry) -> tuple[str, ...]:
    """The Care Connect resource types a chained criterion can continue into."""
    wanted = (criterion.modifier,) if criterion.modifier in parameter.targets else parameter.targets
    return tuple(target for target in wanted if target in registry.resource_types())


def _check_values(parameter: SearchParameter, criterion: Criterion) -> None:
    if criterion.modifier == "missing":
        return
    kind = parameter.type
    for value in criterion.values:
        if kind == "token" and criterion.modifier != "text":
            parse_token_value(value)
        elif kind == "date":
            parsed = parse_date_value(value)
            if parsed.prefix not in parameter.comparators:
                raise SearchSyntaxError(f"{criterion.key}: prefix {parsed.prefix!r} is not allowed")
        elif kind == "reference":
            reference = parse_reference_value(value)
            if criterion.modifier and reference.type and reference.type != criterion.modifier:
                raise SearchSyntaxError(f"{criterion.key}={value!r}: the value's type contradicts the :{criterion.modifier} modifier")
        elif kind == "number" and not _NUMBER_VALUE.fullmatch(value):
            raise SearchSyntaxError(f"{criterion.key}={value!r} is not a [prefix]number")
        elif kind == "quantity" and not _QUANTITY_VALUE.fullmatch(value):
            raise SearchSyntaxError(f"{criterion.key}={value!r} is not a [prefix]number[|system|code]")


def _split(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts
