"""Hypothesis strategies for STU3 searches built from the target's own records.

Every value comes from a real resource (a name, a code, a date, a reference the target returned), then
takes one of the forms STU3 allows: string prefixes, case changes, ``:exact`` and ``:contains``; token
``code``, ``system|code``, ``system|``, ``|code`` and ``:not``; dates at every precision, a day or two
either side, under every prefix; references by id, ``Type/id``, ``:Type`` and URL; ``:missing``; and
OR lists. ``malformed_criteria`` builds what no server should accept and none should crash on.

    space = SearchSpace("Observation", base=(("patient", "Patient/1"),), records=(observation,))
    searches(space)            # (("patient", "Patient/1"), ("date", "ge2018-11"), ("code", "http://snomed.info/sct|86290005"))

Shrinking goes towards the first parameter, the first value, the coarsest precision and the plainest
form, so a failure shrinks to a short query a tester can read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from carecheck.search.comparison import string_parts
from carecheck.search.oracle import extract
from carecheck.search.registry import SearchParameter, SearchRegistry, default_registry
from carecheck.search.space import Query, SearchSpace

__all__ = [
    "Query",
    "SearchSpace",
    "criteria",
    "date_boundaries",
    "date_parameters",
    "escape",
    "malformed_criteria",
    "page_sizes",
    "searches",
]

_T = TypeVar("_T")

_PRECISIONS = (4, 7, 10, None)
"""Year, month, day, and the value as the record has it."""
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def escape(text: str) -> str:
    """A value with the STU3 search escapes applied (``\\``, ``,``, ``|`` and ``$``)."""
    for char in ("\\", ",", "|", "$"):
        text = text.replace(char, "\\" + char)
    return text


def _values(space: SearchSpace, parameter: SearchParameter) -> list[object]:
    return [element for record in space.records for element in extract(record, parameter)]


def _pick(options: Sequence[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(options)) if options else st.nothing()


def _unique(items: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


# -- strings --------------------------------------------------------------------------------------


def _strings(name: str, elements: Sequence[object]) -> st.SearchStrategy[tuple[str, str]]:
    parts = _unique(part for element in elements for part in string_parts(element) if part.strip())
    if not parts:
        return st.nothing()

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        text = draw(_pick(parts))
        form = draw(st.sampled_from(("prefix", "value", "case", "exact", "contains", "or", "other")))
        if form == "prefix":
            return name, escape(text[: draw(st.integers(1, len(text)))])
        if form == "value":
            return name, escape(text)
        if form == "case":
            return name, escape(draw(st.sampled_from((text.lower(), text.upper(), text.swapcase()))))
        if form == "exact":
            return f"{name}:exact", escape(draw(st.sampled_from((text, text.lower()))))
        if form == "contains":
            start = draw(st.integers(0, len(text) - 1))
            return f"{name}:contains", escape(text[start : draw(st.integers(start + 1, len(text)))])
        if form == "or":
            return name, f"{escape(text)},{escape(draw(_pick(parts)))}"
        return name, draw(st.text(_ALPHABET, min_size=1, max_size=6))

    return build()


# -- tokens ---------------------------------------------------------------------------------------


def _codes(element: object) -> list[tuple[str | None, str]]:
    """(system, code) pairs of a Coding, CodeableConcept, Identifier, ContactPoint, code or boolean; a bare
    code's system is "" (implicit: its value set's), a Coding's without one None."""
    if isinstance(element, bool):
        return [("", "true" if element else "false")]
    if isinstance(element, str):
        return [("", element)]
    if not isinstance(element, Mapping):
        return []
    if isinstance(element.get("coding"), list):
        return [pair for coding in element["coding"] for pair in _codes(coding)]
    code = element.get("code", element.get("value"))
    system = element.get("system")
    if not isinstance(code, str):
        return []
    return [(system if isinstance(system, str) else None, code)]


def _tokens(name: str, elements: Sequence[object]) -> st.SearchStrategy[tuple[str, str]]:
    pairs = _unique(pair for element in elements for pair in _codes(element))
    if not pairs:
        return st.nothing()

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        system, code = draw(_pick(pairs))
        form = draw(st.sampled_from(("code", "system|code", "system|", "|code", "not", "or", "other")))
        if form == "system|code" and system:
            return name, f"{escape(system)}|{escape(code)}"
        if form == "system|" and system:
            return name, f"{escape(system)}|"
        if form == "|code" and system is None:
            return name, f"|{escape(code)}"
        if form == "not":
            return f"{name}:not", escape(code)
        if form == "or":
            other = draw(_pick(pairs))[1]
            return name, f"{escape(code)},{escape(other)}"
        if form == "other":
            return name, draw(st.text(_ALPHABET, min_size=1, max_size=6))
        return name, escape(code)

    return build()


