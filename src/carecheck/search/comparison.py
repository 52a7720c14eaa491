"""How one resource's element values compare with a criterion's values, per STU3 parameter type.

Each function gets the values a parameter's FHIRPath pulled from the resource and returns a Decision
whose reason names the element, the resource and what was compared. Rules: STU3 search.html §2.1.1.4
(date), §2.1.1.5 (string), §2.1.1.6 (uri), §2.1.1.7 (token).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from carecheck.search.criteria import Criterion, TokenValue
from carecheck.search.dates import DateRange, compare_dates, date_rule, instant_range, parse_date_range, period_range, why_undecided
from carecheck.search.decision import Decision, Outcome, any_of

__all__ = [
    "Element",
    "Where",
    "compare_date_values",
    "compare_string_values",
    "compare_token_values",
    "compare_uri_values",
    "normalise",
    "plural",
    "render",
    "string_parts",
]

Element = object
"""A value as FHIRPath returns it from a JSON resource: str, bool, number or dict."""

_STRING_PARTS = ("family", "given", "prefix", "suffix", "line", "city", "district", "state", "postalCode", "country", "text")
_CONTACT_SYSTEMS = frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"})


@dataclass(frozen=True, slots=True)
class Where:
    """What a reason talks about: the element (``birthDate``) and the resource (``Patient/x``)."""

    label: str
    subject: str


def compare_string_values(criterion: Criterion, elements: Sequence[Element], where: Where) -> Decision:
    """Default: starts with, ignoring case and accents; ``:exact``: whole string, exactly; ``:contains``."""
    searched = criterion.strings()
    exact = criterion.modifier == "exact"
    if exact:
        verb, note = "is exactly", "(case- and accent-sensitive)"
        test: Callable[[str, str], bool] = str.__eq__
        wanted = searched
    else:
        verb = "contains" if criterion.modifier == "contains" else "starts with"
        note = "(case- and accent-insensitive)"
        test = str.__contains__ if criterion.modifier == "contains" else str.startswith
        wanted = tuple(normalise(text) for text in searched)
    for element in elements:
        for part in string_parts(element):
            candidate = part if exact else normalise(part)
            for shown, text in zip(searched, wanted, strict=True):
                if test(candidate, text):
                    return Decision.match(f'{where.label} of {where.subject} {verb} "{shown}" {note}: {part}')
    quoted = " or ".join(f'"{text}"' for text in searched)
    if not exact:
        for element in elements:
            for shown, text in zip(searched, wanted, strict=True):
                if _words_spread_over_parts(element, text, test):
                    return Decision.undecidable(
                        f'the words of "{shown}" each match a different part of {where.label} {render([element])} of '
                        f"{where.subject}; STU3 leaves a search across the parts of one {where.label} to the server"
                    )
    return Decision.no_match(f"no {where.label} of {where.subject} {verb} {quoted} {note}; {plural(where.label)}: {render(elements)}")


def _words_spread_over_parts(element: Element, text: str, test: Callable[[str, str], bool]) -> bool:
    """``name=bernie kanfeld`` against given Bernie + family Kanfeld: a server-defined search may match."""
    words = text.split()
    if len(words) < 2 or not isinstance(element, dict):
        return False
    parts = [normalise(part) for part in string_parts(element)]
    return all(any(test(part, word) for part in parts) for word in words)


def plural(label: str) -> str:
    """``name`` → ``names``, ``family`` → ``families`` (for reasons)."""
    if label.endswith("y") and label[-2:-1] not in ("a", "e", "o", "u"):
        return label[:-1] + "ies"
    return label + ("es" if label.endswith("s") else "s")


def compare_token_values(criterion: Criterion, elements: Sequence[Element], where: Where) -> Decision:
    """Token forms ``code``, ``system|code``, ``|code``, ``system|``, with ``:text`` and ``:not``.

    ``:not`` with several values matches when none of them matches (the negation of their OR), and a
    resource without the element matches it.
    """
    if criterion.modifier in ("above", "below", "in", "not-in"):
        return Decision.unknown(f":{criterion.modifier} needs the terminology server's code hierarchy or value sets, which carecheck does not have")
    if criterion.modifier == "text":
        texts = [text for element in elements for text in _token_texts(element)]
        as_string = Criterion(criterion.name, None, criterion.values, None, criterion.key, criterion.value)
        return compare_string_values(as_string, texts, Where(f"{where.label} text", where.subject))
    positive = _any_token(criterion.tokens(), elements, where)
    if criterion.modifier != "not":
        return positive
    if positive.outcome in (Outcome.UNDECIDABLE, Outcome.UNKNOWN):
        return positive
    if positive.outcome is Outcome.MATCH:
        return Decision.no_match(f"{positive.reason}, so :not={criterion.value} does not match")
    return Decision.match(f"{positive.reason}, so :not={criterion.value} matches")


def compare_date_values(criterion: Criterion, elements: Sequence[Element], where: Where, *, instant: bool) -> Decision:
    """Each search range against each element's range under the value's prefix (see ``dates``); every reason
    states the ranges compared and what the prefix asks of them."""
    searched = criterion.dates()
    undecided: list[str] = []
    unknown: list[str] = []
    compared: list[str] = []
    for element in elements:
        try:
            target = _date_range(element, instant=instant)
        except ValueError as error:
            unknown.append(f"{where.label} of {where.subject} is not a date: {error}")
            continue
        if target is None:
            unknown.append(f"{where.label} of {where.subject} is a Timing with no event dates: {render([element])}")
            continue
        for value in searched:
            result = compare_dates(value.prefix, value.range, target)
            ranges = f"{where.label} {target.text} ({target.describe()}) against {value.text} ({value.range.describe()})"
            if result is True:
                return Decision.match(f"{ranges}: {value.prefix} matches, as {date_rule(value.prefix)}")
            if result is None:
                undecided.append(f"{ranges}: {why_undecided(value.prefix, value.range, target)}")
            else:
                compared.append(f"{ranges}: {value.prefix} asks that {date_rule(value.prefix)}")
    if unknown:
        return Decision.unknown("; ".join(unknown + undecided))
    if undecided:
        return Decision.undecidable("; ".join(undecided))
    if not elements:
        return Decision.no_match(f"{where.subject} has no {where.label}")
    return Decision.no_match("no match: " + "; ".join(compared))


def compare_uri_values(criterion: Criterion, elements: Sequence[Element], where: Where) -> Decision:
    """Exact match; ``:below`` = the element starts with the value, ``:above`` = the value starts with it."""
    tests: dict[str | None, Callable[[str, str], bool]] = {
        None: str.__eq__,
        "below": str.startswith,
        "above": lambda element, value: value.startswith(element),
    }
    test = tests[criterion.modifier]
    for element in elements:
        for value in criterion.strings():
            if isinstance(element, str) and test(element, value):
                return Decision.match(f"{where.label} {element} of {where.subject} matches {criterion.key}={value}")
    return Decision.no_match(f"no {where.label} of {where.subject} matches {criterion.key}={criterion.value}; {plural(where.label)}: {render(elements)}")


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: casefold, NFKD, combining marks dropped (``Antić`` → ``antic``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def string_parts(element: Element) -> list[str]:
    """The strings a string search looks at: HumanName and Address parts, else every string inside."""
    if isinstance(element, str):
        return [element]
    if not isinstance(element, dict):
        return []
    named = [part for key in _STRING_PARTS for part in _strings(element.get(key))]
    return named or _strings(element)


def render(elements: Sequence[Element]) -> str:
    """Elements as a tester reads them: ``Meakin Mike``, ``http://snomed.info/sct|123``, ``Patient/1``."""
    if not elements:
        return "(none)"
    return ", ".join(_render_one(element) for element in elements)


