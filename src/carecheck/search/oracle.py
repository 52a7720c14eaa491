"""The search oracle: whether a resource satisfies a search criterion under STU3 rules, from the resource alone.

The harness judges the soundness of a server's search with it (every returned resource must match every
criterion) and, with known resources, completeness. Element values are pulled with fhirpathpy on the
STU3 model using each parameter's STU3 expression. Independent of ``carecheck.refserver`` by design.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models

from carecheck.search.comparison import (
    Where,
    compare_date_values,
    compare_string_values,
    compare_token_values,
    compare_uri_values,
    plural,
    render,
)
from carecheck.search.criteria import (
    Criterion,
    ReferenceValue,
    Search,
    SearchSyntaxError,
    chain_targets,
    parse_criterion,
    parse_reference_value,
)
from carecheck.search.decision import Decision, all_of, any_of
from carecheck.search.registry import SearchParameter, SearchRegistry, UnknownSearchParameter, default_registry

__all__ = ["Resolver", "chained_references", "extract", "matches", "matches_search"]

Resolver = Callable[[str], Mapping[str, Any] | None]
"""Fetches a referenced resource by ``"Type/id"`` (e.g. ``"Patient/123"``), or None if it cannot."""

_STU3 = models["stu3"]
_FUNCTION = re.compile(r"\.(where|as|is|ofType|exists)\(.*")


def matches(
    resource: Mapping[str, Any],
    criterion: Criterion,
    *,
    registry: SearchRegistry | None = None,
    resolve: Resolver | None = None,
) -> Decision:
    """Whether ``resource`` satisfies ``criterion`` (its values ORed), with the reason.

    ``resolve`` is needed only for chained criteria. Raises UnknownSearchParameter (a KeyError) if the
    criterion names no parameter of the resource's type: that is a caller's mistake, not a server's.
    """
    registry = registry or default_registry()
    parameter = registry.parameter(str(resource.get("resourceType")), criterion.name)
    where = Where(_label(parameter), _subject(resource))
    if parameter.expression is None:
        return Decision.unknown(f"STU3 gives {parameter.name} no FHIRPath expression, so it is not judged")
    try:
        elements: list[object] = _compiled(parameter.expression)(resource)
    except Exception as error:  # fhirpathpy raises many types on odd input; it must not stop a run
        return Decision.unknown(f"FHIRPath {parameter.expression} failed on {where.subject}: {error}")
    if criterion.modifier == "missing":
        return _missing(criterion, elements, where)
    if criterion.chain is not None:
        return _chained(criterion, parameter, elements, where, registry=registry, resolve=resolve)
    kind = parameter.type
    if kind == "string":
        return compare_string_values(criterion, elements, where)
    if kind == "token":
        return compare_token_values(criterion, elements, where)
    if kind == "date":
        return compare_date_values(criterion, elements, where, instant=_is_instant(parameter.expression))
    if kind == "reference":
        return _references(criterion, parameter, elements, where)
    if kind == "uri":
        return compare_uri_values(criterion, elements, where)
    return Decision.unknown(f"{kind} parameters such as {parameter.name} are not judged by the oracle yet")


def matches_search(
    resource: Mapping[str, Any],
    search: Search,
    *,
    registry: SearchRegistry | None = None,
    resolve: Resolver | None = None,
) -> Decision:
    """Whether ``resource`` satisfies every criterion of ``search`` (AND), with the reasons."""
    if resource.get("resourceType") != search.resource_type:
        kind = resource.get("resourceType")
        raise ValueError(f"a {kind} cannot be judged against a {search.resource_type} search")
    decisions = (
        _prefixed(f"{criterion.key}={criterion.value}", matches(resource, criterion, registry=registry, resolve=resolve)) for criterion in search.criteria
    )
    return all_of(decisions, empty=Decision.match("the search has no criteria, so every resource matches"))


def extract(resource: Mapping[str, Any], parameter: SearchParameter) -> list[object]:
    """The elements of `resource` that `parameter` searches (its STU3 FHIRPath), [] if none or unevaluable."""
    if parameter.expression is None:
        return []
    try:
        return _compiled(parameter.expression)(resource)
    except Exception:  # fhirpathpy raises many types on odd input; a caller wants values, not a crash
        return []


def chained_references(resource: Mapping[str, Any], search: Search, *, registry: SearchRegistry | None = None) -> list[ReferenceValue]:
    """The references judging ``search``'s chained criteria on ``resource`` must follow (``patient.identifier=``
    reads the Patient the resource's patient element points at): literal, of a type the chain can continue
    into; contained (``#``) references are left out. In the order found, each once."""
    registry = registry or default_registry()
    found: dict[str, ReferenceValue] = {}
    for criterion in search.criteria:
        if criterion.chain is None or resource.get("resourceType") != search.resource_type:
            continue
        parameter = registry.parameter(search.resource_type, criterion.name)
        targets = chain_targets(parameter, criterion, registry)
        for element in extract(resource, parameter):
            target = _reference_of(element)
            if target is not None and target.type in targets and target.id is not None and not target.text.startswith("#"):
                found.setdefault(target.text, target)
    return list(found.values())


@functools.cache
def _compiled(expression: str) -> Callable[[Mapping[str, Any]], list[object]]:
    """fhirpathpy's compiled evaluator, built once per expression (a pure function of the text)."""
    evaluator = compile_fhirpath(expression, _STU3)
    return lambda resource: list(evaluator(resource, {}))


def _missing(criterion: Criterion, elements: Sequence[object], where: Where) -> Decision:
    decisions = []
    for value in criterion.values:
        has = f"{where.subject} {_has(elements, where)}, so :missing={value}"
        if (value == "true") == (not elements):
            decisions.append(Decision.match(f"{has} matches"))
        else:
            decisions.append(Decision.no_match(f"{has} does not"))
    return any_of(decisions, empty=Decision.no_match("no :missing value"))


def _has(elements: Sequence[object], where: Where) -> str:
    return f"has {where.label} {render(elements)}" if elements else f"has no {where.label}"


def _references(criterion: Criterion, parameter: SearchParameter, elements: Sequence[object], where: Where) -> Decision:
    """``[id]``, ``[type]/[id]``, absolute URL, or ``:[type]`` + id (STU3 search.html §2.1.1.8)."""
    allowed = _allowed_types(criterion, parameter)
    wanted = criterion.references()
    for element in elements:
        target = _reference_of(element)
        if target is None:
            continue
        for value in wanted:
            same, note = _same_reference(value, target, allowed)
            if same:
                return Decision.match(f"{where.label} {target.text} of {where.subject} refers to {value.text}{note}")
    values = " or ".join(value.text for value in wanted)
    kinds = f" (a {' or '.join(allowed)})" if criterion.modifier in parameter.targets else ""
    return Decision.no_match(f"no {where.label} of {where.subject} refers to {values}{kinds}; {plural(where.label)}: {render(elements)}")


def _same_reference(value: ReferenceValue, target: ReferenceValue, allowed: tuple[str, ...]) -> tuple[bool, str]:
    if value.id is None or target.id is None:
        return value.text == target.text, ""
    if value.id != target.id:
        return False, ""
    if (value.type and target.type != value.type) or (allowed and target.type not in allowed):
        return False, ""
    if value.base and target.base:
        return value.base.rstrip("/") == target.base.rstrip("/"), ""
    if value.base or target.base:
        base = value.base or target.base
        return True, f" (same type and id; {base} is taken to be this server's base)"
    return True, ""


def _chained(
    criterion: Criterion,
    parameter: SearchParameter,
    elements: Sequence[object],
    where: Where,
    *,
    registry: SearchRegistry,
    resolve: Resolver | None,
) -> Decision:
    """``patient.identifier=…``: the chained criterion, judged on each referenced resource."""
    if resolve is None:
        return Decision.unknown(f"{criterion.key} is chained: judging it needs the referenced resource and no resolver was given")
    targets = chain_targets(parameter, criterion, registry)
    chain = criterion.chain or ""
    decisions: list[Decision] = []
    for element in elements:
        target = _reference_of(element)
        if target is None or target.type not in targets or target.id is None:
            if target is not None and target.text.startswith("#"):
                decisions.append(Decision.unknown(f"{where.label} {target.text} is a contained reference"))
            continue
        key = f"{target.type}/{target.id}"
        referenced = resolve(key)
        if referenced is None:
            decisions.append(Decision.unknown(f"{where.label} {key} of {where.subject} could not be resolved"))
            continue
        if referenced.get("resourceType") != target.type:
            decisions.append(Decision.unknown(f"resolving {key} gave a {referenced.get('resourceType')}"))
            continue
        try:
            chained = parse_criterion(target.type, chain, criterion.value, registry=registry)
        except UnknownSearchParameter:
            decisions.append(Decision.no_match(f"{target.type} has no search parameter {chain!r}"))
            continue
        decision = matches(referenced, chained, registry=registry, resolve=resolve)
        decisions.append(_prefixed(f"{where.label} {key}", decision))
    empty = Decision.no_match(f"no {where.label} of {where.subject} refers to a {' or '.join(targets)}")
    return any_of(decisions, empty=empty)


def _allowed_types(criterion: Criterion, parameter: SearchParameter) -> tuple[str, ...]:
    return (criterion.modifier,) if criterion.modifier in parameter.targets else parameter.targets


def _reference_of(element: object) -> ReferenceValue | None:
    """The literal reference of a Reference element (None if it has only an identifier or display)."""
    if not isinstance(element, Mapping) or not isinstance(element.get("reference"), str):
        return None
    text = element["reference"]
    try:
        return parse_reference_value(text.replace("\\", "\\\\"))
    except SearchSyntaxError:
        return ReferenceValue(None, None, None, text)


def _prefixed(prefix: str, decision: Decision) -> Decision:
    return Decision(decision.outcome, f"{prefix}: {decision.reason}")


def _subject(resource: Mapping[str, Any]) -> str:
    resource_type = resource.get("resourceType", "resource")
    return f"{resource_type}/{resource['id']}" if resource.get("id") else f"{resource_type} (no id)"


def _label(parameter: SearchParameter) -> str:
    """The element a reason talks about: ``Patient.birthDate`` → ``birthDate``."""
    labels: list[str] = []
    for part in (parameter.expression or parameter.name).split(" | "):
        label = _FUNCTION.sub("", part).rsplit(".", 1)[-1]
        if label not in labels:
            labels.append(label)
    return " or ".join(labels)


@functools.cache
def _is_instant(expression: str) -> bool:
    """Whether a plain path ends at an element of type instant (``Meta.lastUpdated``), from the STU3 model."""
    if any(char in expression for char in "(|"):
        return False
    path2type: Mapping[str, str] = _STU3["path2Type"]
    segments = expression.split(".")
    current, kind = segments[0], None
    for segment in segments[1:]:
        kind = path2type.get(f"{current}.{segment}")
        current = kind if kind is not None and kind[0].isupper() else f"{current}.{segment}"
    return kind == "instant"
