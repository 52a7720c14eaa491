"""Judging a write the read-only API must refuse, and reporting what carecheck did when a server performed one.

carecheck's write probes (`carecheck.probe.writes`) never touch a record the server had: a PUT, PATCH or DELETE
goes to an id of carecheck's own that was read first and does not exist, a POST creates a record carrying
carecheck's mark, and whenever the server may have performed the write, carecheck re-reads what it touched and
deletes what it created. Those requests are recorded with a `clean-up:` note, and the checks here report each
record the server kept (deleted again, or left behind) beside the verdict, in findings whose message opens
with `clean-up:`.

STU3 leaves more than one answer to a write of an id that does not exist: "Upon successful deletion, or if the
resource does not exist at all, the server should return either a 200 OK ... or a 204 No Content" (http.html,
delete), and "The choice of whether to return 403 or 404 depends upon the specific situation and specific local
policies" (http.html, security). A 404 or 410 to carecheck's PUT, PATCH or DELETE is therefore a warning, never a
failure: it shows that nothing was written, not that the method is refused. A 412 to its `If-Match` is a failure:
a server refusing the method must ignore preconditions (RFC 7232 §5), so it answered as a server that writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from carecheck.checks.errors import said
from carecheck.checks.finding import Finding, failed, passed, warned
from carecheck.checks.registry import check
from carecheck.http import Exchange, Interaction

__all__ = ["CLEANUP_NOTE", "judge_write", "write_method_refused"]

CLEANUP_NOTE = "clean-up:"
"""Opens the note of every request carecheck sends to confirm or undo a write, and every finding about one."""

_GONE = (404, 410)
_TO_AN_ID = frozenset({"PUT", "PATCH", "DELETE"})


@dataclass
class _Record:
    """One record carecheck's clean-up looked at (`Type/id`), and what it sent about it, in order."""

    name: str
    requests: list[Exchange] = field(default_factory=list)

    @property
    def deletes(self) -> list[Exchange]:
        return [e for e in self.requests if e.request.method == "DELETE"]

    @property
    def last_read(self) -> Exchange | None:
        return next((e for e in reversed(self.requests) if e.request.method == "GET"), None)

    @property
    def found(self) -> bool:
        """Whether the server held it at some point after the write: carecheck's write was performed."""
        return any(e.request.method == "GET" and e.status is not None and 200 <= e.status < 300 for e in self.requests)

    @property
    def gone(self) -> bool:
        """Whether the last word on it is a re-read that found nothing, after any DELETE carecheck sent."""
        last, deletes = self.last_read, self.deletes
        if last is None or last.status not in _GONE:
            return False
        return not deletes or self.requests.index(last) > self.requests.index(deletes[-1])


def _answer(exchange: Exchange | None) -> str:
    if exchange is None:
        return "never sent"
    return str(exchange.status) if exchange.status is not None else f"no answer ({exchange.error})"


def _record_name(url: str) -> str | None:
    """`Type/id` for a request to one record; None for a search."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.query or len(segments) < 2 or not segments[-2][:1].isupper():
        return None
    return f"{segments[-2]}/{segments[-1]}"


def _records(cleanup: Interaction | None) -> list[_Record]:
    records: dict[str, _Record] = {}
    for exchange in cleanup.exchanges if cleanup is not None else ():
        name = _record_name(exchange.request.url)
        if name is not None:
            records.setdefault(name, _Record(name)).requests.append(exchange)
    return list(records.values())


def _mark(write: Exchange) -> str:
    """carecheck's mark on the body it sent (`system|code` of its meta.tag), for messages."""
    try:
        body = json.loads(write.request.body)
        tag = body["meta"]["tag"][0]
        return f"{tag['system']}|{tag['code']}"
    except (ValueError, KeyError, IndexError, TypeError):
        return "carecheck's write-probe tag"


