"""``_include`` and ``_revinclude`` values checked against the parameter table.

``_include=[type]:[param][:target]`` follows a reference parameter of the searched type from each
match; ``_revinclude=[type]:[param]`` brings the resources of ``type`` whose ``param`` refers to a
match; ``*`` stands for every reference parameter (``_revinclude=*`` on Patient or Encounter is the
Care Connect "get record" pattern). Only one level is followed: ``:iterate`` is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from carecheck.refserver.outcome import FhirError
from carecheck.refserver.params import ResourceDefinition
from carecheck.refserver.store import Include

__all__ = ["include_names", "parse_include", "revinclude_names"]


def parse_include(key: str, value: str, definition: ResourceDefinition, resources: Mapping[str, ResourceDefinition], *, reverse: bool) -> Include:
    """The include ``key=value`` asks for on a search of ``definition``; FhirError (400) if it names no reference."""
    if ":" in key:
        raise FhirError(400, "not-supported", f"{key!r}: only one level of includes is supported (no :iterate)")
    if value == "*":
        return Include(reverse, None if reverse else definition.type, None)
    source, _, rest = value.partition(":")
    name, _, target = rest.partition(":")
    source_definition = resources.get(source)
    references = source_definition.references() if source_definition else ()
    param = next((reference for reference in references if reference.name == name), None)
    if param is None or (not reverse and source != definition.type):
        choices = ", ".join(revinclude_names(definition, resources) if reverse else include_names(definition))
        follows = f"is not one this server follows on {definition.type}: {choices}"
        raise FhirError(400, "invalid", f"{key}={value!r} {follows}")
    if reverse and (target or definition.type not in param.targets):
        raise FhirError(400, "invalid", f"{key}={value!r}: {source}.{name} cannot refer to {definition.type}")
    if target and target not in param.targets:
        raise FhirError(400, "invalid", f"{key}={value!r}: {source}.{name} refers to {' or '.join(param.targets)}")
    return Include(reverse, source, name, target or None)


def include_names(definition: ResourceDefinition) -> list[str]:
    """The ``_include`` values a search of ``definition`` accepts (besides ``*``)."""
    return [f"{definition.type}:{param.name}" for param in definition.references()]


def revinclude_names(definition: ResourceDefinition, resources: Mapping[str, ResourceDefinition]) -> list[str]:
    """The ``_revinclude`` values a search of ``definition`` accepts (besides ``*``)."""
    return [f"{source.type}:{param.name}" for source in resources.values() for param in source.references() if definition.type in param.targets]
