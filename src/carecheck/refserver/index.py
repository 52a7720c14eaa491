"""What a resource contributes to the search index: per parameter, folded strings, tokens, date ranges or references.

Which values an element yields depends on its FHIR datatype, as STU3 search defines it: a
HumanName is searched through its family, given, prefix, suffix and text; an Identifier is the
token ``system|value``; a bare ``code`` takes the parameter's implied system; a Period is the
range from the start of its start to the end of its end (open ends reach the start or end of
time); a Reference is its target's type and id, kept only when the type is one the parameter
may point to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from carecheck.refserver.params import SearchParam
from carecheck.refserver.values import EARLIEST, LATEST, DateRange, date_range, fold

__all__ = [
    "ReferenceEntry",
    "StringEntry",
    "TokenEntry",
    "date_entries",
    "parse_reference",
    "reference_entries",
    "string_entries",
    "token_entries",
]

_REFERENCE = re.compile(
    r"(?:(?P<base>https?://\S+?)/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/[A-Za-z0-9\-.]{1,64})?"
)


@dataclass(frozen=True)
class StringEntry:
    """A string value as written (for ``:exact``) and folded for case and accent (for the rest)."""

    exact: str
    folded: str


@dataclass(frozen=True)
class TokenEntry:
    """A token: its system (None when the element has none) and its code or value."""

    system: str | None
    code: str | None


@dataclass(frozen=True)
class ReferenceEntry:
    """A reference's target: its type and id, and for an absolute reference the whole URL (None when relative)."""

    type: str
    id: str
    url: str | None = None


def parse_reference(text: str) -> ReferenceEntry | None:
    """``Type/id`` or ``http…/Type/id`` (a ``/_history/v`` tail dropped) as an entry; None for any other reference."""
    match = _REFERENCE.fullmatch(text)
    if match is None:
        return None
    return ReferenceEntry(match["type"], match["id"], text if match["base"] else None)


def string_entries(param: SearchParam, resource: Mapping[str, Any]) -> list[StringEntry]:
    """The strings ``resource`` holds for ``param``."""
    return [StringEntry(text, fold(text)) for element, value in param.values(resource) for text in _STRING_PARTS[element.datatype](value) if text]


def token_entries(param: SearchParam, resource: Mapping[str, Any]) -> list[TokenEntry]:
    """The tokens ``resource`` holds for ``param``."""
    return [token for element, value in param.values(resource) for token in _TOKENS[element.datatype](param, value)]


def date_entries(param: SearchParam, resource: Mapping[str, Any]) -> list[DateRange]:
    """The date ranges ``resource`` holds for ``param``; ``ValueError`` on a malformed stored date."""
    return [_DATES[element.datatype](value) for element, value in param.values(resource)]


def reference_entries(param: SearchParam, resource: Mapping[str, Any]) -> list[ReferenceEntry]:
    """The references ``resource`` holds for ``param`` to a type the parameter may point to."""
    entries = []
    for _, value in param.values(resource):
        reference = value.get("reference") if isinstance(value, Mapping) else None
        entry = parse_reference(reference) if isinstance(reference, str) else None
        if entry is not None and entry.type in param.targets:
            entries.append(entry)
    return entries


def _strings(element: Any, *keys: str) -> Iterator[str]:
    for key in keys:
        value = element.get(key)
        if isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))
        elif isinstance(value, str):
            yield value


def _human_name(element: Any) -> Iterator[str]:
    return _strings(element, "family", "given", "prefix", "suffix", "text")


def _address(element: Any) -> Iterator[str]:
    return _strings(element, "line", "city", "district", "state", "postalCode", "country", "text")


def _plain_string(element: Any) -> Iterator[str]:
    if isinstance(element, str):
        yield element


_STRING_PARTS: Mapping[str, Callable[[Any], Iterator[str]]] = {
    "string": _plain_string,
    "HumanName": _human_name,
    "Address": _address,
}


def _code(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    if isinstance(element, str):
        yield TokenEntry(param.system, element)


def _plain_token(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    if isinstance(element, bool):
        yield TokenEntry(None, "true" if element else "false")
    elif isinstance(element, str):
        yield TokenEntry(None, element)


def _identifier(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    yield TokenEntry(element.get("system"), element.get("value"))


def _coding(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    yield TokenEntry(element.get("system"), element.get("code"))


def _codeable_concept(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    for coding in element.get("coding", []):
        yield from _coding(param, coding)


def _contact_point(param: SearchParam, element: Any) -> Iterator[TokenEntry]:
    if "value" in element:  # the ContactPoint's own `system` (phone, email…) is not a code system
        yield TokenEntry(None, element["value"])


_TOKENS: Mapping[str, Callable[[SearchParam, Any], Iterator[TokenEntry]]] = {
    "code": _code,
    "id": _plain_token,
    "string": _plain_token,
    "uri": _plain_token,
    "boolean": _plain_token,
    "Identifier": _identifier,
    "Coding": _coding,
    "CodeableConcept": _codeable_concept,
    "ContactPoint": _contact_point,
}


def _period(element: Any) -> DateRange:
    start, end = element.get("start"), element.get("end")
    return DateRange(
        date_range(start).low if start else EARLIEST,
        date_range(end).high if end else LATEST,
    )


_DATES: Mapping[str, Callable[[Any], DateRange]] = {
    "date": date_range,
    "dateTime": date_range,
    "instant": date_range,
    "Period": _period,
}
