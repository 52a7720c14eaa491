"""Checks on the server's security: bad tokens refused, scopes and patient context enforced, TLS versions and suites, HSTS.

Token and scope checks judge every exchange of an interaction (one per resource type the scenario
tried). TLS checks judge probe exchanges (see `carecheck.http.handshake`): a refused handshake is an
exchange without a response whose `error` says so; a completed one carries the answer to `metadata`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.checks.writes import judge_write
from carecheck.fhir import BodyError, parse_resource, patient_of
from carecheck.http import CERTIFICATE_REFUSED, HANDSHAKE_REFUSED, NOT_OFFERED, TLS_NOTE, Exchange, Interaction

__all__ = [
    "certificate_verified",
    "hsts_header",
    "patient_context_respected",
    "plain_http_refused",
    "scope_refused",
    "scope_respected",
    "tls_accepted",
    "tls_refused",
    "token_accepted",
    "token_refused",
    "write_refused",
]

_AUTHORIZATION = ("CC-SEC-AUTHORIZATION",)
_SCOPES = ("CC-SEC-SCOPES",)
_TLS = ("CC-SEC-TLS",)


def _forged(exchange: Exchange) -> str:
    """What the request carried, from its `forged:` note (empty when it carried a real token)."""
    note = next((n for n in exchange.notes if n.startswith("forged:")), "")
    return f" ({note.removeprefix('forged: ')})" if note else ""


def _outcome_problem(exchange: Exchange) -> str | None:
    """Why the body is not an OperationOutcome with an error issue (None when it is one)."""
    try:
        body = parse_resource(exchange)
    except BodyError as error:
        return f"the refusal carries no OperationOutcome: {error}"
    if body.get("resourceType") != "OperationOutcome":
        return f"the refusal carries a {body.get('resourceType')}, not an OperationOutcome"
    issue_list = body.get("issue")
    issues = issue_list if isinstance(issue_list, list) else []
    if not any(isinstance(issue, dict) and issue.get("severity") in ("error", "fatal") for issue in issues):
        return "the refusal's OperationOutcome has no issue of severity error or fatal"
    return None


def _challenge_problem(exchange: Exchange) -> str | None:
    assert exchange.response is not None
    challenge = exchange.response.header("www-authenticate")
    if challenge is None:
        return "a 401 must carry a WWW-Authenticate challenge (RFC 7235 §3.1), and none came"
    if challenge.strip().split(" ", 1)[0].lower() != "bearer":
        return f"the WWW-Authenticate challenge is not for the Bearer scheme (RFC 6750 §3): {challenge[:80]}"
    return None


def _searched(exchange: Exchange) -> str:
    """The resource type a request searched (the last segment of its path)."""
    return exchange.request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _types(exchanges: Sequence[Exchange], of: int) -> str:
    """`3 of 14 resource types (Patient, Condition, Procedure)`, naming at most five."""
    names = [_searched(exchange) for exchange in exchanges]
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return f"{len(names)} of {of} resource type{'s' if of != 1 else ''} ({', '.join(names[:5])}{more})"


def _without_token(exchange: Exchange) -> bool:
    return not any(name.lower() == "authorization" for name, _ in exchange.request.headers)


def _served(served: Sequence[Exchange], of: int) -> str:
    """One message for every request served although it should not have been: one problem, one finding."""
    statuses = " or ".join(sorted({str(exchange.status) for exchange in served}))
    which = f"{_types(served, of)} answered {statuses}" if of > 1 else f"it answered {statuses}"
    if all(_without_token(exchange) for exchange in served):
        return f"the server serves records without any access token: {which} to a request with no Authorization header"
    return f"served {_types(served, of) + ' ' if of > 1 else ''}with {statuses} although the token was bad{_forged(served[0])}"


@check(
    description=(
        "A request with a missing or bad token is refused with the expected status, an OperationOutcome and, for 401, a Bearer challenge; never "
        "served, never a server error. Requests served although they should not be are one finding."
    ),
    requirements=_AUTHORIZATION,
)
def token_refused(interaction: Interaction, *, statuses: Sequence[int] = (401,)) -> Iterator[Finding]:
    wanted = " or ".join(str(status) for status in statuses)
    served = [exchange for exchange in interaction.exchanges if exchange.status is not None and 200 <= exchange.status < 300]
    if served:
        yield failed(_served(served, len(interaction.exchanges)), exchange=served[0].id)
    for exchange in interaction.exchanges:
        response = exchange.response
        if exchange in served:
            continue
        if response is None:
            yield failed(f"no answer{_forged(exchange)}: {exchange.error}; expected a {wanted} refusal", exchange=exchange.id)
        elif response.status >= 500:
            yield failed(f"a server error {response.status} instead of a {wanted} refusal{_forged(exchange)}", exchange=exchange.id)
        elif response.status not in statuses:
            yield failed(f"expected a {wanted} refusal, got {response.status}{_forged(exchange)}", exchange=exchange.id)
        elif problem := _outcome_problem(exchange) or (_challenge_problem(exchange) if response.status == 401 else None):
            yield failed(f"{problem}{_forged(exchange)}", exchange=exchange.id)
        else:
            yield passed(f"refused with {response.status}{_forged(exchange)}", exchange=exchange.id)


@check(description="A request with a good token is served (2xx); requests refused alike are one finding.", requirements=_AUTHORIZATION)
def token_accepted(interaction: Interaction) -> Iterator[Finding]:
    refused: dict[str, list[Exchange]] = {}
    for exchange in interaction.exchanges:
        status = exchange.status
        if status is not None and 200 <= status < 300:
            yield passed(f"served with {status}{_forged(exchange)}", exchange=exchange.id)
        else:
            refused.setdefault(str(status) if status is not None else f"no answer ({exchange.error})", []).append(exchange)
    for got, exchanges in refused.items():
        which = f" for {_types(exchanges, len(interaction.exchanges))}" if len(interaction.exchanges) > 1 else ""
        yield failed(f"expected the request to be served (2xx), got {got}{which}{_forged(exchanges[0])}", exchange=exchanges[0].id)


@check(
    description="A valid token whose scopes do not cover the request is refused with 403 and an OperationOutcome.",
    requirements=_SCOPES,
)
def scope_refused(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        status = exchange.status
        if status == 403:
            problem = _outcome_problem(exchange)
            yield failed(problem, exchange=exchange.id) if problem else passed("refused with 403", exchange=exchange.id)
        elif status is not None and 200 <= status < 300:
            yield failed(f"served with {status} although the token's scopes do not cover it", exchange=exchange.id)
        elif status == 401:
            yield failed("401 says the token is not valid; a valid token without the scope is refused with 403 (RFC 6750 §3.1)", exchange=exchange.id)
        else:
            yield failed(f"expected a 403 refusal, got {status if status is not None else f'no answer ({exchange.error})'}", exchange=exchange.id)


def _resources(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if body.get("resourceType") != "Bundle":
        yield body
        return
    for entry in body.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            yield resource


@check(
    description="What a token's scopes do not cover is refused (403) or left out: an answer holds only resources of the allowed types.",
    requirements=_SCOPES,
)
def scope_respected(interaction: Interaction, *, allowed: Sequence[str]) -> Iterator[Finding]:
    for exchange, resources, settled in _answers(interaction, refusals=(403,), expected="403 or an answer within the token's scopes"):
        if settled is not None:
            yield settled
            continue
        outside = [f"{r.get('resourceType')}/{r.get('id')}" for r in resources if r.get("resourceType") not in (*allowed, "OperationOutcome")]
        if outside:
            more = f" and {len(outside) - 3} more" if len(outside) > 3 else ""
            yield failed(f"returned {', '.join(outside[:3])}{more}, outside the token's scopes ({', '.join(allowed)})", exchange=exchange.id)
        else:
            yield passed(f"answered {exchange.status} with only {', '.join(allowed)} resources", exchange=exchange.id)


def _answers(interaction: Interaction, *, refusals: tuple[int, ...], expected: str) -> Iterator[tuple[Exchange, list[dict[str, Any]], Finding | None]]:
    """Each answer as (exchange, the resources it served, None), or with the finding that settles it already:
    a refusal passes, no answer / 401 / 5xx fails, another non-2xx is not served, a body that is not FHIR fails."""
    for exchange in interaction.exchanges:
        status = exchange.status
        if status in refusals:
            yield exchange, [], passed(f"refused with {status}", exchange=exchange.id)
        elif status is None or status >= 500 or status == 401:
            yield exchange, [], failed(f"expected {expected}, got {status or f'no answer ({exchange.error})'}", exchange=exchange.id)
        elif status >= 300:
            yield exchange, [], passed(f"not served ({status})", exchange=exchange.id)
        else:
            try:
                yield exchange, list(_resources(parse_resource(exchange))), None
            except BodyError as error:
                yield exchange, [], failed(f"the answer is not a FHIR resource: {error}", exchange=exchange.id)


@check(
    description="A token bound to one patient (SMART patient context) gets no other patient's records: they are refused (403 or 404) or left out of the answer.",
    requirements=_SCOPES,
)
def patient_context_respected(interaction: Interaction, *, patient: str) -> Iterator[Finding]:
    expected = f"a 403 or 404 refusal, or an answer with no records but Patient/{patient}'s"
    for exchange, resources, settled in _answers(interaction, refusals=(403, 404), expected=expected):
        if settled is not None:
            yield settled
            continue
        owners = [(f"{r.get('resourceType')}/{r.get('id')}", patient_of(r)) for r in resources]
        others = [name if name.startswith("Patient/") else f"{name} of Patient/{owner}" for name, owner in owners if owner not in (None, patient)]
        if others:
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            yield failed(f"returned {', '.join(others[:3])}{more}: another patient's records, to a token bound to Patient/{patient}", exchange=exchange.id)
        else:
            own = sum(1 for _, owner in owners if owner == patient)
            yield passed(f"answered {exchange.status} with {own} record(s) of Patient/{patient} and none of another patient's", exchange=exchange.id)


@check(
    description="A write (POST, PUT, DELETE) with a read-only token is refused with 403 or 405 and an OperationOutcome; nothing is "
    "written, and what a server that performs it wrote is cleaned up and reported.",
    requirements=_SCOPES,
)
def write_refused(interaction: Interaction, cleanup: Interaction | None = None) -> Iterator[Finding]:
    yield from judge_write(interaction, cleanup, expected=(403, 405), wanted="403 or 405", refusal_problem=_outcome_problem)


def _tls_notes(exchange: Exchange) -> str:
    return "; ".join(note.removeprefix(TLS_NOTE).strip() for note in exchange.notes if note.startswith(TLS_NOTE))


def _handshake_completed(exchange: Exchange) -> bool:
    return exchange.response is not None or any(note.startswith(f"{TLS_NOTE} negotiated") for note in exchange.notes)


@check(description="A TLS handshake offering only what must not be used (TLS 1.0/1.1, weak cipher suites) is refused.", requirements=_TLS)
def tls_refused(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        error = exchange.error or ""
        if _handshake_completed(exchange):
            yield failed(f"the server completed the handshake: {_tls_notes(exchange)}", exchange=exchange.id)
        elif error.startswith(HANDSHAKE_REFUSED):
            yield passed(f"{_tls_notes(exchange)}: {error}", exchange=exchange.id)
        elif error.startswith(NOT_OFFERED):
            yield warned(f"not tested: {error}", exchange=exchange.id)
        else:
            yield failed(f"{_tls_notes(exchange)}: no handshake was attempted: {error}", exchange=exchange.id)


@check(description="A TLS 1.2 or higher handshake with the client's default suites completes.", requirements=_TLS)
def tls_accepted(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        if _handshake_completed(exchange):
            yield passed(_tls_notes(exchange), exchange=exchange.id)
        else:
            yield failed(f"{_tls_notes(exchange)}: the handshake did not complete: {exchange.error}", exchange=exchange.id)


@check(description="The server's certificate verifies against the trust store (chain, validity, host name).", requirements=_TLS)
def certificate_verified(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        error = exchange.error or ""
        if _handshake_completed(exchange):
            yield passed(_tls_notes(exchange), exchange=exchange.id)
        elif error.startswith(CERTIFICATE_REFUSED):
            yield failed(f"{error} (a private CA can be trusted with --ca-bundle)", exchange=exchange.id)
        else:
            yield failed(f"the handshake did not complete: {error}", exchange=exchange.id)


@check(description="A plain-HTTP request is refused or redirected to https, never served.", requirements=_TLS)
def plain_http_refused(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        response = exchange.response
        if response is None:
            yield passed(f"no plain-HTTP answer: {exchange.error}", exchange=exchange.id)
        elif 300 <= response.status < 400:
            location = response.header("location") or ""
            if location.startswith("https://"):
                yield passed(f"redirected to {location}", exchange=exchange.id)
            else:
                yield failed(f"redirected to {location or 'nowhere'}, not to an https URL", exchange=exchange.id)
        elif 200 <= response.status < 300:
            yield failed(f"served over plain HTTP ({response.status}): everything must travel over TLS", exchange=exchange.id)
        else:
            yield passed(f"refused over plain HTTP ({response.status})", exchange=exchange.id)


@check(description="Answers over HTTPS carry Strict-Transport-Security with a positive max-age.", requirements=("CC-SEC-HSTS",))
def hsts_header(interaction: Interaction) -> Iterator[Finding]:
    for exchange in interaction.exchanges:
        if exchange.response is None:
            yield failed(f"no answer: {exchange.error}", exchange=exchange.id)
            continue
        value = exchange.response.header("strict-transport-security")
        directives = {part.strip().split("=", 1)[0].lower(): part.strip().partition("=")[2].strip('"') for part in (value or "").split(";")}
        age = directives.get("max-age", "")
        if value is None:
            yield warned("no Strict-Transport-Security header: clients are not told to use HTTPS only (RFC 6797)", exchange=exchange.id)
        elif not age.isdigit() or int(age) <= 0:
            yield warned(f"Strict-Transport-Security has no positive max-age: {value}", exchange=exchange.id)
        else:
            yield passed(f"Strict-Transport-Security: {value}", exchange=exchange.id)
