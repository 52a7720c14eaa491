"""Judging one resource against one compiled profile: a single walk of the instance guided by the rule tree.

At each element the walk checks the profile's own cardinality (only where it narrows the base), fixed and
pattern values, maxLength, allowed choice types, reference target types, required/extensible bindings and
invariants; it assigns repeated items to slices and counts them; it validates each extension against its own
definition. Elements the snapshot does not expand are checked against the STU3 data type definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carecheck.fhir.bindings import Membership, Terminology
from carecheck.fhir.definitions import is_resource_type
from carecheck.fhir.invariants import extension_shape_problem, violates
from carecheck.fhir.issues import Issue, RuleKind, Severity, shown
from carecheck.fhir.profiles import CompiledProfile, ProfileSet
from carecheck.fhir.rules import Binding, ElementRule, Slicing, reference_target_type
from carecheck.fhir.slicing import contains_pattern, slice_for

__all__ = ["check_profile"]

_EXTENSIONS = ("extension", "modifierExtension")
_CONTAINERS = ("BackboneElement", "Element")
_Item = tuple[str, Any, str, Any]
"""(location, value, type code, primitive extras) of one occurrence of an element in the instance."""


@dataclass
class _Walk:
    profiles: ProfileSet
    terminology: Terminology
    profile: CompiledProfile
    resource: dict[str, Any]
    resource_type: str
    references: dict[str, str]
    issues: list[Issue] = field(default_factory=list)

    def report(self, severity: Severity, kind: RuleKind, location: str, message: str) -> None:
        self.issues.append(Issue(severity, kind, location, message, self.resource_type, self.profile.url))


def check_profile(
    resource: dict[str, Any],
    profile: CompiledProfile,
    profiles: ProfileSet,
    terminology: Terminology,
    *,
    references: dict[str, str] | None = None,
) -> list[Issue]:
    """The issues ``resource`` has against ``profile``; ``references`` maps Bundle ``fullUrl``s to resource types."""
    resource_type = str(resource.get("resourceType", profile.type))
    walk = _Walk(profiles, terminology, profile, resource, resource_type, references or {})
    for invariant in profile.root.invariants:
        if violates(invariant, resource, resource_type, resource):
            _invariant_issue(walk, resource_type, invariant.key, invariant.human, invariant.severity)
    _children(walk, resource, profile.root, resource_type, profile)
    return walk.issues


def _items(node: dict[str, Any], rule: ElementRule, location: str) -> list[_Item]:
    if rule.choice:
        allowed = set(rule.type_codes)
        found: list[_Item] = []
        for key, value in node.items():
            suffix = key[len(rule.name) :]
            if key.startswith(rule.name) and suffix[:1].isupper():
                code = suffix if suffix in allowed else suffix[0].lower() + suffix[1:]
                found.extend(_occurrences(node, key, value, code, location))
        return found
    if rule.name not in node and "_" + rule.name not in node:
        return []
    code = rule.type_codes[0] if len(rule.type_codes) == 1 else ""
    return _occurrences(node, rule.name, node.get(rule.name), code, location)


def _occurrences(node: dict[str, Any], key: str, value: Any, code: str, location: str) -> list[_Item]:
    extras = node.get("_" + key)
    if isinstance(value, list) or isinstance(extras, list):
        values = value if isinstance(value, list) else []
        more = extras if isinstance(extras, list) else []
        count = max(len(values), len(more))
        return [(f"{location}.{key}[{i}]", values[i] if i < len(values) else None, code, more[i] if i < len(more) else None) for i in range(count)]
    return [(f"{location}.{key}", value, code, extras)]


def _children(walk: _Walk, node: dict[str, Any], rule: ElementRule, location: str, scope: CompiledProfile) -> None:
    for child in rule.children_in(node):  # an absent child has no items: only its absence can be an issue
        items = _items(node, child, location)
        _cardinality(walk, child, len(items), location)
        if child.choice:
            _choice_types(walk, child, items)
        if child.name in _EXTENSIONS:
            _extensions(walk, items, child, scope, f"{location}.{child.name}")
        elif child.slicing is not None:
            _sliced(walk, items, child, child.slicing, scope, f"{location}.{child.name}")
        else:
            for item in items:
                _item(walk, item, child, scope)


def _cardinality(walk: _Walk, rule: ElementRule, count: int, parent: str) -> None:
    """The profile's own cardinality of ``rule``'s element, found ``count`` times under ``parent``."""
    if count < rule.minimum and rule.minimum > rule.base_min:
        message = f"missing: the profile requires at least {rule.minimum} ({rule.id})"
        walk.report(Severity.ERROR, RuleKind.CARDINALITY, _element_location(parent, rule), message)
    if rule.maximum is not None and count > rule.maximum and (rule.base_max is None or rule.maximum < rule.base_max):
        allowed = "is not allowed by the profile" if rule.maximum == 0 else f"may occur at most {rule.maximum} time(s)"
        message = f"occurs {count} time(s); {allowed} ({rule.id})"
        walk.report(Severity.ERROR, RuleKind.CARDINALITY, _element_location(parent, rule), message)


def _element_location(parent: str, rule: ElementRule) -> str:
    return f"{parent}.{rule.name}{'[x]' if rule.choice else ''}"


def _choice_types(walk: _Walk, rule: ElementRule, items: list[_Item]) -> None:
    allowed = rule.type_codes
    for location, _value, code, _extras in items:
        if allowed and code not in allowed:
            message = f"type {code} is not allowed here; the profile allows {', '.join(allowed)}"
            walk.report(Severity.ERROR, RuleKind.TYPE, location, message)


def _item(walk: _Walk, item: _Item, rule: ElementRule, scope: CompiledProfile) -> None:
    location, value, code, extras = item
    if value is not None:
        _value_rules(walk, location, value, rule)
        if rule.binding is not None:
            _binding(walk, location, value, code, rule.binding)
        if code == "Reference" and isinstance(value, dict):
            _reference(walk, location, value, rule)
        for invariant in walk.profiles.invariants_for(rule, code):
            if violates(invariant, value, _type_path(rule, code), walk.resource):
                _invariant_issue(walk, location, invariant.key, invariant.human, invariant.severity)
    if isinstance(extras, dict) and rule.children:
        _children(walk, extras, rule, location, scope)
    if not isinstance(value, dict) or code == "Resource":
        return
    if rule.children:
        _children(walk, value, rule, location, scope)
    elif rule.content_reference is not None:
        target = scope.by_path.get(rule.content_reference.lstrip("#"))
        if target is not None:
            _children(walk, value, target, location, scope)
    elif (datatype := walk.profiles.datatype(code)) is not None:
        known = {invariant.key for invariant in rule.invariants}
        root = datatype.root
        for invariant in root.invariants:
            if invariant.key not in known and violates(invariant, value, code, walk.resource):
                _invariant_issue(walk, location, invariant.key, invariant.human, invariant.severity)
        _children(walk, value, root, location, datatype)


def _value_rules(walk: _Walk, location: str, value: Any, rule: ElementRule) -> None:
    if rule.fixed is not None and value != rule.fixed:
        message = f"is {shown(value)}; the profile fixes {shown(rule.fixed)} ({rule.id})"
        walk.report(Severity.ERROR, RuleKind.FIXED, location, message)
    if rule.pattern is not None and not contains_pattern(value, rule.pattern):
        message = f"does not match the profile's pattern {shown(rule.pattern)} ({rule.id})"
        walk.report(Severity.ERROR, RuleKind.FIXED, location, message)
    if rule.max_length is not None and isinstance(value, str) and len(value) > rule.max_length:
        message = f"is {len(value)} characters; the profile allows at most {rule.max_length}"
        walk.report(Severity.ERROR, RuleKind.LENGTH, location, message)


def _type_path(rule: ElementRule, code: str) -> str:
    if code and code not in _CONTAINERS:
        return code
    return rule.path


def _invariant_issue(walk: _Walk, location: str, key: str, human: str, severity: str) -> None:
    level = Severity.ERROR if severity == "error" else Severity.WARNING
    walk.report(level, RuleKind.INVARIANT, location, f"{key}: {human}")


def _codes(value: Any, code: str) -> list[tuple[str | None, str]] | None:
    if isinstance(value, str):
        return [(None, value)]
    if not isinstance(value, dict):
        return None
    if code == "CodeableConcept" or "coding" in value:
        coding = value.get("coding")
        codings = coding if isinstance(coding, list) else []
        return [(c.get("system"), str(c["code"])) for c in codings if isinstance(c, dict) and "code" in c]
    if "code" in value:
        return [(value.get("system"), str(value["code"]))]
    return None


def _binding(walk: _Walk, location: str, value: Any, code: str, binding: Binding) -> None:
    expansion = walk.terminology.expansion(binding.value_set)
    codes = _codes(value, code)
    if expansion is None or codes is None:
        return
    level = Severity.ERROR if binding.strength == "required" else Severity.WARNING
    strength, value_set = binding.strength, binding.value_set
    if not codes:
        walk.report(level, RuleKind.BINDING, location, f"has no code; the {strength} value set is {value_set}")
        return
    results = [expansion.contains(system, text) for system, text in codes]
    if Membership.IN in results:
        return
    listed = ", ".join(f"{system}|{text}" if system else shown(text) for system, text in codes)
    if Membership.UNKNOWN in results:
        message = f"cannot check {listed} against the {strength} value set {value_set} (its codes are not held locally)"
        walk.report(Severity.WARNING, RuleKind.BINDING, location, message)
        return
    walk.report(level, RuleKind.BINDING, location, f"{listed} is not in the {strength} value set {value_set}")


def _reference_type(reference: str, walk: _Walk) -> str | None:
    if reference in walk.references:
        return walk.references[reference]
    if reference.startswith("#"):
        contained = walk.resource.get("contained")
        for inner in contained if isinstance(contained, list) else []:
            if isinstance(inner, dict) and inner.get("id") == reference[1:]:
                return str(inner.get("resourceType"))
        return None
    parts = reference.split("/_history/", 1)[0].split("/")
    return parts[-2] if len(parts) >= 2 and is_resource_type(parts[-2]) else None


def _reference(walk: _Walk, location: str, value: dict[str, Any], rule: ElementRule) -> None:
    targets = [t.target_profile for t in rule.types if t.code == "Reference" and t.target_profile]
    allowed = {reference_target_type(url, walk.profiles.target_types) for url in targets}
    reference = value.get("reference")
    if not allowed or None in allowed or "Resource" in allowed or not isinstance(reference, str):
        return
    actual = _reference_type(reference, walk)
    if actual is not None and actual not in allowed:
        names = ", ".join(sorted(str(name) for name in allowed))
        message = f"refers to a {actual}; the profile allows {names}"
        walk.report(Severity.ERROR, RuleKind.TYPE, f"{location}.reference", message)


def _sliced(walk: _Walk, items: list[_Item], rule: ElementRule, slicing: Slicing, scope: CompiledProfile, location: str) -> None:
    counts = {piece.name: 0 for piece in slicing.slices}
    for item in items:
        piece = slice_for(item[1], slicing)
        if piece is None:
            if slicing.closed:
                message = f"matches none of the slices of {rule.id}, and the slicing is closed"
                walk.report(Severity.ERROR, RuleKind.SLICE, item[0], message)
            _item(walk, item, rule, scope)
        else:
            counts[piece.name] += 1
            _item(walk, item, piece.rule, scope)
    _slice_counts(walk, slicing, counts, location)


def _slice_counts(walk: _Walk, slicing: Slicing, counts: dict[str, int], location: str) -> None:
    for piece in slicing.slices:
        count, low, high = counts[piece.name], piece.rule.minimum, piece.rule.maximum
        found = f"slice '{piece.name}' has {count} item(s)"
        if count < low:
            message = f"{found}; the profile requires at least {low} ({piece.rule.id})"
            walk.report(Severity.ERROR, RuleKind.SLICE, location, message)
        if high is not None and count > high:
            message = f"{found}; the profile allows at most {high} ({piece.rule.id})"
            walk.report(Severity.ERROR, RuleKind.SLICE, location, message)


def _extensions(walk: _Walk, items: list[_Item], rule: ElementRule, scope: CompiledProfile, location: str) -> None:
    slicing = rule.slicing or Slicing(("url",), "open", ())
    counts = {piece.name: 0 for piece in slicing.slices}
    for item in items:
        where, value, _code, _extras = item
        if not isinstance(value, dict):
            continue
        if (problem := extension_shape_problem(value)) is not None:
            walk.report(Severity.ERROR, RuleKind.INVARIANT, where, problem)
        url = str(value.get("url", ""))
        piece = slice_for(value, slicing)
        if piece is not None:
            counts[piece.name] += 1
        elif rule.slicing is not None:
            level = Severity.ERROR if slicing.closed else Severity.WARNING
            walk.report(level, RuleKind.EXTENSION, where, f"extension {url} is not defined by the profile at {rule.id}")
        definition = walk.profiles.get((piece.rule.extension_profile or url) if piece else url)
        if definition is not None:
            _item(walk, (where, value, "Extension", None), definition.root, definition)
        elif piece is not None:
            _item(walk, item, piece.rule, scope)
    _slice_counts(walk, slicing, counts, location)