def _render_one(element: Element) -> str:
    if isinstance(element, bool):
        return "true" if element else "false"
    if not isinstance(element, dict):
        return str(element) if isinstance(element, str | int | float) else json.dumps(element, ensure_ascii=False, default=str)
    if "reference" in element or ("display" in element and "code" not in element):
        return str(element.get("reference") or element.get("display"))
    if "coding" in element:
        codings = " ".join(_render_one(coding) for coding in element["coding"])
        return codings or str(element.get("text", ""))
    if "code" in element or "value" in element:
        code = element.get("code", element.get("value"))
        return f"{element['system']}|{code}" if "system" in element else str(code)
    if "start" in element or "end" in element:
        return f"{element.get('start', '(open)')}..{element.get('end', '(ongoing)')}"
    parts = [part for key in _STRING_PARTS[:-1] for part in _strings(element.get(key))]
    text = element.get("text")
    return " ".join(parts) or (text if isinstance(text, str) else json.dumps(element, ensure_ascii=False, default=str))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []


def _any_token(tokens: Sequence[TokenValue], elements: Sequence[Element], where: Where) -> Decision:
    open_: list[Decision] = []
    for element in elements:
        for token in tokens:
            result, why = _token_matches(token, element)
            if result is True:
                return Decision.match(f"{where.label} {_render_one(element)} of {where.subject} matches {token.text}")
            if isinstance(result, Outcome):
                open_.append(Decision(result, f"{where.label} {_render_one(element)} of {where.subject} vs {token.text}: {why}"))
    wanted = " or ".join(token.text for token in tokens)
    no_match = Decision.no_match(f"no {where.label} of {where.subject} matches {wanted}; {plural(where.label)}: {render(elements)}")
    return any_of(open_, empty=no_match) if open_ else no_match


