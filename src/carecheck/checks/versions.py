"""Checks on a read's version and its HTTP face: vread of the version a read gave, ETag and Last-Modified against
`meta`, and HEAD answered as GET is.

STU3 http.html: "Servers SHOULD return an ETag header with the versionId of the resource (if versioning is
supported) and a Last-Modified header"; the ETag carries `meta.versionId` (as `W/"[versionId]"`), Last-Modified
`meta.lastUpdated`. vread (`[type]/[id]/_history/[vid]`) reads "the state of a specific version of the resource".
HEAD is HTTP's (RFC 9110 §9.3.2): "identical to GET except that the server MUST NOT send content in the
response"; a server that does not offer it refuses it (405 or 501), which FHIR allows.

The gates (`version_of`, `version_headers_missing`, `head_unsupported`) are plain functions the steps use to
make a scenario not applicable; the checks judge what remains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from carecheck.checks.finding import Finding, failed, passed, unjudged, warned
from carecheck.checks.parity import differences
from carecheck.checks.registry import check
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, Interaction

__all__ = ["head_like_get", "head_unsupported", "version_headers_agree", "version_headers_missing", "version_of", "vread_is_version"]

_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')
_UNSUPPORTED = (405, 501)


def _resource(exchange: Exchange) -> dict[str, Any] | None:
    try:
        return parse_resource(exchange) if exchange.status == 200 else None
    except BodyError:
        return None


def _meta(resource: Mapping[str, Any] | None) -> Mapping[str, Any]:
    meta = (resource or {}).get("meta")
    return meta if isinstance(meta, dict) else {}


def _header(exchange: Exchange, name: str) -> str | None:
    if exchange.response is None:
        return None
    return next((value for key, value in exchange.response.headers if key.lower() == name), None)


def _tag(value: str) -> tuple[bool, str] | None:
    """An HTTP entity-tag as (weak, opaque value), or None if it is not one."""
    match = _ENTITY_TAG.fullmatch(value.strip())
    return (bool(match.group(1)), match.group(2)) if match else None


def version_of(read: Interaction) -> str | None:
    """The version a read gave: `meta.versionId`, else the ETag's value; None when it gave neither."""
    exchange = read.first
    version = _meta(_resource(exchange)).get("versionId")
    if isinstance(version, str) and version:
        return version
    tag = _tag(_header(exchange, "etag") or "")
    return tag[1] if tag and tag[1] else None


def version_headers_missing(read: Interaction) -> str | None:
    """Why a read's version headers cannot be judged (none sent, or nothing in `meta` to hold them against), or None."""
    exchange = read.first
    resource = _resource(exchange)
    if resource is None:
        return None  # the scenario's status and body checks say what is wrong
    sent = [name for name in ("etag", "last-modified") if _header(exchange, name) is not None]
    held = [name for name, key in (("etag", "versionId"), ("last-modified", "lastUpdated")) if _meta(resource).get(key)]
    label = f"{resource.get('resourceType')}/{resource.get('id')}"
    if not sent:
        return f"the read of {label} carries neither ETag nor Last-Modified (STU3 http.html: servers SHOULD send them)"
    if not set(sent) & set(held):
        return f"the read of {label} sends {', '.join(sent)} but its meta has no {' or '.join(('versionId', 'lastUpdated'))} to hold them against"
    return None


def head_unsupported(head: Interaction, get: Interaction) -> str | None:
    """Why HEAD counts as not offered (a 4xx or 501 where GET succeeded), or None when the server answered it."""
    answer, plain = head.first.status, get.first.status
    if answer is None or plain is None or not 200 <= plain < 300:
        return None
    if answer in _UNSUPPORTED or 400 <= answer < 500:
        hint = "" if answer in _UNSUPPORTED else "; HTTP names 405 or 501 for a method a server does not offer"
        return f"the server does not support HEAD on {head.first.request.url}: it answered {answer} where GET answered {plain}{hint}"
    return None


@check(
    description="A vread ([type]/[id]/_history/[vid]) of the version a read gave answers 200 with that version of the same resource, as the read gave it.",
    requirements=("FHIR-VREAD",),
)
def vread_is_version(interaction: Interaction, *, read: Interaction, version: str) -> Iterator[Finding]:
    exchange = interaction.first
    if exchange.response is None:
        yield failed(f"no response: {exchange.error}", exchange=exchange.id)
        return
    if exchange.status != 200:
        yield failed(f"a vread of version {version}, the version the read gave, answered {exchange.status}, not 200", exchange=exchange.id)
        return
    resource, current = _resource(exchange), _resource(read.first)
    if resource is None or current is None:
        yield failed("the vread's answer is not a FHIR resource", exchange=exchange.id)
        return
    label = f"{current.get('resourceType')}/{current.get('id')}"
    if (resource.get("resourceType"), resource.get("id")) != (current.get("resourceType"), current.get("id")):
        yield failed(f"a vread of {label} version {version} returned {resource.get('resourceType')}/{resource.get('id')}", exchange=exchange.id)
        return
    given = _meta(resource).get("versionId")
    tag = _tag(_header(exchange, "etag") or "")
    said = given if isinstance(given, str) else (tag[1] if tag else None)
    if said is not None and said != version:
        where = "meta.versionId" if isinstance(given, str) else "its ETag"
        yield failed(f"a vread of {label} version {version} returned version {said} ({where})", exchange=exchange.id, pointer="/meta/versionId")
        return
    changed = [found.pointer for found in differences(_without_meta(current), _without_meta(resource)) if not found.spelling]
    if changed:
        yield failed(
            f"the vread of {label} version {version} differs from the read that gave that version at {', '.join(changed[:5])}",
            exchange=exchange.id,
            pointer=changed[0],
        )
    elif said is None:
        yield unjudged(f"{label} version {version} was read back, but the answer names no version (no meta.versionId, no ETag)", exchange=exchange.id)
    else:
        yield passed(f"{label} version {version} read back as the read gave it", exchange=exchange.id)


