"""The reference server's data: resources in an in-memory SQLite database, with one index table per parameter type.

Each resource is stored whole as JSON in ``resource``; every search parameter of its type adds
rows to the index table of the parameter's type (``string_index``, ``token_index``,
``date_index``, ``reference_index``), keyed by the resource row, its type and the parameter
name. Searches are SQL conditions over ``resource r`` (see ``carecheck.refserver.sql``), so
matching happens in SQLite. The lookup indexes are built after a bulk load, and each search is
driven from its most selective criterion, so a search costs about the same at 100 patients as
at 10,000.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from carecheck.refserver.index import date_entries, reference_entries, string_entries, token_entries
from carecheck.refserver.params import RESOURCES, ResourceDefinition, SearchParam, SearchParamType

__all__ = ["ESTIMATE_CAP", "INDEX_TABLES", "Clause", "Condition", "Include", "Page", "Store", "Stored"]

_SCHEMA = """
CREATE TABLE resource (pk INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX resource_id ON resource (type, id);
CREATE TABLE string_index (pk INTEGER NOT NULL, type TEXT NOT NULL, param TEXT NOT NULL,
                           exact TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE token_index (pk INTEGER NOT NULL, type TEXT NOT NULL, param TEXT NOT NULL, system TEXT, code TEXT);
CREATE TABLE date_index (pk INTEGER NOT NULL, type TEXT NOT NULL, param TEXT NOT NULL,
                         low INTEGER NOT NULL, high INTEGER NOT NULL);
CREATE TABLE reference_index (pk INTEGER NOT NULL, type TEXT NOT NULL, param TEXT NOT NULL,
                              target_type TEXT NOT NULL, target_id TEXT NOT NULL, url TEXT);
"""

_LOOKUPS = """
CREATE INDEX IF NOT EXISTS string_by_value ON string_index (type, param, folded, pk);
CREATE INDEX IF NOT EXISTS string_by_resource ON string_index (pk, param, folded);
CREATE INDEX IF NOT EXISTS token_by_value ON token_index (type, param, code, system, pk);
CREATE INDEX IF NOT EXISTS token_by_resource ON token_index (pk, param, code, system);
CREATE INDEX IF NOT EXISTS date_by_low ON date_index (type, param, low, high, pk);
CREATE INDEX IF NOT EXISTS date_by_high ON date_index (type, param, high, low, pk);
CREATE INDEX IF NOT EXISTS date_by_resource ON date_index (pk, param, low, high);
CREATE INDEX IF NOT EXISTS reference_by_target ON reference_index (target_id, type, param, target_type, url, pk);
CREATE INDEX IF NOT EXISTS reference_by_resource ON reference_index (pk, param, target_type, target_id, url);
PRAGMA analysis_limit = 1000;
ANALYZE;
"""
"""Lookup indexes: ``by_value`` drive a search from its most selective criterion, ``by_resource`` check the rest."""

INDEX_TABLES: Mapping[SearchParamType, str] = MappingProxyType(
    {
        SearchParamType.STRING: "string_index",
        SearchParamType.TOKEN: "token_index",
        SearchParamType.DATE: "date_index",
        SearchParamType.REFERENCE: "reference_index",
    }
)
"""The index table holding each parameter type's values; its columns are in ``_SCHEMA``."""

_BATCH = 5000
"""Resources whose index rows are written together."""
_Rows = Callable[[SearchParam, Mapping[str, Any]], Iterable[tuple[Any, ...]]]
_INDEX_ROWS: Mapping[SearchParamType, tuple[str, _Rows]] = {
    SearchParamType.STRING: (
        "INSERT INTO string_index VALUES (?, ?, ?, ?, ?)",
        lambda param, resource: ((entry.exact, entry.folded) for entry in string_entries(param, resource)),
    ),
    SearchParamType.TOKEN: (
        "INSERT INTO token_index VALUES (?, ?, ?, ?, ?)",
        lambda param, resource: ((entry.system, entry.code) for entry in token_entries(param, resource)),
    ),
    SearchParamType.DATE: (
        "INSERT INTO date_index VALUES (?, ?, ?, ?, ?)",
        lambda param, resource: ((entry.low, entry.high) for entry in date_entries(param, resource)),
    ),
    SearchParamType.REFERENCE: (
        "INSERT INTO reference_index VALUES (?, ?, ?, ?, ?, ?)",
        lambda param, resource: ((entry.type, entry.id, entry.url) for entry in reference_entries(param, resource)),
    ),
}


ESTIMATE_CAP = 1000
"""Counting a criterion's matches to choose the driving one stops here: beyond it, any is as bad."""
_GOOD_ENOUGH = 50
"""A criterion with no more matches than this drives the search without counting the others'. Criteria are
counted first only this far, and further (to ``ESTIMATE_CAP``) only if none is that selective, so a common
value (``gender=male``) is not counted to 1,000 when a rare one (``family=Smythe``) follows it."""


@dataclass(frozen=True)
class Clause:
    """One search criterion in SQL: a test of the resource row ``r``, and (if an index answers it) its matches.

    ``matches`` is an uncorrelated SELECT of the ``pk`` of every resource meeting the criterion, or
    None when no index can answer it (``:not``, ``:missing``, ``:contains``…).
    """

    test: str
    test_args: tuple[Any, ...]
    matches: str | None = None
    matches_args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Condition:
    """What a matching resource meets: every criterion (AND), listed most selective kind first."""

    clauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Include:
    """What ``_include`` (``reverse`` False) or ``_revinclude`` (True) brings along with a page of matches.

    ``source`` and ``param`` name the reference parameter followed (None for ``*``: any); ``target``
    narrows the referenced type of an ``_include`` (``Patient:general-practitioner:Practitioner``).
    """

    reverse: bool
    source: str | None
    param: str | None
    target: str | None = None


class Stored(NamedTuple):
    """A resource as stored: its type, its id and its JSON text (compact, as ``json.dumps`` writes it)."""

    type: str
    id: str
    body: str


@dataclass(frozen=True)
class Page:
    """One page of search results: how many resources match in all, those on this page, and what they include.

    The resources come as stored (``matches``, ``includes``), so a JSON answer can carry their text as it
    is; ``resources`` and ``included`` are the same resources parsed.
    """

    total: int
    matches: Sequence[Stored]
    includes: Sequence[Stored] = ()

    @property
    def resources(self) -> list[dict[str, Any]]:
        return [_parsed(stored.body) for stored in self.matches]

    @property
    def included(self) -> list[dict[str, Any]]:
        return [_parsed(stored.body) for stored in self.includes]


class Store:
    """An in-memory SQLite database of resources of the given types, indexed for their search parameters.

    One connection serves every thread; a lock keeps its statements apart. ``put`` and ``remove`` are the
    writes of a writable reference server (see ``carecheck.refserver.writes``).
    """

    def __init__(self, definitions: Mapping[str, ResourceDefinition] = RESOURCES) -> None:
        self._definitions = definitions
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._deleted: set[tuple[str, str]] = set()

    def add(self, resources: Iterable[Mapping[str, Any]]) -> None:
        """Store and index ``resources``; ``ValueError`` for a type the store does not serve or a repeated id."""
        with self._lock:
            with self._db:
                batch: dict[SearchParamType, list[tuple[Any, ...]]] = {kind: [] for kind in _INDEX_ROWS}
                for number, resource in enumerate(resources, start=1):
                    self._insert(resource, batch)
                    if number % _BATCH == 0:
                        self._flush(batch)
                self._flush(batch)
            self._db.executescript(_LOOKUPS)

    def put(self, resource: Mapping[str, Any]) -> bool:
        """Store and index ``resource`` in place of the record of its type and id, if any; True when it is new."""
        with self._lock:
            with self._db:
                existed = self._remove(str(resource.get("resourceType")), str(resource.get("id")))
                batch: dict[SearchParamType, list[tuple[Any, ...]]] = {kind: [] for kind in _INDEX_ROWS}
                self._insert(resource, batch)
                self._flush(batch)
                self._deleted.discard((str(resource.get("resourceType")), str(resource.get("id"))))
        return not existed

    def remove(self, resource_type: str, resource_id: str) -> bool:
        """Delete the record and its index rows (a later read can tell it was deleted); True if there was one."""
        with self._lock:
            with self._db:
                existed = self._remove(resource_type, resource_id)
            if existed:
                self._deleted.add((resource_type, resource_id))
        return existed

    def was_deleted(self, resource_type: str, resource_id: str) -> bool:
        """Whether ``remove`` deleted this record (and nothing has been stored under its id since)."""
        with self._lock:
            return (resource_type, resource_id) in self._deleted

    def snapshot(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every stored record by (type, id), as stored: what a test compares before and after a run."""
        with self._lock:
            rows = self._db.execute("SELECT type, id, body FROM resource").fetchall()
        return {(resource_type, resource_id): _parsed(body) for resource_type, resource_id, body in rows}

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        """The resource ``resource_type/resource_id``, or None if there is none."""
        with self._lock:
            row = self._db.execute("SELECT body FROM resource WHERE type = ? AND id = ?", (resource_type, resource_id)).fetchone()
        return None if row is None else _parsed(row[0])

    def search(
        self,
        resource_type: str,
        condition: Condition,
        *,
        offset: int,
        count: int,
        includes: Sequence[Include] = (),
    ) -> Page:
        """The ``count`` resources from ``offset`` on (in storage order) of those meeting ``condition``, with includes.

        The search is driven from the criterion with the fewest matches (counted up to
        ``ESTIMATE_CAP``, ties to the first); the others are tested on the rows it yields. A page that
        ends before ``count`` is the last, so its end is the total; only a full or empty page counts them.
        """
        with self._lock:
            where, args = self._where(resource_type, condition)
            rows = self._db.execute(
                f"SELECT r.pk, r.type, r.id, r.body FROM resource r WHERE {where} ORDER BY r.pk LIMIT ? OFFSET ?",
                (*args, count, offset),
            ).fetchall()
            if len(rows) < count and (rows or offset == 0):
                total = offset + len(rows)
            else:
                (total,) = self._db.execute(f"SELECT count(*) FROM resource r WHERE {where}", args).fetchone()
            included = self._included(resource_type, [row[0] for row in rows], includes) if rows and includes else []
        return Page(total, [Stored(*row[1:]) for row in rows], included)

    def explain(self, resource_type: str, condition: Condition) -> list[str]:
        """SQLite's plan for a page of the search (``EXPLAIN QUERY PLAN``), one line per step."""
        with self._lock:
            where, args = self._where(resource_type, condition)
            sql = f"EXPLAIN QUERY PLAN SELECT r.pk, r.body FROM resource r WHERE {where} ORDER BY r.pk LIMIT 1"
            return [row[3] for row in self._db.execute(sql, args).fetchall()]

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def _insert(self, resource: Mapping[str, Any], batch: Mapping[SearchParamType, list[tuple[Any, ...]]]) -> None:
        resource_type, resource_id = resource.get("resourceType"), resource.get("id")
        definition = self._definitions.get(str(resource_type))
        if definition is None or not isinstance(resource_id, str):
            raise ValueError(f"cannot store {resource_type}/{resource_id}: unsupported type or no id")
        body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        try:
            cursor = self._db.execute("INSERT INTO resource (type, id, body) VALUES (?, ?, ?)", (resource_type, resource_id, body))
        except sqlite3.IntegrityError as error:
            raise ValueError(f"{resource_type}/{resource_id} is stored twice") from error
        pk = cursor.lastrowid
        for param in definition.params:
            rows = _INDEX_ROWS[param.type][1](param, resource)
            batch[param.type].extend((pk, resource_type, param.name, *row) for row in rows)

    def _remove(self, resource_type: str, resource_id: str) -> bool:
        row = self._db.execute("SELECT pk FROM resource WHERE type = ? AND id = ?", (resource_type, resource_id)).fetchone()
        if row is None:
            return False
        for table in INDEX_TABLES.values():
            self._db.execute(f"DELETE FROM {table} WHERE pk = ?", row)
        self._db.execute("DELETE FROM resource WHERE pk = ?", row)
        return True

    def _flush(self, batch: Mapping[SearchParamType, list[tuple[Any, ...]]]) -> None:
        for kind, rows in batch.items():
            self._db.executemany(_INDEX_ROWS[kind][0], rows)
            rows.clear()

    def _where(self, resource_type: str, condition: Condition) -> tuple[str, tuple[Any, ...]]:
        driver = self._driver([clause for clause in condition.clauses if clause.matches is not None])
        tests = [clause for clause in condition.clauses if clause is not driver]
        sql = " AND ".join(clause.test for clause in tests) or "1"
        args = tuple(arg for clause in tests for arg in clause.test_args)
        if driver is None:
            return f"r.type = ? AND {sql}", (resource_type, *args)
        return f"r.pk IN ({driver.matches}) AND {sql}", (*driver.matches_args, *args)

    def _driver(self, indexed: Sequence[Clause]) -> Clause | None:
        """The clause with fewest matches, counting each only as far as the best so far (see ``_GOOD_ENOUGH``).

        Which clause drives changes how fast a search is, never what it finds: the others are tested on its rows.
        """
        if len(indexed) < 2:
            return next(iter(indexed), None)
        for cap in (_GOOD_ENOUGH + 1, ESTIMATE_CAP):
            best, fewest = indexed[0], cap
            for clause in indexed:
                sql = f"SELECT count(*) FROM ({clause.matches} LIMIT {fewest})"
                (found,) = self._db.execute(sql, clause.matches_args).fetchone()
                if found < fewest:
                    best, fewest = clause, found
                if fewest <= _GOOD_ENOUGH:
                    return best
        return best

    def _included(self, resource_type: str, pks: Sequence[int], includes: Sequence[Include]) -> list[Stored]:
        """What ``includes`` bring along for the matches ``pks``: each once, none of the matches."""
        seen = set(pks)
        marks = ",".join("?" * len(pks))
        found = []
        for include in includes:
            sql, args = _include_sql(include, resource_type, marks)
            for pk, *stored in self._db.execute(sql, (*args, *pks)).fetchall():
                if pk not in seen:
                    seen.add(pk)
                    found.append(Stored(*stored))
        return found


def _include_sql(include: Include, resource_type: str, marks: str) -> tuple[str, list[Any]]:
    """The SELECT of ``(pk, type, id, body)`` that ``include`` adds for the matches whose pks fill ``marks``."""
    tests, args = ["i.url IS NULL"], []
    for column, value in (("param", include.param), ("target_type", include.target)):
        if value is not None:
            tests.append(f"i.{column} = ?")
            args.append(value)
    if not include.reverse:
        join = "JOIN resource t ON t.type = i.target_type AND t.id = i.target_id"
        where = f"i.pk IN ({marks})"
    else:
        if include.source is not None:
            tests.append("i.type = ?")
            args.append(include.source)
        join = "JOIN resource m ON m.id = i.target_id AND m.type = i.target_type JOIN resource t ON t.pk = i.pk"
        where = f"m.type = ? AND m.pk IN ({marks})"
        args.append(resource_type)
    sql = f"SELECT DISTINCT t.pk, t.type, t.id, t.body FROM reference_index i {join} WHERE {' AND '.join(tests)} AND {where}"
    return sql + " ORDER BY t.pk", args


def _parsed(body: str) -> dict[str, Any]:
    resource: dict[str, Any] = json.loads(body)
    return resource