_Result = bool | Outcome
"""True, False, or why neither: UNDECIDABLE (left to the server) or UNKNOWN (the oracle cannot tell)."""


def _token_matches(token: TokenValue, element: Element) -> tuple[_Result, str]:
    """One token against one element; the reason string explains an open result."""
    if isinstance(element, bool):
        element = "true" if element else "false"
    if isinstance(element, str):
        if token.code is not None and token.code != element:
            return False, ""
        if token.system is None:
            return True, ""
        return Outcome.UNKNOWN, "a code element's system is implicit (its value set's), which the oracle does not know"
    if not isinstance(element, dict):
        return Outcome.UNKNOWN, "not a token type"
    if "coding" in element or set(element) <= {"text", "id", "extension"}:
        results = [_token_matches(token, coding) for coding in element.get("coding", [])]
        if any(result is True for result, _ in results):
            return True, ""
        return next(((result, why) for result, why in results if isinstance(result, Outcome)), (False, ""))
    if "code" in element or ("system" in element and "value" not in element):
        return _system_code(token, element.get("system"), element.get("code")), ""
    if "value" in element and _is_contact_point(element):
        return _contact_point(token, str(element["value"]))
    if "value" in element:
        return _system_code(token, element.get("system"), element.get("value")), ""
    return Outcome.UNKNOWN, "element shape is not a Coding, CodeableConcept, Identifier or ContactPoint"


def _system_code(token: TokenValue, system: object, code: object) -> bool:
    """Coding/Identifier: systems and codes are URIs and codes, compared case-sensitively."""
    if token.code is not None and code != token.code:
        return False
    if token.system is None:
        return True
    if token.system == "":
        return system is None
    return system == token.system


def _is_contact_point(element: dict[str, object]) -> bool:
    if "rank" in element:
        return True
    return element.get("system") in _CONTACT_SYSTEMS and not {"type", "assigner"} & set(element)


def _contact_point(token: TokenValue, value: str) -> tuple[_Result, str]:
    """ContactPoint matches on its value. STU3 says no more, so a server may also read a value as the same contact
    once punctuation, case, a tel:/mailto: scheme or the UK +44 for a leading 0 are set aside: that is left to it."""
    if token.code is None:
        return Outcome.UNDECIDABLE, "a ContactPoint has no token system to match system| against"
    if value == token.code and token.system is None:
        return True, ""
    if _loose_contact(value) == _loose_contact(token.code):
        if token.system is not None:
            return Outcome.UNDECIDABLE, "a ContactPoint has no token system; STU3 does not say how system|value applies"
        return Outcome.UNDECIDABLE, (
            "the same contact once punctuation, case, a tel:/mailto: scheme and +44 for a leading 0 "
            "are set aside, which STU3 neither requires nor forbids for ContactPoint (token: the value, literally)"
        )
    return False, ""


def _loose_contact(text: str) -> str:
    """A contact value as a lenient server may compare it: no scheme, letters and digits only, casefolded, +44 as 0."""
    bare = re.sub(r"^(tel|mailto):", "", text.strip(), flags=re.IGNORECASE).strip()
    loose = normalise("".join(char for char in bare if char.isalnum()))
    if bare.startswith("+44"):
        return "0" + loose[2:]
    if bare.startswith("0044"):
        return "0" + loose[4:]
    return loose


def _token_texts(element: Element) -> list[str]:
    """What ``:text`` searches: CodeableConcept.text, Coding.display, Identifier.type.text."""
    if not isinstance(element, dict):
        return []
    texts = [element["text"]] if isinstance(element.get("text"), str) else []
    texts += [coding["display"] for coding in element.get("coding", []) if isinstance(coding.get("display"), str)]
    if isinstance(element.get("display"), str):
        texts.append(element["display"])
    kind = element.get("type")
    if isinstance(kind, dict):
        texts += _token_texts(kind)
    return texts


def _date_range(element: Element, *, instant: bool) -> DateRange | None:
    """A date-valued element as a range; None for a Timing without event dates."""
    if isinstance(element, str):
        return instant_range(element) if instant else parse_date_range(element)
    if not isinstance(element, dict):
        raise ValueError(f"{_render_one(element)} is not a date, Period or Timing")
    if "event" in element or "repeat" in element or "code" in element:
        events = [parse_date_range(event) for event in element.get("event", [])]
        if not events:
            return None
        lows = [event.low for event in events if event.low is not None]
        highs = [event.high for event in events if event.high is not None]
        texts = sorted(element.get("event", []))
        return DateRange(min(lows), max(highs), f"{texts[0]}..{texts[-1]} (Timing events)")
    if not isinstance(element.get("start"), str) and not isinstance(element.get("end"), str):
        raise ValueError(f"{render([element])} is a Period with neither start nor end")
    return period_range(element.get("start"), element.get("end"))