def _without_meta(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in resource.items() if key != "meta"}


@check(
    description='The ETag of a read carries its meta.versionId (W/"[versionId]") and its Last-Modified its meta.lastUpdated, to the second.',
    requirements=("FHIR-VERSION-HEADERS",),
)
def version_headers_agree(interaction: Interaction) -> Iterator[Finding]:
    exchange = interaction.first
    resource = _resource(exchange)
    if resource is None:
        yield failed(f"not a 200 answer with a FHIR resource (status {exchange.status}): nothing to hold the headers against", exchange=exchange.id)
        return
    meta = _meta(resource)
    etag, modified = _header(exchange, "etag"), _header(exchange, "last-modified")
    judged: list[str] = []
    if etag is not None and isinstance(meta.get("versionId"), str):
        tag = _tag(etag)
        if tag is None:
            yield failed(f"ETag {etag!r} is not an HTTP entity-tag (a quoted value, W/ for a weak one)", exchange=exchange.id)
        elif tag[1] != meta["versionId"]:
            yield failed(f"ETag {etag} names version {tag[1]}, but meta.versionId is {meta['versionId']}", exchange=exchange.id, pointer="/meta/versionId")
        else:
            judged.append(f"ETag {etag} is meta.versionId {meta['versionId']}" + ("" if tag[0] else " (a strong tag; STU3 shows W/)"))
    if modified is not None and isinstance(meta.get("lastUpdated"), str):
        yield from _last_modified(exchange, modified, meta["lastUpdated"], judged)
    if judged:
        yield passed("; ".join(judged), exchange=exchange.id)


def _last_modified(exchange: Exchange, modified: str, updated: str, judged: list[str]) -> Iterator[Finding]:
    try:
        sent = parsedate_to_datetime(modified)
    except (TypeError, ValueError):
        sent = None
    if sent is None or sent.tzinfo is None:
        yield failed(f"Last-Modified {modified!r} is not an HTTP-date", exchange=exchange.id)
        return
    try:
        held = datetime.fromisoformat(updated.replace("Z", "+00:00"))
    except ValueError:
        yield unjudged(f"meta.lastUpdated {updated!r} is not an instant: Last-Modified {modified} not judged", exchange=exchange.id)
        return
    if held.tzinfo is None:
        yield unjudged(f"meta.lastUpdated {updated} has no time zone: Last-Modified {modified} not judged", exchange=exchange.id)
        return
    second = held.astimezone(UTC).replace(microsecond=0)
    if abs(sent.astimezone(UTC) - second) >= timedelta(seconds=1):
        yield failed(f"Last-Modified {modified} is not meta.lastUpdated {updated}", exchange=exchange.id, pointer="/meta/lastUpdated")
    else:
        judged.append(f"Last-Modified {modified} is meta.lastUpdated {updated} to the second")


@check(
    description="HEAD is answered as GET is (status, Content-Type, ETag, Last-Modified) and without a body.",
    requirements=("FHIR-HEAD",),
)
def head_like_get(interaction: Interaction, *, get: Interaction) -> Iterator[Finding]:
    head, plain = interaction.first, get.first
    if head.response is None or plain.response is None:
        missing = head if head.response is None else plain
        yield failed(f"no response: {missing.error}", exchange=missing.id)
        return
    if head.status in _UNSUPPORTED:
        yield warned(f"HEAD is not supported: answered {head.status}", exchange=head.id)
        return
    if head.status != plain.status:
        yield failed(f"HEAD answered {head.status} where GET answered {plain.status}; HEAD must answer as GET would", exchange=head.id)
        return
    problems = 0
    if head.response.body:
        problems += 1
        yield failed(f"HEAD was answered with a body ({len(head.response.body)} bytes); HEAD answers carry none", exchange=head.id)
    for name in ("content-type", "etag", "last-modified"):
        expected, got = _header(plain, name), _header(head, name)
        if name == "content-type":
            expected, got = (value.split(";")[0].strip().lower() if value else value for value in (expected, got))
        if expected is not None and got != expected:
            problems += 1
            yield failed(f"HEAD's {name} is {got or '(absent)'}, GET's is {expected}", exchange=head.id)
    if not problems:
        yield passed(f"HEAD is supported: {head.status}, the GET's Content-Type, ETag and Last-Modified, and no body", exchange=head.id)
