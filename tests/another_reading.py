"""A second Care Connect server: the reference server wrapped so that it takes other readings the specification allows.

Where STU3 or the guide leaves a choice, the reference server takes one reading; this wrapper takes another,
so that a run against it shows whether carecheck accepts every conformant reading (issue 13). It:

- spells JSON instants another way: in UTC to the microsecond (`meta.lastUpdated` `…T00:00:00+00:00` is sent
  as `…T00:00:00.000000+00:00`, `…30.724Z` as `…30.724000+00:00`: the same instants), and any other `…Z` as `…+00:00`;
- ignores a search parameter sent with no value (`family=`), as HAPI and the CCRI do;
- refuses a Patient search by one parameter other than identifier (400, OperationOutcome `required`), enforcing
  the IG's rule for clients ("Client systems SHALL provide at least two parameters of differing types");
- refuses the date prefixes `sa`, `eb` and `ap`, the `:contains` modifier and `_include=*` / `_revinclude=*`
  with 400 and an OperationOutcome saying they are not supported (STU3's own example of refusing a
  modifier it does not support is OperationOutcome/searchfail);
- ignores the `:exact` modifier it does not support (the parameter is left out, and so is missing from the
  searchset's self link, which holds "the parameters that were actually used", as STU3 lets a server do);
- declares fewer optional features: no `*` includes, no `MedicationStatement:medication` include, and not
  the optional parameters in `UNDECLARED` (which it then ignores, as servers do with unknown parameters);
- carries an element STU3 does not define (R4's `meta.source`) in its XML answers;
- declares `fhir_version` in its CapabilityStatement (3.0.1 unless told otherwise).

Only a test double: it wraps any ASGI app (the reference app, security on) and rewrites requests and answers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carecheck.refserver.formats import Format
from carecheck.refserver.outcome import operation_outcome
from tests.faults import _body, _send_whole

__all__ = ["REFUSED_PREFIXES", "UNDECLARED", "AnotherReading"]

REFUSED_PREFIXES = ("sa", "eb", "ap")
"""Date prefixes this server does not support: a search with one is refused (400, OperationOutcome not-supported)."""
UNDECLARED: Mapping[str, frozenset[str]] = {
    "Patient": frozenset({"email", "phone"}),
    "Condition": frozenset({"asserted-date"}),
    "AllergyIntolerance": frozenset({"clinical-status"}),
}
"""Optional (MAY) search parameters this server neither declares nor supports: it ignores them."""
UNDECLARED_INCLUDES: Mapping[str, frozenset[str]] = {"MedicationStatement": frozenset({"MedicationStatement:medication"})}
"""Includes this server neither declares nor honours (it leaves them out of its answers)."""
EXTRA_XML = '<source value="urn:carecheck:another-reading"/>'
"""R4's `Meta.source`, which STU3 does not define, added after `meta.lastUpdated` in every XML answer."""

_BASE = "/STU3/"
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$")
_INSTANTS = frozenset({"lastUpdated", "issued"})
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_REFUSED_PREFIX = re.compile(rf"^({'|'.join(REFUSED_PREFIXES)})\d{{4}}(-\d{{2}}(-\d{{2}}(T[0-9:.]+(Z|[+-][0-9:]+)?)?)?)?$")
_LAST_UPDATED = re.compile(r'(<lastUpdated value="[^"]*"/>)')

Query = list[tuple[str, str]]


class _Refusal(Exception):
    def __init__(self, diagnostics: str, code: str = "not-supported") -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics
        self.code = code


