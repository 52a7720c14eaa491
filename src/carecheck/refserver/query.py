"""Search query strings checked against the parameter table and turned into criteria, includes and a page.

Rules from https://hl7.org/fhir/STU3/search.html: a repeated parameter is AND, a comma inside a
value is OR, and ``\\,`` ``\\|`` ``\\$`` ``\\\\`` escape. A key is ``name[:modifier]``, a reference
may name its target type (``subject:Patient``) and be chained one level to a parameter of that
type (``patient.identifier``, ``subject:Patient.identifier``). Malformed input raises FhirError
(400); names the table does not know are collected in ``SearchQuery.ignored`` for the caller to
report or refuse. ``carecheck.refserver.sql`` turns the criteria into SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from carecheck.refserver.includes import parse_include
from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import (
    MODIFIERS,
    RESOURCES,
    STU3_MODIFIERS,
    ResourceDefinition,
    SearchParam,
    SearchParamType,
)
from carecheck.refserver.store import Include
from carecheck.refserver.values import DateRange, date_range

__all__ = [
    "DEFAULT_COUNT",
    "MAX_COUNT",
    "PREFIXES",
    "Chain",
    "Criterion",
    "DateValue",
    "MissingValue",
    "ReferenceValue",
    "SearchQuery",
    "StringValue",
    "TokenValue",
    "parse_search",
]

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
_PAGING = ("_count", "_offset")
_INCLUDES = {"_include": False, "_revinclude": True}
_HANDLED_ELSEWHERE = frozenset({"_format"})
_ESCAPED = re.compile(r"\\([,|$\\])")
_DIGITS = re.compile(r"[0-9]{1,9}")
_KEY = re.compile(r"(?P<name>[A-Za-z0-9_-]+)(?::(?P<modifier>[A-Za-z-]*))?(?:\.(?P<chain>.+))?")
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_RELATIVE = re.compile(r"(?P<type>[A-Z][A-Za-z]+)/(?P<id>[^/]+)")


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


@dataclass(frozen=True)
class ReferenceValue:
    """A reference search value: an ``id`` (of ``type`` when known), or an absolute ``url`` of another server."""

    type: str | None = None
    id: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class MissingValue:
    """The value of ``:missing``: True finds resources with no value for the parameter, False those with one."""

    missing: bool


SearchValue = StringValue | TokenValue | DateValue | ReferenceValue | MissingValue


@dataclass(frozen=True)
class Chain:
    """The chained part of ``patient.identifier=…``: the referenced type, and the criterion it must meet."""

    target: str
    criterion: Criterion


@dataclass(frozen=True)
class Criterion:
    """One ``name[:modifier]=value[,value…]`` of a search: the values are alternatives (OR).

    A chained criterion has no values of its own: its ``chain`` says what the referenced resource must meet.
    """

    param: SearchParam
    modifier: str | None
    values: tuple[SearchValue, ...]
    raw: tuple[str, str]
    """The parameter name (with modifier) and value as received, to rebuild links from."""
    chain: Chain | None = None


@dataclass(frozen=True)
class SearchQuery:
    """A validated search: criteria that must all hold (AND), includes, the page asked for, and names ignored."""

    resource_type: str
    criteria: tuple[Criterion, ...]
    count: int = DEFAULT_COUNT
    offset: int = 0
    ignored: tuple[str, ...] = ()
    includes: tuple[Include, ...] = ()
    include_params: tuple[tuple[str, str], ...] = ()

    def link_params(self) -> list[tuple[str, str]]:
        """The criteria and includes as query parameters, as received, for the Bundle's links."""
        return [criterion.raw for criterion in self.criteria] + list(self.include_params)


