"""The searches one property exploration makes: by GET or POST `_search`, every page followed, and a search
already made in the same exploration reused instead of sent again (the data of a read-only API does not
change under it), unless the property needs it asked afresh."""

from __future__ import annotations

from collections.abc import Sequence

from carecheck.http import FhirClient, Interaction
from carecheck.probe.requests import search_by_post, search_with

__all__ = ["Searcher"]

Query = tuple[tuple[str, str], ...]


class Searcher:
    """Searches one resource type through the scenario's recording client; counts what it sent."""

    def __init__(self, client: FhirClient, resource_type: str) -> None:
        self._client = client
        self.resource_type = resource_type
        self._made: dict[tuple[str, Query, bool], Interaction] = {}
        self.sent = 0

    def get(self, query: Sequence[tuple[str, str]], *, all_pages: bool = True, fresh: bool = False) -> Interaction:
        """`GET [type]?query` (every page unless told otherwise); `fresh` sends it even if it was made before."""
        key = ("GET", tuple(query), all_pages)
        if fresh or key not in self._made:
            self._made[key] = search_with(self._client, self.resource_type, query, all_pages=all_pages)
            self.sent += len(self._made[key].exchanges)
        return self._made[key]

    def post(self, query: Sequence[tuple[str, str]]) -> Interaction:
        """`POST [type]/_search` with the query as a form, every page followed."""
        key = ("POST", tuple(query), True)
        if key not in self._made:
            self._made[key] = search_by_post(self._client, self.resource_type, query)
            self.sent += len(self._made[key].exchanges)
        return self._made[key]
