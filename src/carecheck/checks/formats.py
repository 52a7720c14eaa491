"""Checks on content negotiation: the format a server answers in (Accept, `_format`, which wins).

STU3 http.html: the formal MIME types are application/fhir+json and application/fhir+xml and "the correct
mime type SHALL be used"; `_format` (xml, text/xml, application/xml, application/fhir+xml; json,
application/json, application/fhir+json) overrides Accept. That JSON and XML say the same thing is
``checks.parity``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.fhir import XmlError, parse_xml
from carecheck.http import Exchange, Interaction
from carecheck.http.untrusted import DEPTH_CEILING, UnreadableBody, nests_deeper_than, parse_json

__all__ = ["asked_for", "format_parameter_wins", "negotiated_format"]

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
