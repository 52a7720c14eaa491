"""Checks on content negotiation: the format a server answers in (Accept, `_format`, which wins), and that
its JSON and XML say the same thing.

STU3 http.html: the formal MIME types are application/fhir+json and application/fhir+xml and "the correct
mime type SHALL be used"; `_format` (xml, text/xml, application/xml, application/fhir+xml; json,
application/json, application/fhir+json) overrides Accept. Two parsed forms are compared as FHIR content:
object member order, XML element order of different elements, number spelling (``1.50`` / ``1.5``) and the
narrative's insignificant whitespace are not differences; array order and every value are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from xml.etree.ElementTree import ParseError, canonicalize

import httpx

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.fhir import BodyError, XmlError, parse_resource, parse_xml
from carecheck.http import Exchange, Interaction
from carecheck.http.untrusted import DEPTH_CEILING, UnreadableBody, nests_deeper_than, parse_json

__all__ = ["asked_for", "differences", "format_parameter_wins", "format_parity", "negotiated_format"]

_FAMILIES = {
    "json": ("application/fhir+json", "application/json+fhir", frozenset({"application/json", "text/json"})),
    "xml": ("application/fhir+xml", "application/xml+fhir", frozenset({"application/xml", "text/xml"})),
}
_SHOWN = 5


def asked_for(exchange: Exchange) -> str:
    """How a request chose its format, for messages: `_format=xml`, `Accept: application/fhir+json`, or neither."""
    request = exchange.request
    chosen = httpx.URL(request.url).params.get_list("_format")
    accept = request.header("accept")
    accept_text = f"Accept: {accept}" if accept else "no Accept header"
    return f"_format={chosen[-1]} (over {accept_text})" if chosen else accept_text


def _family(media: str) -> tuple[str | None, str]:
    """(json or xml, how the label is judged: stu3, dstu2 or generic) of a media type; (None, '') if neither."""
    for name, (stu3, dstu2, generic) in _FAMILIES.items():
        if media == stu3:
            return name, "stu3"
        if media == dstu2:
            return name, "dstu2"
        if media in generic:
            return name, "generic"
    return None, ""


def _body_as(exchange: Exchange, family: str) -> tuple[dict[str, Any] | None, str | None]:
    """The body read strictly in one format: JSON must be a JSON object, XML must be FHIR XML."""
    assert exchange.response is not None
    body = exchange.response.body
    if exchange.error:
        return None, f"the body was not read: {exchange.error}"
    if family == "xml":
        if nests_deeper_than(body, DEPTH_CEILING):
            return None, f"the body nests deeper than {DEPTH_CEILING} levels, which carecheck does not read"
        try:
            return parse_xml(body), None
        except (XmlError, RecursionError) as error:
            looks = "JSON" if body.lstrip()[:1] in (b"{", b"[") else "not FHIR XML"
            return None, f"the body is {looks}: {error}"
    try:
        document = parse_json(body)
    except UnreadableBody as error:
        looks = "XML" if body.lstrip()[:1] == b"<" else "not JSON"
        return None, f"the body is {looks} ({error})"
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        return None, "the body is JSON but not a FHIR resource (no resourceType)"
    return document, None


def _judged(exchange: Exchange, expected: str, resource_type: str) -> Iterator[Finding]:
    """One answer against the format expected (json, xml or any) and the resource type asked for."""
    asked = asked_for(exchange)
    if exchange.response is None:
        yield failed(f"no response ({exchange.error}) to {asked}", exchange=exchange.id)
        return
    if exchange.response.status != 200:
        yield failed(f"{asked}: expected 200, got {exchange.response.status}", exchange=exchange.id)
        return
    media = exchange.response.content_type
    family, label = _family(media)
    wanted = "JSON or XML" if expected == "any" else expected.upper()
    if family is None or (expected != "any" and family != expected):
        stu3 = " or ".join(_FAMILIES[name][0] for name in (("json", "xml") if expected == "any" else (expected,)))
        yield failed(f"{asked} asks for FHIR {wanted} ({stu3}), but the answer is {media or 'untyped'}", exchange=exchange.id)
        return
    resource, problem = _body_as(exchange, family)
    if resource is None:
        yield failed(f"{asked}: the answer is labelled {media} but {problem}", exchange=exchange.id)
        return
    if resource["resourceType"] != resource_type:
        yield failed(f"{asked}: expected a {resource_type}, got a {resource['resourceType']}", exchange=exchange.id, pointer="/resourceType")
        return
    stu3 = _FAMILIES[family][0]
    if label == "dstu2":
        yield warned(f"{asked}: answered in {family.upper()} labelled with the DSTU2 type {media}; STU3 uses {stu3}", exchange=exchange.id)
    elif label == "generic":
        yield failed(f"{asked}: answered in {family.upper()} but labelled {media}; STU3 servers SHALL label FHIR content {stu3}", exchange=exchange.id)
    else:
        yield passed(f"{asked}: a {resource_type} in {family.upper()} ({media})", exchange=exchange.id)


@check(
    description="A request answered in the format it asked for (by Accept): status 200, the STU3 media type of that format, a body that is that format, and the resource asked for.",
    requirements=("CC-GEN-FORMAT",),
)
def negotiated_format(interaction: Interaction, *, expected: str, resource_type: str) -> Iterator[Finding]:
    """`expected`: JSON, XML, or anything else (`JSON or XML`) for either."""
    return _judged(interaction.first, _EXPECTED.get(expected.strip().lower(), "any"), resource_type)


_EXPECTED = {"json": "json", "xml": "xml"}
_FORMAT_VALUES = {
    "json": "json", "application/fhir+json": "json", "application/json+fhir": "json", "application/json": "json", "text/json": "json",
    "xml": "xml", "application/fhir+xml": "xml", "application/xml+fhir": "xml", "application/xml": "xml", "text/xml": "xml",
}  # fmt: skip


@check(
    description="Each request with a _format is answered in the format _format names, whatever its Accept says (formats the server does not declare aside).",
    requirements=("CC-GEN-FORMAT",),
)
def format_parameter_wins(interaction: Interaction, *, resource_type: str, offered: Sequence[str] = ("json", "xml")) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        chosen = httpx.URL(exchange.request.url).params.get_list("_format")
        expected = _FORMAT_VALUES.get(chosen[-1].replace(" ", "+").lower()) if chosen else None
        if expected is None:
            yield failed(f"{asked_for(exchange)}: not a _format this check knows", exchange=exchange.id)
        elif expected in offered:
            yield from _judged(exchange, expected, resource_type)
        else:
            yield passed(f"{asked_for(exchange)}: not judged, the server does not declare {expected.upper()}", exchange=exchange.id)


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
        return {key: item for key, item in kept.items() if item not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def _same_scalar(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return float(left) == float(right)
    return bool(left == right)


def differences(left: Any, right: Any, pointer: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Where two parsed resources differ, as (JSON pointer, left value, right value); `_MISSING` is absent."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            yield from differences(left.get(key, _MISSING), right.get(key, _MISSING), f"{pointer}/{key}")
    elif isinstance(left, list) and isinstance(right, list):
        for index in range(max(len(left), len(right))):
            yield from differences(left[index] if index < len(left) else _MISSING, right[index] if index < len(right) else _MISSING, f"{pointer}/{index}")
    elif not _same_scalar(left, right):
        yield pointer or "/", left, right


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING = _Missing()


def _shown(value: Any) -> str:
    text = value if isinstance(value, _Missing) else json.dumps(value, ensure_ascii=False)
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."


def _contents(interaction: Interaction) -> tuple[dict[str, dict[str, Any]], str | None]:
    """A read's resource, or a search's matched resources, by `Type/id` (pages followed)."""
    found: dict[str, dict[str, Any]] = {}
    for exchange in interaction.exchanges:
        if exchange.response is None or exchange.response.status != 200:
            return {}, exchange.describe()
        try:
            document = parse_resource(exchange)
        except BodyError as error:
            return {}, f"{exchange.request.line}: {error}"
        if document["resourceType"] != "Bundle" or interaction.kind != "search":
            found[f"{document['resourceType']}/{document.get('id')}"] = document
            continue
        for entry in document.get("entry") or []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            mode = (entry.get("search") or {}).get("mode", "match") if isinstance(entry, dict) and isinstance(entry.get("search"), dict) else "match"
            if isinstance(resource, dict) and mode == "match":
                found[f"{resource.get('resourceType')}/{resource.get('id')}"] = resource
    return found, None


@check(
    description="The same read or search asked for in JSON and in XML returns the same resources with the same content, compared as FHIR content (member order, number spelling and narrative whitespace aside).",
    requirements=("CC-FMT-PARITY",),
)
def format_parity(interaction: Interaction, *, other: Interaction) -> Iterator[Finding]:
    left, problem = _contents(interaction)
    right, other_problem = _contents(other)
    if problem or other_problem:
        yield failed(f"cannot compare the two formats: {problem or other_problem}", exchange=interaction.first.id)
        return
    this, that = asked_for(interaction.first), asked_for(other.first)
    missing = sorted(set(left) ^ set(right))
    if missing:
        yield failed(f"{this} and {that} return different resources: {', '.join(missing[:_SHOWN])} in one answer only", exchange=interaction.first.id)
    found = 0
    for key in sorted(set(left) & set(right)):
        for pointer, one, two in list(differences(_normal(left[key]), _normal(right[key])))[:_SHOWN]:
            found += 1
            yield failed(f"{key} differs at {pointer}: {this} says {_shown(one)}, {that} says {_shown(two)}", exchange=other.first.id, pointer=pointer)
    if not missing and not found:
        yield passed(f"{len(left)} resource(s) with the same content in both formats ({this}; {that})", exchange=interaction.first.id)