def parse_search(
    definition: ResourceDefinition,
    items: Iterable[tuple[str, str]],
    *,
    base_url: str | None = None,
    resources: Mapping[str, ResourceDefinition] = RESOURCES,
) -> SearchQuery:
    """Check every ``(name, value)`` of a query string against ``definition``'s parameters; FhirError if invalid.

    ``base_url`` is this server's FHIR base: an absolute reference under it is a local one.
    """
    criteria: list[Criterion] = []
    paging: dict[str, int] = {}
    ignored: list[str] = []
    includes: list[Include] = []
    include_params: list[tuple[str, str]] = []
    for key, value in items:
        name = key.partition(":")[0]
        if name in _PAGING:
            paging[name] = _paging_value(key, value, paging)
        elif name in _INCLUDES:
            includes.append(parse_include(key, value, definition, resources, reverse=_INCLUDES[name]))
            include_params.append((key, value))
        elif name in _HANDLED_ELSEWHERE:
            continue
        elif (criterion := _parse_criterion(definition, key, value, base_url, resources)) is None:
            ignored.append(key)
        else:
            criteria.append(criterion)
    return SearchQuery(
        resource_type=definition.type,
        criteria=tuple(criteria),
        count=min(paging.get("_count", DEFAULT_COUNT), MAX_COUNT),
        offset=paging.get("_offset", 0),
        ignored=tuple(ignored),
        includes=tuple(includes),
        include_params=tuple(include_params),
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


def _parse_criterion(
    definition: ResourceDefinition,
    key: str,
    value: str,
    base_url: str | None,
    resources: Mapping[str, ResourceDefinition],
) -> Criterion | None:
    """The criterion ``key=value`` on ``definition``; None if ``key`` names no parameter of it."""
    param = definition.param(re.split(r"[:.]", key, maxsplit=1)[0])
    if param is None:
        return None
    parts = _KEY.fullmatch(key)
    if parts is None:
        raise _invalid(f"{key!r} is not a search parameter key: name[:modifier] or name[:Type].chained-name")
    modifier, target = parts["modifier"], None
    if param.type is SearchParamType.REFERENCE and modifier and modifier[0].isupper():
        if modifier not in param.targets:
            raise _invalid(f"{key!r}: {param.name!r} refers to {' or '.join(param.targets)}, not {modifier}")
        modifier, target = None, modifier
    if parts["chain"] is not None:
        if modifier is not None:
            raise _invalid(f"{key!r}: a chained parameter takes no :{modifier} (put modifiers on the chained name)")
        return _chained(param, target, parts["chain"], key, value, base_url, resources)
    return _criterion(param, modifier, target, key, value, base_url)


def _chained(
    param: SearchParam,
    target: str | None,
    chain: str,
    key: str,
    value: str,
    base_url: str | None,
    resources: Mapping[str, ResourceDefinition],
) -> Criterion:
    if param.type is not SearchParamType.REFERENCE:
        raise _invalid(f"{key!r}: only reference parameters can be chained, and {param.name!r} is a {param.type}")
    served = [name for name in param.targets if name in resources]
    if target is None and len(served) != 1:
        raise _invalid(f"{key!r}: name the type to chain through, e.g. {param.name}:{served[0]}.{chain}")
    target_definition = resources[target or served[0]]
    inner = _parse_criterion(target_definition, chain, value, base_url, resources)
    if inner is None:
        raise _invalid(f"{key!r}: {target_definition.type} has no search parameter {chain.partition(':')[0]!r}")
    if inner.chain is not None or isinstance(inner.values[0], MissingValue):
        raise _invalid(f"{key!r}: only one level of chaining, without :missing, is supported")
    return Criterion(param, None, (), (key, value), Chain(target_definition.type, inner))


def _criterion(param: SearchParam, modifier: str | None, target: str | None, key: str, value: str, base_url: str | None) -> Criterion:
    if modifier is not None and modifier not in MODIFIERS[param.type]:
        if modifier in STU3_MODIFIERS:
            raise _invalid(f"modifier :{modifier} is not supported on {param.type} parameter {param.name!r}")
        raise _invalid(f"unknown modifier :{modifier} on search parameter {param.name!r}")
    if value == "":
        raise _invalid(f"search parameter {key!r} has an empty value")
    if modifier == "missing":
        if value not in ("true", "false"):
            raise _invalid(f"{key!r} must be true or false, not {value!r}")
        return Criterion(param, modifier, (MissingValue(value == "true"),), (key, value))
    values: list[SearchValue] = []
    for alternative in _split(value, ","):
        if alternative == "":
            raise _invalid(f"search parameter {key!r} has an empty value in {value!r}")
        if param.type is SearchParamType.REFERENCE:
            values.append(_reference(param, target, alternative, base_url))
        else:
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


def _reference(param: SearchParam, target: str | None, text: str, base_url: str | None) -> ReferenceValue:
    """``id``, ``Type/id`` or an absolute URL (one under ``base_url`` is read as ``Type/id``)."""
    text = _unescape(text)
    if base_url and text.startswith(base_url.rstrip("/") + "/"):
        text = text[len(base_url.rstrip("/")) + 1 :]
    elif text.startswith(("http://", "https://")):
        return ReferenceValue(url=text)
    relative = _RELATIVE.fullmatch(text)
    resource_type, resource_id = (relative["type"], relative["id"]) if relative else (target, text)
    if resource_type is not None and resource_type not in param.targets:
        raise _invalid(f"{param.name!r} refers to {' or '.join(param.targets)}, not {resource_type} ({text!r})")
    if target is not None and resource_type != target:
        raise _invalid(f"{param.name}:{target} cannot match a reference to {resource_type} ({text!r})")
    if _ID.fullmatch(resource_id) is None:
        raise _invalid(f"{text!r} for {param.name!r} is not an id, Type/id or absolute URL")
    return ReferenceValue(resource_type, resource_id)


_PARSERS: Mapping[SearchParamType, Callable[[SearchParam, str], SearchValue]] = {
    SearchParamType.STRING: _string,
    SearchParamType.TOKEN: _token,
    SearchParamType.DATE: _date,
}