@dataclass
class AnotherReading:
    app: ASGIApp
    fhir_version: str = "3.0.1"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(_BASE):
            await self.app(scope, receive, send)
            return
        resource_type = scope["path"].removeprefix(_BASE).split("/")[0]
        search_by_post = scope["method"] == "POST" and scope["path"].endswith("/_search")
        try:
            query = self._query(resource_type, parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
            if search_by_post:
                body = self._query(resource_type, parse_qsl((await _body(receive)).decode("latin-1"), keep_blank_values=True))
                receive = _replay(urlencode(body).encode())
        except _Refusal as refusal:
            await _refuse(scope, send, refusal)
            return
        scope = {**scope, "query_string": urlencode(query).encode("latin-1")}
        await self.app(scope, receive, self._rewriting(send, metadata=resource_type == "metadata"))

    def _query(self, resource_type: str, pairs: Query) -> Query:
        """The query the reference server sees: empty and undeclared parameters dropped; unsupported forms refused."""
        criteria = {key.split(":")[0].split(".")[0] for key, value in pairs if not key.startswith("_") and value != ""}
        if resource_type == "Patient" and len(criteria) == 1 and criteria != {"identifier"}:
            raise _Refusal("Patient searches need at least two parameters of differing types unless searching by identifier", code="required")
        kept: Query = []
        for key, value in pairs:
            name, _, modifier = key.partition(":")
            if key in ("_include", "_revinclude") and value == "*":
                raise _Refusal(f"{key}=* is not supported by this server; name the includes it declares")
            if key == "_include" and value in UNDECLARED_INCLUDES.get(resource_type, ()):
                continue
            if modifier == "exact":
                continue
            if modifier == "contains":
                raise _Refusal(f'The "{name}" parameter has the modifier "contains" which is not supported by this server')
            if _REFUSED_PREFIX.match(value):
                raise _Refusal(f'The prefix "{value[:2]}" of parameter "{key}" is not supported by this server')
            if value == "" or name.split(".")[0] in UNDECLARED.get(resource_type, ()):
                continue
            kept.append((key, value))
        return kept

    def _rewriting(self, send: Send, *, metadata: bool) -> Send:
        started: Message = {}
        buffered = bytearray()

        async def rewriting_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = message
                return
            buffered.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            await _send_whole(send, started, self._answer(bytes(buffered), metadata=metadata))

        return rewriting_send

    def _answer(self, body: bytes, *, metadata: bool) -> bytes:
        if body.lstrip().startswith(b"<"):
            return _LAST_UPDATED.sub(lambda match: match.group(1) + EXTRA_XML, body.decode()).encode()
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if metadata and isinstance(data, dict) and data.get("resourceType") == "CapabilityStatement":
            data = self._statement(data)
        return json.dumps(_respelled(data), ensure_ascii=False).encode()

    def _statement(self, statement: dict[str, Any]) -> dict[str, Any]:
        """The reference statement, with another FHIR version and fewer optional features."""
        statement["fhirVersion"] = self.fhir_version
        for rest in statement.get("rest", []):
            for resource in rest.get("resource", []):
                hidden = UNDECLARED.get(resource["type"], frozenset())
                resource["searchParam"] = [p for p in resource.get("searchParam", []) if p["name"] not in hidden]
                for key in ("searchInclude", "searchRevInclude"):
                    kept = [i for i in resource.get(key, []) if i != "*" and i not in UNDECLARED_INCLUDES.get(resource["type"], ())]
                    if kept:
                        resource[key] = kept
                    else:
                        resource.pop(key, None)
        return statement


def _respelled(value: Any, key: str = "") -> Any:
    """Instants (`lastUpdated`, `issued`) in UTC to the microsecond (`…30.724000+00:00`); any other `…Z` as `…+00:00`."""
    if isinstance(value, dict):
        return {name: _respelled(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_respelled(item, key) for item in value]
    if isinstance(value, str) and key in _INSTANTS and _INSTANT.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, str) and (match := _DATE_TIME.match(value)):
        fraction = f".{match.group(2).ljust(6, '0')}" if match.group(2) else ""
        return f"{match.group(1)}{fraction}+00:00"
    return value


async def _refuse(scope: Scope, send: Send, refusal: _Refusal) -> None:
    """400 with an OperationOutcome, in XML when the request asked for XML."""
    asked = dict(scope.get("headers", [])).get(b"accept", b"").decode() + scope["query_string"].decode("latin-1")
    fmt = Format.XML if "xml" in asked.lower() else Format.JSON
    body = fmt.render(operation_outcome("error", refusal.code, refusal.diagnostics))  # type: ignore[arg-type]
    start = {"type": "http.response.start", "status": 400, "headers": [(b"content-type", f"{fmt.value}; charset=utf-8".encode())]}
    await _send_whole(send, start, body)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
