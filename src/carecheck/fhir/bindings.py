"""Value-set membership for bindings, from the ValueSets and CodeSystems copied to ``data/profiles/``.

Each ValueSet is expanded once from its ``compose``: whole code systems that are present and complete,
listed concepts, the filters that can be evaluated locally (``concept`` ``=``, ``is-a``, ``descendent-of``
on a local hierarchy) and imported value sets, less what ``exclude`` removes. Whatever cannot be expanded
here (SNOMED CT refsets and ECL, UCUM, BCP-47) leaves its system *open*: a code from it is ``UNKNOWN``,
which the validator reports as a warning, never an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from carecheck.project import data_path

__all__ = ["Expansion", "Membership", "Terminology", "terminology"]


class Membership(Enum):
    IN = "in"
    NOT_IN = "not-in"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Expansion:
    """The codes of a value set by system, plus the systems whose codes could not all be listed."""

    url: str
    codes: dict[str, frozenset[str]]
    open_systems: frozenset[str]

    def contains(self, system: str | None, code: str) -> Membership:
        """Whether ``code`` (from ``system``, or from any system when None) is in the value set."""
        if system is None:
            if any(code in codes for codes in self.codes.values()):
                return Membership.IN
            return Membership.UNKNOWN if self.open_systems else Membership.NOT_IN
        if code in self.codes.get(system, ()):
            return Membership.IN
        return Membership.UNKNOWN if system in self.open_systems else Membership.NOT_IN

    def describe(self) -> str:
        systems = sorted(set(self.codes) | self.open_systems)
        return ", ".join(systems) or "no codes"


def _concepts(concepts: list[dict[str, Any]], parent: str | None, into: dict[str, str | None]) -> None:
    for concept in concepts:
        into[concept["code"]] = parent
        _concepts(concept.get("concept", []), concept["code"], into)


class Terminology:
    """The local ValueSets and CodeSystems, every value set expanded eagerly and kept immutable."""

    def __init__(self, value_sets: list[dict[str, Any]], code_systems: list[dict[str, Any]]) -> None:
        self._value_sets = {vs["url"]: vs for vs in value_sets}
        self._parents: dict[str, dict[str, str | None]] = {}
        self._complete: set[str] = set()
        for system in code_systems:
            parents: dict[str, str | None] = {}
            _concepts(system.get("concept", []), None, parents)
            self._parents[system["url"]] = parents
            if system.get("content", "complete") == "complete" and parents:
                self._complete.add(system["url"])
        self._expansions: dict[str, Expansion] = {}
        for url in self._value_sets:
            self._expansions[url] = self._expand(url, frozenset())

    def expansion(self, url: str) -> Expansion | None:
        """The expansion of the value set at ``url`` (a ``|version`` suffix is ignored), None when not held here."""
        return self._expansions.get(url.split("|", 1)[0])

    def _expand(self, url: str, seen: frozenset[str]) -> Expansion:
        if url in self._expansions:
            return self._expansions[url]
        compose = self._value_sets[url].get("compose", {})
        codes: dict[str, set[str]] = {}
        open_systems: set[str] = set()
        for part in compose.get("include", []):
            self._include(part, codes, open_systems, seen | {url})
        for part in compose.get("exclude", []):
            removed: dict[str, set[str]] = {}
            self._include(part, removed, set(), seen | {url})
            for system, gone in removed.items():
                codes[system] = codes.get(system, set()) - gone
        return Expansion(url, {s: frozenset(c) for s, c in codes.items()}, frozenset(open_systems))

    def _include(self, part: dict[str, Any], codes: dict[str, set[str]], open_systems: set[str], seen: frozenset[str]) -> None:
        for imported in part.get("valueSet", []):
            if imported in self._value_sets and imported not in seen:
                expansion = self._expand(imported, seen)
                for imported_system, imported_codes in expansion.codes.items():
                    codes.setdefault(imported_system, set()).update(imported_codes)
                open_systems.update(expansion.open_systems)
            else:
                open_systems.add(imported)
        system = part.get("system")
        if system is None:
            return
        listed = [concept["code"] for concept in part.get("concept", [])]
        if listed:
            codes.setdefault(system, set()).update(listed)
            return
        filters = part.get("filter", [])
        found = self._filtered(system, filters) if filters else self._whole(system)
        if found is None:
            open_systems.add(system)
        else:
            codes.setdefault(system, set()).update(found)

    def _whole(self, system: str) -> set[str] | None:
        return set(self._parents[system]) if system in self._complete else None

    def _filtered(self, system: str, filters: list[dict[str, Any]]) -> set[str] | None:
        result: set[str] | None = None
        for rule in filters:
            matched = self._filter(system, rule.get("property"), rule.get("op"), str(rule.get("value", "")))
            if matched is None:
                return None
            result = matched if result is None else result & matched
        return result

    def _filter(self, system: str, prop: str | None, op: str | None, value: str) -> set[str] | None:
        if prop != "concept":
            return None
        if op == "=":
            return {value}
        if system not in self._complete or op not in ("is-a", "descendent-of"):
            return None
        parents = self._parents[system]
        below = {code for code in parents if self._descends(code, value, parents)}
        return below | {value} if op == "is-a" else below

    @staticmethod
    def _descends(code: str, ancestor: str, parents: dict[str, str | None]) -> bool:
        parent = parents.get(code)
        while parent is not None:
            if parent == ancestor:
                return True
            parent = parents.get(parent)
        return False


def _entries(name: str) -> list[dict[str, Any]]:
    with data_path("profiles", name).open(encoding="utf-8") as file:
        return [entry["resource"] for entry in json.load(file)["entry"]]


@cache
def terminology() -> Terminology:
    """The project's terminology, loaded and expanded once."""
    return Terminology(_entries("valuesets.json"), _entries("codesystems.json"))