# -- dates ----------------------------------------------------------------------------------------


def _date_texts(element: object) -> list[str]:
    if isinstance(element, str):
        return [element]
    if isinstance(element, Mapping):
        texts = [element.get("start"), element.get("end"), *(element.get("event") or [])]
        return [text for text in texts if isinstance(text, str)]
    return []


def _at_precision(text: str, precision: int | None, shift: int) -> str | None:
    """`text` cut to a precision (4, 7, 10 characters or whole), a day shifted at day precision."""
    if len(text) < 4 or not text[:4].isdigit():
        return None
    if precision is None:
        return text
    if len(text) < precision:
        return None
    cut = text[:precision]
    if precision == 10 and shift:
        try:
            return (dt.date.fromisoformat(cut) + dt.timedelta(days=shift)).isoformat()
        except (ValueError, OverflowError):
            return None
    return cut


def _dates(parameter: SearchParameter, elements: Sequence[object]) -> st.SearchStrategy[tuple[str, str]]:
    texts = _unique(text for element in elements for text in _date_texts(element))
    prefixes = parameter.comparators or ("eq",)
    if not texts:
        return st.nothing()

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        value = draw(_boundary(texts))
        prefix = draw(st.sampled_from(("", *prefixes)))
        return parameter.name, prefix + value

    return build()


def _boundary(texts: Sequence[str]) -> st.SearchStrategy[str]:
    """A date taken from a record at some precision (a day either side at day precision)."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(_pick(texts))
        precision = draw(st.sampled_from(_PRECISIONS))
        shift = draw(st.sampled_from((0, -1, 1, -2, 2))) if precision == 10 else 0
        value = _at_precision(text, precision, shift)
        return value if value is not None else text[:4]

    return build()


def date_parameters(space: SearchSpace, registry: SearchRegistry | None = None) -> tuple[SearchParameter, ...]:
    """The date parameters of the space for which its records hold at least one value."""
    return tuple(
        parameter for parameter in space.searchable(registry) if parameter.type == "date" and any(_date_texts(element) for element in _values(space, parameter))
    )


def date_boundaries(space: SearchSpace, registry: SearchRegistry | None = None) -> st.SearchStrategy[tuple[str, str]]:
    """(date parameter, a date value without prefix) from the records' own dates, at every precision."""
    options = []
    for parameter in date_parameters(space, registry):
        texts = _unique(text for element in _values(space, parameter) for text in _date_texts(element))
        options.append(st.tuples(st.just(parameter.name), _boundary(texts)))
    return st.one_of(options) if options else st.nothing()


# -- references -----------------------------------------------------------------------------------