def _cleanup_findings(write: Exchange, records: list[_Record]) -> Iterator[Finding]:
    method = write.request.method
    for record in records:
        last, deletes = record.last_read, record.deletes
        if deletes:
            answers = f"DELETE answered {_answer(deletes[-1])}; a re-read answered {_answer(last)}"
            if record.gone:
                yield passed(f"{CLEANUP_NOTE} carecheck deleted {record.name}, which its {method} wrote ({answers})", exchange=deletes[-1].id)
            else:
                yield failed(
                    f"{CLEANUP_NOTE} FAILED: {record.name}, written by carecheck's {method}, is still on the server ({answers}): delete it by hand",
                    exchange=deletes[-1].id,
                )
        elif record.gone:
            continue
        elif record.found:  # carecheck deletes its own id and whatever carries its mark: this was neither
            yield failed(
                f"{CLEANUP_NOTE} FAILED: {record.name} answers after carecheck's {method} but carries no mark of carecheck's, "
                "so carecheck left it alone: check it by hand",
                exchange=last.id if last else None,
            )
        else:
            yield failed(
                f"{CLEANUP_NOTE} FAILED: could not confirm that {record.name} is not on the server: a re-read answered {_answer(last)}",
                exchange=last.id if last else None,
            )
    if method == "POST" and write.status is not None and 200 <= write.status < 300 and not any(r.found for r in records):
        resource_type = urlsplit(write.request.url).path.rstrip("/").rsplit("/", 1)[-1]
        yield failed(
            f"{CLEANUP_NOTE} FAILED: the server answered {write.status} to carecheck's POST, but carecheck found no record to delete "
            f"(no Location, no id in the answer, none carrying its mark): look for a {resource_type} tagged {_mark(write)} and delete it by hand",
            exchange=write.id,
        )


def _aftermath(records: list[_Record]) -> str:
    """What the clean-up found, in a clause for the write's own message."""
    deleted = [r.name for r in records if r.deletes and r.gone]
    stayed = [r.name for r in records if r.found and not (r.deletes and r.gone)]
    untouched = [r for r in records if not r.found and r.gone]
    parts = []
    if deleted:
        parts.append(f"carecheck deleted what it wrote: {', '.join(deleted)}")
    if stayed:
        parts.append(f"CLEAN-UP FAILED for {', '.join(stayed)} (see below)")
    if untouched and not deleted and not stayed:
        parts.append(f"a re-read of {untouched[0].name} answered {_answer(untouched[0].last_read)}: nothing was written")
    return f"; {'; '.join(parts)}" if parts else ""


def judge_write(
    interaction: Interaction,
    cleanup: Interaction | None,
    *,
    expected: Sequence[int],
    wanted: str,
    refusal_problem: Callable[[Exchange], str | None] | None = None,
) -> Iterator[Finding]:
    """The write (`interaction.first`) must be refused with one of `expected` (`wanted` says so in words); then
    one finding per record the clean-up found on the server. `refusal_problem` judges an expected refusal further."""
    write = interaction.first
    method, status = write.request.method, write.status
    records = _records(cleanup)
    aftermath = _aftermath(records)
    performed = any(r.found for r in records)
    if status is None:
        yield failed(f"no response ({write.error}); expected {wanted}{aftermath}", exchange=write.id)
    elif performed or 200 <= status < 300:
        yield failed(f"the server performed the {method} ({status}), which must be refused with {wanted}{aftermath}", exchange=write.id)
    elif status in expected:
        problem = refusal_problem(write) if refusal_problem else None
        yield failed(problem, exchange=write.id) if problem else passed(f"{method} refused with {status}{aftermath}", exchange=write.id)
    elif status == 412 and method in ("PUT", "PATCH"):
        yield failed(
            f"answered 412 Precondition Failed to carecheck's If-Match: a server that refuses {method} must ignore preconditions "
            f"(RFC 7232 §5), so this one performs a {method} that meets them; it must be refused with {wanted}{aftermath}",
            exchange=write.id,
        )
    elif status in _GONE and method in _TO_AN_ID:
        name = _record_name(write.request.url) or "the record"
        yield warned(
            f"answered {status} to a {method} of {name}, an id that does not exist: STU3 allows that answer, so this shows that "
            f"nothing was written, not that {method} is refused ({wanted} would show it){aftermath}",
            exchange=write.id,
        )
    elif status >= 500:
        yield failed(f"a server error ({status}) for a write; expected {wanted}{said(write)}{aftermath}", exchange=write.id)
    else:
        yield failed(f"expected {wanted}, got {status}{said(write)}{aftermath}", exchange=write.id)
    yield from _cleanup_findings(write, records)


@check(
    description="A write (create, update, patch, delete) on the read-only API is refused with a status expectations.write_method_status "
    "allows, never performed; a server that performs one fails, with carecheck's clean-up of what it wrote.",
    requirements=("CC-ERR-READ-ONLY",),
)
def write_method_refused(interaction: Interaction, *, expected: Sequence[int], setting: str = "", cleanup: Interaction | None = None) -> Iterator[Finding]:
    wanted = " or ".join(str(status) for status in expected) + (f" ({setting})" if setting else "")
    yield from judge_write(interaction, cleanup, expected=expected, wanted=wanted)
