"""The parity check: the same read or search in JSON and in XML says the same thing, compared as FHIR values.

Both answers are read into FHIR's JSON form (XML through ``fhir.xml``, which keeps content that is not STU3
as written and says so) and compared element by element, typed by the STU3 definitions:

- instants and dateTimes compare as moments in time at their precision: ``…30.724Z`` and ``…30.724000+00:00``
  are the same instant, so are ``09:12:00.000+01:00`` and ``08:12:00Z``; ``2018`` and ``2018-01-01`` are not
  (STU3 datatypes: a date's precision is part of its value). A difference of spelling alone is a warning;
- a decimal's precision is content (STU3 datatypes: "the precision of the decimal value has significance"):
  ``1.50`` and ``1.5`` differ; the spelling of the same decimal (``1.5e0``) does not;
- member order, XML element order of different elements, and the narrative's insignificant whitespace are
  not differences; array order and every value are. XML cannot say whether one element of a kind is an
  array, so a one-item array and a single value compare as the same content (structure validation judges
  the JSON shape);
- content that is not STU3 is reported (a warning here, a structure error under profile validation) and
  compared as written where both formats carry it; carried by one format only, it is not STU3 content
  that differs, so it does not fail parity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import ParseError, canonicalize

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.formats import asked_for
from carecheck.checks.registry import check
from carecheck.fhir import XML_MEDIA_TYPES, Issue, XmlError, read_xml
from carecheck.fhir.definitions import Child, Scope, child_elements
from carecheck.http import Exchange, Interaction
from carecheck.http.untrusted import DEPTH_CEILING, nests_deeper_than
from carecheck.search import parse_date_range

__all__ = ["Difference", "differences", "format_parity"]

_SHOWN = 5
_MOMENTS = frozenset({"date", "dateTime", "instant"})
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?")
_ELEMENT: Scope = ("Element", "")


@dataclass(frozen=True)
class Difference:
    """Where two readings differ: a JSON pointer, both values, and whether only the spelling differs."""

    pointer: str
    left: Any
    right: Any
    spelling: bool = False
    note: str = ""


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING = _Missing()


def differences(left: Any, right: Any, pointer: str = "", *, child: Child | None = None) -> Iterator[Difference]:
    """Where two readings of a resource differ; ``child`` is the STU3 definition of the element compared
    (None: the resource itself, or content STU3 does not define). An absent value is shown as ``(absent)``."""
    if isinstance(left, list) != isinstance(right, list):
        lone = left if isinstance(left, list) else right
        if len(lone) == 1:
            yield from differences(lone[0] if lone is left else left, lone[0] if lone is right else right, pointer, child=child)
            return
    if isinstance(left, dict) and isinstance(right, dict):
        scope = _scope_of(left, child)
        children = child_elements(scope) if scope is not None else {}
        for key in sorted(set(left) | set(right)):
            inner = children.get(key[1:]) if key.startswith("_") else children.get(key)
            kind = _extras(inner) if key.startswith("_") else inner
            yield from differences(left.get(key, _MISSING), right.get(key, _MISSING), f"{pointer}/{key}", child=kind)
    elif isinstance(left, list) and isinstance(right, list):
        for index in range(max(len(left), len(right))):
            one = left[index] if index < len(left) else _MISSING
            two = right[index] if index < len(right) else _MISSING
            yield from differences(one, two, f"{pointer}/{index}", child=child)
    else:
        yield from _scalars(left, right, pointer or "/", child)


def _scope_of(value: dict[str, Any], child: Child | None) -> Scope | None:
    if child is None or child.type == "Resource":
        kind = value.get("resourceType")
        return (kind, "") if isinstance(kind, str) else None
    return child.scope


def _extras(child: Child | None) -> Child | None:
    """A primitive's ``_name`` part (id and extensions) is an Element."""
    return Child(child.name, child.element, child.repeats, "Element", _ELEMENT) if child is not None and child.primitive else None


