"""Loading StructureDefinitions and compiling their snapshots into rule trees, once per profile.

Sources: ``data/profiles/structuredefinitions.json`` (the 14 Care Connect profiles and the extensions
they use), ``data/profiles/profile-types.json`` (the resource type of every Care Connect profile, to
judge reference targets) and ``data/fhir-stu3/datatypes.json`` (the STU3 complex data types, used for
elements a profile's snapshot does not expand). Every definition here has a snapshot; one without is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from carecheck.errors import ConfigError
from carecheck.fhir.invariants import NATIVE_KEYS, compile_invariant
from carecheck.fhir.rules import Binding, ElementRule, Invariant, Slice, Slicing, TypeRule
from carecheck.fhir.slicing import discriminator_value
from carecheck.project import data_path

__all__ = ["CARECONNECT_BASE", "CompiledProfile", "ProfileSet", "compile_profile", "profile_set"]

CARECONNECT_BASE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/"


@dataclass(frozen=True)
class CompiledProfile:
    """A profile ready to validate with: its root rule, and every rule by element path for content references."""

    url: str
    type: str
    root: ElementRule
    by_path: dict[str, ElementRule] = field(repr=False)


@dataclass
class _Draft:
    element: dict[str, Any]
    children: list[_Draft] = field(default_factory=list)
    slices: list[_Draft] = field(default_factory=list)


def _maximum(value: Any) -> int | None:
    return None if value in (None, "*") else int(value)


def _value_of(element: dict[str, Any], prefix: str) -> Any:
    return next((value for key, value in element.items() if key.startswith(prefix) and key != prefix), None)


def _types(element: dict[str, Any]) -> tuple[TypeRule, ...]:
    return tuple(TypeRule(str(kind["code"]), kind.get("profile"), kind.get("targetProfile")) for kind in element.get("type", ()) if kind.get("code"))


def _binding(element: dict[str, Any]) -> Binding | None:
    binding = element.get("binding") or {}
    reference = (binding.get("valueSetReference") or {}).get("reference") or binding.get("valueSetUri")
    if binding.get("strength") not in ("required", "extensible") or not reference:
        return None
    return Binding(str(binding["strength"]), str(reference))


def _invariant(constraint: dict[str, Any]) -> Invariant:
    return compile_invariant(
        str(constraint.get("key", "")),
        str(constraint.get("severity", "error")),
        str(constraint.get("human", "")),
        str(constraint.get("expression", "")),
    )


def _freeze(draft: _Draft) -> ElementRule:
    element = draft.element
    last = element["path"].rsplit(".", 1)[-1]
    choice = last.endswith("[x]")
    base = element.get("base", {})
    slicing = None
    if "slicing" in element:
        raw = element["slicing"]
        kinds = ("value", "pattern")
        discriminators = tuple(str(d["path"]) for d in raw.get("discriminator", ()) if d.get("type", "value") in kinds)
        slices = []
        for item in draft.slices:
            rule = _freeze(item)
            values = tuple((path, discriminator_value(rule, path)) for path in discriminators)
            slices.append(Slice(str(item.element.get("sliceName", "")), values, rule))
        slicing = Slicing(discriminators, str(raw.get("rules", "open")), tuple(slices))
    return ElementRule(
        id=str(element.get("id", element["path"])),
        path=str(element["path"]),
        name=last[:-3] if choice else last,
        choice=choice,
        minimum=int(element.get("min", 0)),
        maximum=_maximum(element.get("max", "*")),
        base_min=int(base.get("min", element.get("min", 0))),
        base_max=_maximum(base.get("max", element.get("max", "*"))),
        types=_types(element),
        fixed=_value_of(element, "fixed"),
        pattern=_value_of(element, "pattern"),
        max_length=element.get("maxLength"),
        binding=_binding(element),
        invariants=tuple(_invariant(c) for c in element.get("constraint", ()) if c.get("key") not in NATIVE_KEYS),
        children=tuple(_freeze(child) for child in draft.children),
        slicing=slicing,
        content_reference=element.get("contentReference"),
    )


def compile_profile(definition: dict[str, Any]) -> CompiledProfile:
    """Compile a StructureDefinition's snapshot into a rule tree (slices under their sliced element)."""
    elements = (definition.get("snapshot") or {}).get("element") or []
    if not elements:
        raise ConfigError(f"StructureDefinition {definition.get('url')} has no snapshot; carecheck needs snapshots")
    drafts: dict[str, _Draft] = {}
    root = _Draft(elements[0])
    drafts[str(elements[0].get("id", elements[0]["path"]))] = root
    for element in elements[1:]:
        identity = str(element.get("id", element["path"]))
        parent_id, _, last = identity.rpartition(".")
        draft = _Draft(element)
        drafts[identity] = draft
        sliced = f"{parent_id}.{last.split(':', 1)[0]}"
        if ":" in last and sliced in drafts and "sliceName" in element:
            drafts[sliced].slices.append(draft)
        elif parent_id in drafts:
            drafts[parent_id].children.append(draft)
    frozen = _freeze(root)
    by_path: dict[str, ElementRule] = {}
    _index(frozen, by_path)
    return CompiledProfile(str(definition.get("url", "")), str(definition.get("type", frozen.path)), frozen, by_path)


