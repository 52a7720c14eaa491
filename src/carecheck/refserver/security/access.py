"""What a FHIR request needs from an access token: read or write, and every resource type it can return.

The type is the first path segment after the FHIR base. ``POST [type]/_search`` is a read; every
other POST, and PUT, PATCH and DELETE, is a write. ``_include`` and ``_revinclude`` bring in more
types: ``_revinclude=Source:param`` brings ``Source``, ``_include=Source:param:Target`` brings
``Target``. An include whose types the guard cannot name (``_include=Source:param`` without a target
type, or ``*``) needs a ``*`` scope: a simple rule that never lets a scope read more than it allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from carecheck.refserver.security.scopes import Action

__all__ = ["ANY_TYPE", "Access", "is_search_post", "required_access"]

ANY_TYPE = "*"
"""Stands for resource types the request may return but the guard cannot name: only a ``*`` scope covers it."""

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Access:
    """The action a request performs, on which resource type, and the types its includes bring in."""

    action: Action
    resource_type: str
    included: frozenset[str] = frozenset()


def is_search_post(method: str, route: str) -> bool:
    """Whether the request is a search by POST (``POST [base]/[type]/_search``), whose parameters are in the body."""
    return method.upper() == "POST" and route.rstrip("/").endswith("/_search")


def required_access(method: str, route: str, params: Iterable[tuple[str, str]]) -> Access:
    """What a ``method`` request to ``route`` (the path after the FHIR base) with search ``params`` needs."""
    resource_type = route.strip("/").split("/")[0]
    if method.upper() in _WRITES and not is_search_post(method, route):
        return Access("write", resource_type)
    included = frozenset(_included_type(name, value) for name, value in params if _is_include(name) and value)
    return Access("read", resource_type, included)


def _is_include(name: str) -> bool:
    return name.split(":")[0] in ("_include", "_revinclude")


def _included_type(name: str, value: str) -> str:
    parts = value.split(":")
    if name.startswith("_revinclude"):
        return parts[0] or ANY_TYPE
    return parts[2] if len(parts) > 2 and parts[2] else ANY_TYPE