def _scalars(left: Any, right: Any, pointer: str, child: Child | None) -> Iterator[Difference]:
    if isinstance(left, _Missing) or isinstance(right, _Missing) or isinstance(left, dict | list) or isinstance(right, dict | list):
        yield Difference(pointer, left, right)
        return
    kind = child.type if child is not None and child.primitive else None
    if kind in _MOMENTS and isinstance(left, str) and isinstance(right, str):
        yield from _moments(left, right, pointer)
    elif kind == "time" and isinstance(left, str) and isinstance(right, str):
        if left != right:
            same = _time_of_day(left) is not None and _time_of_day(left) == _time_of_day(right)
            yield Difference(pointer, left, right, spelling=same, note="the same time of day" if same else "")
    elif kind == "decimal" or (kind is None and isinstance(left, Decimal | int | float) and isinstance(right, Decimal | int | float)):
        yield from _decimals(left, right, pointer)
    elif (kind is None and not _same_untyped(left, right)) or (kind is not None and not _same_typed(left, right)):
        yield Difference(pointer, left, right)


def _same_typed(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return bool(left == right)


def _same_untyped(left: Any, right: Any) -> bool:
    """Content STU3 does not define: XML gives text, so a JSON value equals the text that spells it."""
    return _spelt(left) == _spelt(right)


def _spelt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _moments(left: str, right: str, pointer: str) -> Iterator[Difference]:
    if left == right:
        return
    try:
        one, two = parse_date_range(left), parse_date_range(right)
    except ValueError:
        yield Difference(pointer, left, right)
        return
    timed = "T" in left and "T" in right
    if one.low == two.low and (timed or one.high == two.high):
        yield Difference(pointer, left, right, spelling=True, note="the same moment" if timed else "the same date")
        return
    note = "a different precision" if one.low == two.low else ""
    yield Difference(pointer, left, right, note=note)


def _time_of_day(text: str) -> tuple[int, int, int, int] | None:
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return int(hours), int(minutes), int(seconds or 0), int((fraction or "")[:6].ljust(6, "0"))


def _decimals(left: Any, right: Any, pointer: str) -> Iterator[Difference]:
    try:
        one, two = _decimal(left), _decimal(right)
    except (InvalidOperation, TypeError, ValueError):
        if left != right:
            yield Difference(pointer, left, right)
        return
    if one != two:
        yield Difference(pointer, left, right)
    elif one.as_tuple().exponent != two.as_tuple().exponent:
        yield Difference(pointer, left, right, note="the same number at a different precision; a decimal's precision is content")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a decimal")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _normal_div(text: str) -> str:
    """XHTML in canonical form (attribute order and quotes, character references), insignificant whitespace dropped."""
    if "<!" not in text:  # never expand a DTD or entities the server sent
        try:
            return canonicalize(text, strip_text=True)
        except ParseError:
            pass
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text)).strip()


def _normal(value: Any) -> Any:
    """FHIR content with what the two formats cannot both say removed: empty values, narrative whitespace."""
    if isinstance(value, dict):
        kept = {key: _normal(item) for key, item in value.items()}
        if isinstance(kept.get("div"), str):
            kept["div"] = _normal_div(kept["div"])
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, _Missing) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _read(exchange: Exchange) -> tuple[dict[str, Any], tuple[Issue, ...]]:
    """The body, decimals kept exact: XML through the reader (with its issues), JSON as written."""
    assert exchange.response is not None
    body = exchange.response.body
    if exchange.error or nests_deeper_than(body, DEPTH_CEILING):  # a hostile body the client marked, or too deep to read
        raise ValueError(exchange.error or f"it nests deeper than {DEPTH_CEILING} levels")
    if exchange.response.content_type in XML_MEDIA_TYPES or body.lstrip().startswith(b"<"):
        reading = read_xml(body, exact_decimals=True)
        return reading.resource, reading.issues
    document = json.loads(body, parse_float=Decimal)
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        raise ValueError("the body is not a FHIR resource")
    return document, ()


