"""Compiled profile rules: a StructureDefinition snapshot turned into a tree the validator walks once per resource.

Built by ``carecheck.fhir.profiles``; read by ``carecheck.fhir.conformance``. Every object is frozen: a
compiled profile is shared, immutable data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = ["Binding", "ElementRule", "Invariant", "Slice", "Slicing", "TypeRule", "reference_target_type"]


@dataclass(frozen=True)
class TypeRule:
    """One allowed type of an element, with the profiles it must meet and, for references, the target profiles."""

    code: str
    profile: str | None = None
    target_profile: str | None = None


@dataclass(frozen=True)
class Binding:
    strength: str
    value_set: str


@dataclass(frozen=True)
class Invariant:
    """A ``constraint`` of the profile; ``evaluate`` is None when its FHIRPath could not be compiled or run."""

    key: str
    severity: str
    human: str
    expression: str
    evaluate: Callable[[Any, dict[str, Any]], list[Any]] | None = field(compare=False, repr=False)


@dataclass(frozen=True)
class Slice:
    """A named slice: the values its discriminators must have (``(path, value)`` pairs) and its own rule."""

    name: str
    values: tuple[tuple[str, Any], ...]
    rule: ElementRule


@dataclass(frozen=True)
class Slicing:
    discriminators: tuple[str, ...]
    rules: str
    slices: tuple[Slice, ...]

    @property
    def closed(self) -> bool:
        return self.rules == "closed"


@dataclass(frozen=True)
class ElementRule:
    """What the profile says about one element (``Patient.identifier:nhsNumber.system``).

    ``name`` is the JSON property (``identifier``, ``valueDateTime``), or a choice stem with ``choice`` set
    (``deceased`` for ``deceased[x]``). ``maximum`` is None for ``*``. ``base_min``/``base_max`` are the
    cardinality the base definition already gives, so only the profile's own restrictions are reported.
    """

    id: str
    path: str
    name: str
    choice: bool
    minimum: int
    maximum: int | None
    base_min: int
    base_max: int | None
    types: tuple[TypeRule, ...] = ()
    fixed: Any = None
    pattern: Any = None
    max_length: int | None = None
    binding: Binding | None = None
    invariants: tuple[Invariant, ...] = ()
    children: tuple[ElementRule, ...] = ()
    slicing: Slicing | None = None
    content_reference: str | None = None

    @cached_property
    def type_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(kind.code for kind in self.types))

    @cached_property
    def judged_when_absent(self) -> bool:
        """Whether the element's absence alone is an issue: the profile raises its minimum, or a slice's above 0."""
        required = self.minimum > 0 and self.minimum > self.base_min
        return required or (self.slicing is not None and any(piece.rule.minimum > 0 for piece in self.slicing.slices))

    @cached_property
    def _child_lookup(self) -> tuple[dict[str, tuple[int, ...]], tuple[tuple[int, str], ...], frozenset[int]]:
        """Children by JSON key (``name``, ``_name``), the choice children's stems, and those judged when absent."""
        by_key: dict[str, tuple[int, ...]] = {}
        stems: list[tuple[int, str]] = []
        for index, child in enumerate(self.children):
            if child.choice:
                stems.append((index, child.name))
            else:
                for key in (child.name, "_" + child.name):
                    by_key[key] = (*by_key.get(key, ()), index)
        absent = frozenset(index for index, child in enumerate(self.children) if child.judged_when_absent)
        return by_key, tuple(stems), absent

    def children_in(self, node: Mapping[str, Any]) -> list[ElementRule]:
        """The children to judge in ``node``, in profile order: those it holds, and those whose absence is an issue.

        A choice child is held when a key is its stem followed by a type name (``valueQuantity``, or an unknown
        ``valueWrong`` its type check reports).
        """
        by_key, stems, wanted = self._child_lookup
        found = set(wanted)
        for key in node:
            if key in by_key:
                found.update(by_key[key])
            for index, stem in stems:
                if key.startswith(stem) and key[len(stem) : len(stem) + 1].isupper():
                    found.add(index)
        return [self.children[index] for index in sorted(found)]

    @property
    def extension_profile(self) -> str | None:
        """The extension definition an ``Extension``-typed element must meet, if the profile names one."""
        return next((kind.profile for kind in self.types if kind.code == "Extension" and kind.profile), None)

    def child(self, name: str) -> ElementRule | None:
        return next((rule for rule in self.children if rule.name == name), None)


def reference_target_type(profile_url: str, known: dict[str, str]) -> str | None:
    """The resource type a target profile URL stands for: from the known profiles, or the core URL's last part."""
    if profile_url in known:
        return known[profile_url]
    if profile_url.startswith("http://hl7.org/fhir/StructureDefinition/"):
        return profile_url.rsplit("/", 1)[1]
    return None