def _references(parameter: SearchParameter, elements: Sequence[object], base_url: str) -> st.SearchStrategy[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for element in elements:
        reference = element.get("reference") if isinstance(element, Mapping) else None
        if not isinstance(reference, str) or reference.startswith("#") or "/" not in reference:
            continue
        kind, _, identity = reference.split("/_history/")[0].rstrip("/").rpartition("/")
        found.append((kind.rsplit("/", 1)[-1], identity))
    pairs = _unique(found)
    if not pairs:
        return st.nothing()
    name = parameter.name

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        kind, identity = draw(_pick(pairs))
        forms = ["type/id", "id", "typed"] + (["url"] if base_url else [])
        form = draw(st.sampled_from(forms))
        if form == "id":
            return name, identity
        if form == "typed" and kind in parameter.targets:
            return f"{name}:{kind}", identity
        if form == "url":
            return name, f"{base_url.rstrip('/')}/{kind}/{identity}"
        return name, f"{kind}/{identity}"

    return build()


# -- criteria and searches ------------------------------------------------------------------------


def _criterion(space: SearchSpace, parameter: SearchParameter) -> st.SearchStrategy[tuple[str, str]]:
    elements = _values(space, parameter)
    missing = st.tuples(st.just(f"{parameter.name}:missing"), st.sampled_from(("false", "true")))
    if parameter.type == "string":
        built = _strings(parameter.name, elements)
    elif parameter.type == "token":
        built = _tokens(parameter.name, elements)
    elif parameter.type == "date":
        built = _dates(parameter, elements)
    else:
        built = _references(parameter, elements, space.base_url)
    if built.is_empty:
        return missing
    return st.integers(0, 4).flatmap(lambda roll: missing if roll == 4 else built)


def criteria(space: SearchSpace, registry: SearchRegistry | None = None) -> st.SearchStrategy[tuple[str, str]]:
    """One valid criterion from a real value of one of the space's parameters (or `:missing`)."""
    usable = [p for p in space.searchable(registry) if _values(space, p)]
    if not usable:
        return st.nothing()
    return st.sampled_from(usable).flatmap(lambda parameter: _criterion(space, parameter))


def searches(space: SearchSpace, *, min_criteria: int = 1, max_criteria: int = 2, registry: SearchRegistry | None = None) -> st.SearchStrategy[Query]:
    """The base criteria followed by generated ones (repeats are ANDed, as STU3 says)."""
    generated = st.lists(criteria(space, registry), min_size=min_criteria, max_size=max_criteria)
    return generated.map(lambda chosen: (*space.base, *chosen))


def page_sizes() -> st.SearchStrategy[int]:
    """`_count` values worth paging by: small enough that a patient's records take several pages."""
    return st.integers(1, 5)


# -- malformed input ------------------------------------------------------------------------------

_BAD_DATES = (
    "2020-13-01", "2020-02-30", "2021-02-29", "2020-00-10", "2020-1-1", "20201", "-2020", "0000", "1e10",
    "2020/01/01", "2020-01-01T25:00", "2020-01-01T10", "2020-01-01T10:00+99:00", "2020-01-01T10:00:00ZZ",
    "2020-01-01T10:00:00.", "１９２７", "null", "ge", "xx2020-01-01", "gt2020-13", "ge2020-01-01,lt",
)  # fmt: skip
_BAD_TOKENS = ("a|b|c", "|", "||", "\\", "system|code|", "\\|\\")
_BAD_REFERENCES = ("Patient/", "/", "http://", "Foo/1", "Patient/a/b/c", "a b", "Patient/../x")
_BAD_MODIFIERS = ("nonsense", "exact", "contains", "not", "text", "below", "above", "in", "not-in", "Practitioner", "missing")
_BAD_CONTROLS = (
    ("_count", "-1"), ("_count", "abc"), ("_count", "1.5"), ("_count", "99999999999"), ("_count", ""),
    ("_sort", "nonsense"), ("_include", "Nonsense:nothing"), ("_include", "*:*"), ("_revinclude", ":"),
    ("_summary", "nonsense"), ("_elements", ",,"), ("_format", "text/html"), ("_id", ""),
)  # fmt: skip
_NAMES = ("carecheck-unknown", "_carecheck", "patient.nonsense", "patient:Practitioner.name", "", "family.given")


def _junk(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text at all: controls, combining marks, emoji, escapes (no lone surrogates, which URLs cannot carry)."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size)


def malformed_criteria(space: SearchSpace, registry: SearchRegistry | None = None) -> st.SearchStrategy[tuple[str, str]]:
    """A criterion no server should accept as sent, and none should answer with a 5xx."""
    parameters = list(space.searchable(registry)) or list((registry or default_registry()).parameters(space.resource_type))
    date_names = [p.name for p in parameters if p.type == "date"]
    token_names = [p.name for p in parameters if p.type == "token"]
    reference_names = [p.name for p in parameters if p.type == "reference"]
    names = [p.name for p in parameters]
    options: list[st.SearchStrategy[tuple[str, str]]] = [
        st.tuples(_pick(names), _junk()),
        st.tuples(_pick(names), st.text(st.characters(exclude_categories=["Cs"]), min_size=200, max_size=600)),
        st.tuples(st.tuples(_pick(names), st.sampled_from(_BAD_MODIFIERS)).map(":".join), st.sampled_from(("maybe", "x", ""))),
        st.tuples(st.sampled_from(_NAMES), _junk(10)),
        st.sampled_from(_BAD_CONTROLS),
    ]
    if date_names:
        options.append(st.tuples(_pick(date_names), st.sampled_from(_BAD_DATES)))
        options.append(st.tuples(_pick(date_names), st.tuples(st.sampled_from(("", "ge", "xx", "lt")), st.text("0123456789-:T+Z.", max_size=25)).map("".join)))
    if token_names:
        options.append(st.tuples(_pick(token_names), st.sampled_from(_BAD_TOKENS)))
    if reference_names:
        options.append(st.tuples(_pick(reference_names), st.sampled_from(_BAD_REFERENCES)))
    return st.one_of(options)