@dataclass
class _Contents:
    """One side's resources by `Type/id`, the reader's issues, and per resource the JSON pointers of the
    content that is not STU3 (what an issue locates), or why the side cannot be compared."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    foreign: dict[str, set[str]] = field(default_factory=dict)
    problem: str | None = None

    def add(self, resource: dict[str, Any], root: str, issues: tuple[Issue, ...]) -> None:
        key = f"{resource.get('resourceType')}/{resource.get('id')}"
        self.resources[key] = resource
        for issue in issues:
            if issue.location.startswith((root + ".", root + "[")):
                self.foreign.setdefault(key, set()).add(_pointer(issue.location[len(root) :]))

    def is_foreign(self, key: str, pointer: str) -> bool:
        return any(pointer == known or pointer.startswith(known + "/") for known in self.foreign.get(key, ()))


def _pointer(path: str) -> str:
    """``.clinicalStatus``, ``.name[0].given`` → ``/clinicalStatus``, ``/name/0/given``."""
    return re.sub(r"\[(\d+)\]", r"/\1", path).replace(".", "/")


def _contents(interaction: Interaction) -> _Contents:
    """A read's resource, or a search's matched resources, by `Type/id` (pages followed), and the reader's issues."""
    found = _Contents()
    for exchange in interaction.exchanges:
        if exchange.response is None or exchange.response.status != 200 or exchange.response.truncated:
            return _Contents(problem=exchange.describe())
        try:
            document, read = _read(exchange)
        except (XmlError, ValueError, UnicodeDecodeError) as error:
            return _Contents(problem=f"{exchange.request.line}: the body cannot be read as FHIR ({error})")
        found.issues += read
        if document["resourceType"] != "Bundle" or interaction.kind != "search":
            found.add(document, str(document["resourceType"]), read)
            continue
        for index, entry in enumerate(document.get("entry") or []):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            search = entry.get("search") if isinstance(entry, dict) else None
            mode = search.get("mode", "match") if isinstance(search, dict) else "match"
            if isinstance(resource, dict) and mode == "match":
                found.add(resource, f"Bundle.entry[{index}].resource", read)
    return found


@check(
    description=(
        "The same read or search asked for in JSON and in XML returns the same resources with the same content, compared as FHIR values (instants as "
        "moments, decimals with their precision; member order, spelling and narrative whitespace aside)."
    ),
    requirements=("CC-FMT-PARITY",),
)
def format_parity(interaction: Interaction, *, other: Interaction) -> Iterator[Finding]:
    left, right = _contents(interaction), _contents(other)
    if left.problem or right.problem:
        yield failed(f"cannot compare the two formats: {left.problem or right.problem}", exchange=interaction.first.id)
        return
    this, that = asked_for(interaction.first), asked_for(other.first)
    for side, contents, exchange in ((this, left, interaction.first.id), (that, right, other.first.id)):
        for issue in contents.issues[:_SHOWN]:
            yield warned(
                f"{side}: the answer holds content that is not STU3, compared as written: {issue.location}: {issue.message}",
                exchange=exchange,
                pointer=issue.location,
            )
    missing = sorted(set(left.resources) ^ set(right.resources))
    if missing:
        yield failed(f"{this} and {that} return different resources: {', '.join(missing[:_SHOWN])} in one answer only", exchange=interaction.first.id)
    found = 0
    for key in sorted(set(left.resources) & set(right.resources)):
        for difference in list(differences(_normal(left.resources[key]), _normal(right.resources[key])))[: _SHOWN * 2]:
            said = f"{this} says {_shown(difference.left)}, {that} says {_shown(difference.right)}"
            note = f" ({difference.note})" if difference.note else ""
            if _only_foreign(difference, key, left, right):
                side = this if isinstance(difference.right, _Missing) else that
                yield warned(
                    f"{key}: only {side} carries {difference.pointer}, which is not STU3 content (reported above), so it is not compared",
                    exchange=other.first.id,
                    pointer=difference.pointer,
                )
            elif difference.spelling:
                yield warned(f"{key} spells {difference.pointer} differently{note}: {said}", exchange=other.first.id, pointer=difference.pointer)
            elif found < _SHOWN:
                found += 1
                yield failed(f"{key} differs at {difference.pointer}{note}: {said}", exchange=other.first.id, pointer=difference.pointer)
    if not missing and not found:
        yield passed(f"{len(left.resources)} resource(s) with the same content in both formats ({this}; {that})", exchange=interaction.first.id)


def _only_foreign(difference: Difference, key: str, left: _Contents, right: _Contents) -> bool:
    """Content one side alone carries that its reader could not read as STU3: a structure finding, not a
    difference of STU3 content (what both sides carry is always compared)."""
    if isinstance(difference.right, _Missing):
        return left.is_foreign(key, difference.pointer)
    if isinstance(difference.left, _Missing):
        return right.is_foreign(key, difference.pointer)
    return False
