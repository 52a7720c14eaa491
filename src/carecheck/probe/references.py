"""Reading what judging needs: the resources a chained search's results refer to, each read once per run.

The oracle judges ``patient.identifier=…`` on the Patient each returned record points at, so that Patient
must be read: a server answering with other patients' records is caught only when their patients are read.
Each distinct reference is read once per run (per worker of a parallel run), through the scenario that first
needs it, so the read is recorded in that scenario's evidence; what the read gave (status, resource, evidence
file, or why it gave nothing) is handed to the check as an argument, so re-judging a pack uses the recorded
reads and never the network. A scenario reads at most ``MAX_READS`` references no earlier scenario read; a
result that needs one it did not read is not judged (the scenario is inconclusive, never passed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import httpx

from carecheck.checks.search import matches
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Exchange, FhirClient, Interaction
from carecheck.search import Search, SearchSyntaxError, chained_references, parse_search

__all__ = ["MAX_READS", "ReferenceReads", "ScenarioReferences"]

MAX_READS = 25
"""Referenced resources one scenario reads at most (a hostile answer cannot make a run read without end)."""

Read = dict[str, Any]
"""One read as checks take it: `reference`, `status`, `resource` (None unless it was read), `evidence`, `problem`."""


class ReferenceReads:
    """The run's reads of referenced resources, by `Type/id`, kept across scenarios."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._reads: dict[str, Read] = {}

    def needed(
        self,
        client: FhirClient,
        locate: Callable[[Exchange], str | None],
        resources: Iterable[Mapping[str, Any]],
        search: Search,
        known: Iterable[str] = (),
    ) -> list[Read]:
        """The reads judging ``search`` on ``resources`` needs (those in ``known`` aside), reading what the run
        has not read yet through ``client``."""
        have = set(known)
        wanted: dict[str, str | None] = {}
        for resource in resources:
            for reference in chained_references(resource, search):
                local = not reference.base or reference.base.rstrip("/") == self.base_url
                key = f"{reference.type}/{reference.id}" if local else reference.text
                if key not in have:
                    wanted.setdefault(key, None if local else reference.text)
        reads: list[Read] = []
        fresh = 0
        for key, elsewhere in wanted.items():
            if elsewhere is not None:
                reads.append(_unread(key, f"{elsewhere} is on another server; carecheck reads only the target's records"))
            elif key in self._reads:
                reads.append(self._reads[key])
            elif fresh >= MAX_READS:
                reads.append(_unread(key, f"not read: a scenario reads at most {MAX_READS} referenced records"))
            else:
                fresh += 1
                self._reads[key] = _read(client, locate, key)
                reads.append(self._reads[key])
        return reads


class ScenarioReferences:
    """The run's reads as one scenario uses them: its client and evidence, the results it judges."""

    def __init__(self, reads: ReferenceReads, client: FhirClient, locate: Callable[[Exchange], str | None]) -> None:
        self._reads = reads
        self._client = client
        self._locate = locate

    def for_results(self, interaction: Interaction, resource_type: str, related: Sequence[Mapping[str, Any]] = ()) -> list[Read]:
        """What judging the search's returned records needs, beyond `related` and what the Bundle carries."""
        return self._needed(interaction, resource_type, None, related)

    def for_record(self, interaction: Interaction, record: Mapping[str, Any], related: Sequence[Mapping[str, Any]] = ()) -> list[Read]:
        """What judging one known record against the interaction's search needs."""
        return self._needed(interaction, str(record.get("resourceType")), [record], related)

    def _needed(self, interaction: Interaction, resource_type: str, judged: list[Mapping[str, Any]] | None, related: Sequence[Mapping[str, Any]]) -> list[Read]:
        search = _search_of(interaction, resource_type)
        if search is None:
            return []
        returned = [resource for _, _, resource in matches(interaction)]
        known = [_key(r) for r in (*related, *returned)]
        return self._reads.needed(self._client, self._locate, returned if judged is None else judged, search, known)


def _search_of(interaction: Interaction, resource_type: str) -> Search | None:
    try:
        return parse_search(resource_type, httpx.URL(interaction.first.request.url).params.multi_items())
    except (SearchSyntaxError, KeyError):
        return None


def _key(resource: Mapping[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _unread(key: str, problem: str) -> Read:
    return {"reference": key, "status": None, "resource": None, "evidence": None, "problem": problem}


def _read(client: FhirClient, locate: Callable[[Exchange], str | None], key: str) -> Read:
    resource_type, _, identity = key.partition("/")
    exchange = client.read(resource_type, identity).first
    read: Read = {"reference": key, "status": exchange.status, "resource": None, "evidence": locate(exchange), "problem": None}
    if exchange.status != 200:
        read["problem"] = f"reading {key} answered {exchange.status or f'nothing ({exchange.error})'}"
        return read
    try:
        body = parse_resource(exchange)
    except BodyError as error:
        read["problem"] = f"reading {key} gave no resource: {error}"
        return read
    if body.get("resourceType") != resource_type or body.get("id") != identity:
        read["problem"] = f"reading {key} gave {_key(body)}"
        return read
    read["resource"] = body
    return read
