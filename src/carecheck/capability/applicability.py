"""Whether a search scenario applies to a target, from what its CapabilityStatement declares.

A SHOULD or MAY parameter the server does not declare makes the scenario not applicable. A SHALL one
still runs (the server may support it without saying so); the capability scenarios report the missing
declaration. A server whose statement could not be read is given the benefit of the doubt: all runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from carecheck.capability.statement import Capabilities
from carecheck.search import SearchRegistry

__all__ = ["not_applicable_reason"]


def not_applicable_reason(
    capabilities: Capabilities,
    resource_type: str,
    parameters: Sequence[str],
    *,
    conformance: str,
    registry: SearchRegistry,
) -> str | None:
    """Why searching `resource_type` by `parameters` does not apply to this server, or None if it does."""
    if not capabilities.resource_types():
        return None
    if not capabilities.declares(resource_type):
        return f"the server does not declare {resource_type} in its CapabilityStatement"
    for name in parameters:
        if name.startswith("_") or capabilities.declares_search(resource_type, name):
            continue
        levels = registry.conformance(resource_type, name.split(":", 1)[0])
        level = getattr(levels, conformance)
        if level != "SHALL":
            return f"the server does not declare the {level or 'optional'} {resource_type} search parameter {name} ({conformance.upper()})"
    return None
