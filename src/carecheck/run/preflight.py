"""Before a run: can the target be reached, is it a FHIR server at that base URL (its `/metadata` a
CapabilityStatement), and of which FHIR version? If not, one clear line — and a base URL that is not FHIR is said to
be so before anything about tokens. (Whether the profile's credentials get a token, and whether the target holds the
test data the profile pins, the run's owner finds out as it obtains them: `carecheck.run.owner`.)

`/metadata` is read by a FhirClient like every exchange, so a hostile answer (a trickle, a decompression
bomb, a document nesting 200,000 levels) is bounded here too; the exchange is the run's one read of the
CapabilityStatement (recorded under `_run/capability`), unless the server answers it only to a token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from xml.etree import ElementTree

from carecheck.capability import Capabilities
from carecheck.config import Target
from carecheck.errors import TargetUnreachable, WrongServer
from carecheck.http import FHIR_JSON, FHIR_XML, Exchange, FhirClient, Redactor
from carecheck.http.untrusted import UnreadableBody, parse_json

__all__ = ["REACHABILITY_TIMEOUT", "check_fhir_version", "check_reachable"]

REACHABILITY_TIMEOUT = 30.0
"""Seconds the first read of `/metadata` waits for its whole answer when the client settings name no timeout (a
profile's `timeout` applies: a server slow to build its statement on a cold start is slow, not unreachable)."""
_FHIR_NAMESPACE = "{http://hl7.org/fhir}"
_CA_HINT = " (to trust a private CA, give its certificate with --ca-bundle FILE or the profile's ca_bundle)"
_STATEMENTS = frozenset({"CapabilityStatement", "Conformance"})
"""`Conformance` is the DSTU2 name: such a server is FHIR, and the version check says it is not STU3."""


def _resource_type(body: bytes) -> str | None:
    """The resourceType of a JSON or XML FHIR body (None when it is neither)."""
    text = body.lstrip()
    if text.startswith(b"{"):
        try:
            data = parse_json(text)
        except UnreadableBody:
            return None
        kind = data.get("resourceType") if isinstance(data, dict) else None
        return kind if isinstance(kind, str) else None
    if text.startswith(b"<") and b"<!DOCTYPE" not in text and b"<!ENTITY" not in text:  # never expand entities
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError:
            return None
        return root.tag.removeprefix(_FHIR_NAMESPACE) if root.tag.startswith(_FHIR_NAMESPACE) else None
    return None


def _statement(body: bytes) -> dict[str, Any]:
    """The CapabilityStatement as JSON data, for the version check (XML: just its fhirVersion)."""
    text = body.lstrip()
    if text.startswith(b"{"):
        data: dict[str, Any] = parse_json(text)
        return data
    root = ElementTree.fromstring(text)
    version = root.find(f"{_FHIR_NAMESPACE}fhirVersion")
    return {"resourceType": root.tag.removeprefix(_FHIR_NAMESPACE), **({"fhirVersion": version.get("value")} if version is not None else {})}


def check_reachable(
    base_url: str,
    *,
    settings: Mapping[str, Any] | None = None,
    record: Callable[[Exchange], object] | None = None,
    redactor: Redactor | None = None,
) -> tuple[Exchange, dict[str, Any]]:
    """`GET [base]/metadata` with no token (the profile's client `settings`, within the profile's `timeout`, never
    retried), recorded through `record`: the exchange, and the statement as data for the version check.
    TargetUnreachable unless it answers over a verified connection; WrongServer when the answer is not a FHIR
    CapabilityStatement (status, media type and the question whether this is the FHIR base URL). A FHIR
    OperationOutcome (a server that wants a token even for /metadata) lets the run go on: the statement is `{}`,
    and the CapabilityStatement scenarios judge it."""
    chosen = {"timeout": REACHABILITY_TIMEOUT, **(settings or {}), "retries": 0}
    json_first = chosen.get("accept") != FHIR_XML
    chosen["accept"] = f"{FHIR_JSON}, {FHIR_XML};q=0.9" if json_first else f"{FHIR_XML}, {FHIR_JSON};q=0.9"
    url = f"{base_url.rstrip('/')}/metadata"
    with FhirClient(base_url, record=record or _ignore, redactor=redactor, **chosen) as client:
        exchange = client.send("GET", "metadata")
    response = exchange.response
    if response is None:
        raise TargetUnreachable(f"{url}: {_unreachable(exchange.error, float(chosen['timeout']))}")
    body = b"" if exchange.error else response.body  # cut off, or nesting too deep: no statement carecheck reads
    kind = _resource_type(body)
    if kind == "OperationOutcome":
        return exchange, {}
    if kind not in _STATEMENTS or not 200 <= response.status < 300:
        media = response.header("content-type") or "no Content-Type"
        what = f"a FHIR {kind}" if kind else f"{len(response.body)} byte(s) that are not a FHIR resource"
        raise WrongServer(
            f"{url} answered {response.status} ({media}) with {what}, not a CapabilityStatement: is this the FHIR base URL? "
            "(a FHIR server publishes its CapabilityStatement at [base]/metadata; check base_url or --base-url)"
        )
    return exchange, _statement(body)


def _ignore(exchange: Exchange) -> None:
    return None


def _unreachable(error: str | None, timeout: float) -> str:
    """Why no answer came, from the exchange's error (`ConnectError: ...`, `ReadTimeout: ...`)."""
    kind, _, detail = (error or "no answer").partition(": ")
    if kind.endswith("Timeout"):
        return f"no answer within {timeout:g} s"
    reason = detail or kind
    return reason + _CA_HINT if "CERTIFICATE_VERIFY_FAILED" in reason else reason


def check_fhir_version(statement: dict[str, Any], target: Target) -> str | None:
    """None for an STU3 server (or no statement); else the banner line, or WrongServer when the profile says
    `other_fhir_version: stop`."""
    if not statement:
        return None
    capabilities = Capabilities(statement)
    if capabilities.declares_stu3():
        return None
    declared = f"declares FHIR {capabilities.fhir_version}" if capabilities.fhir_version else "declares no FHIR version"
    line = f"this server {declared}; Care Connect is STU3 (3.0.x)"
    if target.other_fhir_version == "stop":
        raise WrongServer(f"{line}, and the profile says other_fhir_version: stop (set it to continue to run the scenarios anyway)")
    return f"{line}: failures of the version and of the STU3 profiles follow from it"
