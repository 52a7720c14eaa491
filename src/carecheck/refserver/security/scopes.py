"""SMART on FHIR v1 scopes (``context/Type.action``): what a token's scopes allow, and what a client may be granted.

A scope allows resource types; whose records it reads is the token's patient context: a token bound
to a patient (its ``patient`` claim, see ``compartment``) reads only that patient's records. A
``patient/`` scope in a token without a patient context is treated like a ``user/`` one (a
``patient/Observation.read`` scope then reads every Observation). Scopes of another shape
(``profile``, ``openid``, ``launch``) are kept and granted like any other, but allow no FHIR access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Action", "SmartScope", "allows", "grantable"]

Action = Literal["read", "write"]
"""What a request does to a resource type."""

_SMART_SCOPE = re.compile(r"(?P<context>patient|user|system)/(?P<type>[A-Za-z]+|\*)\.(?P<action>read|write|\*)")


@dataclass(frozen=True)
class SmartScope:
    """One SMART scope: a context (``patient``, ``user``, ``system``), a resource type or ``*``, an action or ``*``."""

    context: str
    resource_type: str
    action: str

    @classmethod
    def parse(cls, text: str) -> SmartScope | None:
        """The SMART scope ``text`` spells, or None if it is not one."""
        found = _SMART_SCOPE.fullmatch(text)
        if found is None:
            return None
        return cls(found["context"], found["type"], found["action"])

    def allows(self, resource_type: str, action: Action) -> bool:
        """Whether this scope lets a request ``action`` resources of ``resource_type``.

        ``resource_type`` ``*`` stands for "any type the server cannot name in advance", which only a
        ``*`` scope allows.
        """
        return self.resource_type in ("*", resource_type) and self.action in ("*", action)

    def includes(self, other: SmartScope) -> bool:
        """Whether everything ``other`` allows, this scope allows too (in the same context)."""
        return self.context == other.context and self.resource_type in ("*", other.resource_type) and self.action in ("*", other.action)


def allows(scopes: Iterable[str], resource_type: str, action: Action) -> bool:
    """Whether any of ``scopes`` lets a request ``action`` resources of ``resource_type``."""
    parsed = (SmartScope.parse(scope) for scope in scopes)
    return any(scope is not None and scope.allows(resource_type, action) for scope in parsed)


def grantable(requested: str, registered: Iterable[str]) -> bool:
    """Whether a client registered for ``registered`` scopes may be granted ``requested``.

    A SMART scope may be narrowed (``system/*.read`` grants ``system/Patient.read``); any other scope
    must be registered as it is.
    """
    wanted = SmartScope.parse(requested)
    for scope in registered:
        if scope == requested:
            return True
        held = SmartScope.parse(scope)
        if wanted is not None and held is not None and held.includes(wanted):
            return True
    return False