def _index(rule: ElementRule, into: dict[str, ElementRule]) -> None:
    into.setdefault(rule.path, rule)
    for child in rule.children:
        _index(child, into)


def _bundle(*parts: str) -> list[dict[str, Any]]:
    with data_path(*parts).open(encoding="utf-8") as file:
        return [entry["resource"] for entry in json.load(file)["entry"]]


class ProfileSet:
    """The known profiles, extension definitions and data types, all compiled when the set is built."""

    def __init__(self, definitions: list[dict[str, Any]], datatypes: list[dict[str, Any]], targets: dict[str, str]) -> None:
        self._profiles = {str(d["url"]): compile_profile(d) for d in definitions}
        self._datatypes = {str(d["type"]): compile_profile(d) for d in datatypes if d.get("derivation") != "constraint"}
        self.target_types = dict(targets)
        self._own_keys = {code: frozenset(i.key for i in dt.root.invariants) for code, dt in self._datatypes.items()}

    def invariants_for(self, rule: ElementRule, type_code: str) -> tuple[Invariant, ...]:
        """The rule's invariants that apply to an item of ``type_code``.

        A choice element's snapshot lists the constraints of all its types (``rat-1`` of Ratio on ``rate[x]``);
        an item of one type is not held to the constraints that only another of those types carries.
        """
        if len(rule.type_codes) < 2:
            return rule.invariants
        own = self._own_keys.get(type_code, frozenset())
        foreign = {key for code in rule.type_codes if code != type_code for key in self._own_keys.get(code, ())} - own
        return tuple(invariant for invariant in rule.invariants if invariant.key not in foreign)

    def urls(self) -> list[str]:
        return sorted(self._profiles)

    def get(self, url: str) -> CompiledProfile | None:
        """The compiled profile or extension definition at ``url`` (``|version`` ignored), None when not held."""
        return self._profiles.get(url.split("|", 1)[0])

    def datatype(self, type_code: str) -> CompiledProfile | None:
        """The compiled base definition of an STU3 complex data type (``Identifier``, ``Period``...)."""
        return self._datatypes.get(type_code)

    def careconnect_profile(self, resource_type: str) -> str | None:
        """The Care Connect profile URL for a resource type, when one of the held profiles is for it."""
        url = f"{CARECONNECT_BASE}CareConnect-{resource_type}-1"
        return url if url in self._profiles else None

    def invariant_counts(self) -> tuple[int, int]:
        """How many distinct invariants the profiles and data types carry: (evaluated, skipped as unsupported)."""
        found: dict[tuple[str, str], bool] = {}
        for compiled in (*self._profiles.values(), *self._datatypes.values()):
            for rule in compiled.by_path.values():
                for invariant in rule.invariants:
                    found[(invariant.key, invariant.expression)] = invariant.evaluate is not None
        evaluated = sum(found.values())
        return evaluated, len(found) - evaluated


@cache
def profile_set() -> ProfileSet:
    """The project's profiles (compiled lazily, each once)."""
    with data_path("profiles", "profile-types.json").open(encoding="utf-8") as file:
        targets = json.load(file)
    return ProfileSet(_bundle("profiles", "structuredefinitions.json"), _bundle("fhir-stu3", "datatypes.json"), targets)
