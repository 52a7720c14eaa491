"""The reference server's data: resources in an in-memory SQLite database, with one index table per parameter type.

Each resource is stored whole as JSON in ``resource``; every search parameter of its type adds
rows to the index table of the parameter's type (``string_index``, ``token_index``,
``date_index``), keyed by the resource row and the parameter name. Searches are SQL conditions
over ``resource r`` (see ``carecheck.refserver.query``), so matching happens in SQLite.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from carecheck.refserver.index import date_entries, string_entries, token_entries
from carecheck.refserver.params import RESOURCES, ResourceDefinition, SearchParam, SearchParamType

__all__ = ["INDEX_TABLES", "Condition", "Page", "Store"]

_SCHEMA = """
CREATE TABLE resource (
    pk INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (type, id)
);
CREATE TABLE string_index (pk INTEGER NOT NULL, param TEXT NOT NULL, exact TEXT NOT NULL, folded TEXT NOT NULL);
CREATE INDEX string_lookup ON string_index (param, folded);
CREATE TABLE token_index (pk INTEGER NOT NULL, param TEXT NOT NULL, system TEXT, code TEXT);
CREATE INDEX token_lookup ON token_index (param, code);
CREATE TABLE date_index (pk INTEGER NOT NULL, param TEXT NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL);
CREATE INDEX date_lookup ON date_index (param, low);
"""

INDEX_TABLES: Mapping[SearchParamType, str] = MappingProxyType(
    {
        SearchParamType.STRING: "string_index",
        SearchParamType.TOKEN: "token_index",
        SearchParamType.DATE: "date_index",
    }
)
"""The index table holding each parameter type's values; its columns are in ``_SCHEMA``."""

_Rows = Callable[[SearchParam, Mapping[str, Any]], Iterable[tuple[Any, ...]]]
_INDEX_ROWS: Mapping[SearchParamType, tuple[str, _Rows]] = {
    SearchParamType.STRING: (
        "INSERT INTO string_index (pk, param, exact, folded) VALUES (?, ?, ?, ?)",
        lambda param, resource: ((entry.exact, entry.folded) for entry in string_entries(param, resource)),
    ),
    SearchParamType.TOKEN: (
        "INSERT INTO token_index (pk, param, system, code) VALUES (?, ?, ?, ?)",
        lambda param, resource: ((entry.system, entry.code) for entry in token_entries(param, resource)),
    ),
    SearchParamType.DATE: (
        "INSERT INTO date_index (pk, param, low, high) VALUES (?, ?, ?, ?)",
        lambda param, resource: ((entry.low, entry.high) for entry in date_entries(param, resource)),
    ),
}


@dataclass(frozen=True)
class Condition:
    """A SQL boolean expression over the resource row ``r``, and the values of its ``?`` placeholders."""

    sql: str = "1"
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Page:
    """One page of search results: how many resources match in all, and those on this page, in order."""

    total: int
    resources: Sequence[dict[str, Any]]


class Store:
    """An in-memory SQLite database of resources of the given types, indexed for their search parameters.

    One connection serves every thread; a lock keeps its statements apart.
    """

    def __init__(self, definitions: Mapping[str, ResourceDefinition] = RESOURCES) -> None:
        self._definitions = definitions
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def add(self, resources: Iterable[Mapping[str, Any]]) -> None:
        """Store and index ``resources``; ``ValueError`` for a type the store does not serve or a repeated id."""
        with self._lock, self._db:
            for resource in resources:
                self._insert(resource)

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        """The resource ``resource_type/resource_id``, or None if there is none."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM resource WHERE type = ? AND id = ?", (resource_type, resource_id)
            ).fetchone()
        return None if row is None else _parsed(row[0])

    def search(self, resource_type: str, condition: Condition, *, offset: int, count: int) -> Page:
        """The ``count`` resources from ``offset`` on (in storage order) of those meeting ``condition``."""
        where = f"r.type = ? AND ({condition.sql})"
        args = (resource_type, *condition.args)
        with self._lock:
            (total,) = self._db.execute(f"SELECT count(*) FROM resource r WHERE {where}", args).fetchone()
            rows = self._db.execute(
                f"SELECT r.body FROM resource r WHERE {where} ORDER BY r.pk LIMIT ? OFFSET ?",
                (*args, count, offset),
            ).fetchall()
        return Page(total, [_parsed(body) for (body,) in rows])

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def _insert(self, resource: Mapping[str, Any]) -> None:
        resource_type, resource_id = resource.get("resourceType"), resource.get("id")
        definition = self._definitions.get(str(resource_type))
        if definition is None or not isinstance(resource_id, str):
            raise ValueError(f"cannot store {resource_type}/{resource_id}: unsupported type or no id")
        body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        try:
            cursor = self._db.execute(
                "INSERT INTO resource (type, id, body) VALUES (?, ?, ?)", (resource_type, resource_id, body)
            )
        except sqlite3.IntegrityError as error:
            raise ValueError(f"{resource_type}/{resource_id} is stored twice") from error
        pk = cursor.lastrowid
        for param in definition.params:
            statement, rows = _INDEX_ROWS[param.type]
            self._db.executemany(statement, ((pk, param.name, *row) for row in rows(param, resource)))


def _parsed(body: str) -> dict[str, Any]:
    resource: dict[str, Any] = json.loads(body)
    return resource
