"""Search values taken from a real resource: what a client would send to find it, in each STU3 form.

Scenarios name a parameter and a *form* (`prefix`, `system|code`, `ge`, `type/id` ...); this module
turns the target's own record into the query pair for that form, or says why the record has none (trying
every element and every part of a name before giving up). It does not decide whether the
record should then be found: the oracle does, from the record itself, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from carecheck.search.comparison import normalise, render, string_parts
from carecheck.search.dates import COMPARATORS
from carecheck.search.oracle import extract
from carecheck.search.registry import SearchParameter

__all__ = ["ABSENT", "FORMS", "UNKNOWN_SYSTEM", "Example", "example", "why_no_example"]

_PREFIXED = tuple(f"{prefix}-{precision}" for prefix in COMPARATORS for precision in ("year", "month"))
_CONTACT_FORMS = ("digits", "spaced", "international", "tel", "tel-international", "upper-case", "mailto")

FORMS: Mapping[str, tuple[str, ...]] = {
    "string": ("value", "lower-case", "prefix", "accents-folded", "exact", "exact-wrong-case", "contains", "absent"),
    "token": ("code", "system|code", "system|", "not", "other-system", "unknown-system", "absent", *_CONTACT_FORMS),
    "date": ("value", "eq", "year", "month", "day", "ge", "le", "gt", "lt", "ne", "sa", "eb", "ap", *_PREFIXED, "absent"),
    "reference": ("id", "type/id", "url", "typed", "identifier", "absent"),
}
"""The forms a scenario can ask for, by parameter type. `absent` is a value no record has; `other-system` the
record's code or identifier value under another real system, `unknown-system` under a system nobody uses;
`eq` the value with an explicit prefix, `ge-year` a prefix on the value's year (`ge2018`), `ge-month` on its
month. The contact forms write a ContactPoint value the ways people do: `digits` without spaces or
punctuation, `spaced` with them, `international` from +44, `tel` and `tel-international` as tel: URIs,
`upper-case` and `mailto` for an email."""

ABSENT = "carecheck-absent"
UNKNOWN_SYSTEM = "https://carecheck.invalid/Id/unknown-system"
"""A system no record can use (`.invalid` is reserved, RFC 2606)."""
_OTHER_SYSTEMS: Mapping[str, str] = {
    "http://snomed.info/sct": "http://loinc.org",
    "http://loinc.org": "http://snomed.info/sct",
    "https://fhir.nhs.uk/Id/nhs-number": "https://fhir.nhs.uk/Id/local-patient-identifier",
    "https://fhir.nhs.uk/Id/local-patient-identifier": "https://fhir.nhs.uk/Id/nhs-number",
    "https://fhir.nhs.uk/Id/ods-organization-code": "https://fhir.nhs.uk/Id/ods-site-code",
    "https://fhir.nhs.uk/Id/ods-site-code": "https://fhir.nhs.uk/Id/ods-organization-code",
    "https://fhir.nhs.uk/Id/sds-user-id": "https://fhir.nhs.uk/Id/sds-role-profile-id",
    "https://fhir.nhs.uk/Id/sds-role-profile-id": "https://fhir.nhs.uk/Id/sds-user-id",
}
"""For `other-system`: a real system a code or identifier value plausibly turns up under by mistake."""
_CONTACT_SYSTEMS = frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"})
_NOBODYS = {"phone": "+999 0000 0000", "email": "nobody@carecheck.invalid"}
"""Contact values nobody can have: E.164 country code 999 is unassigned; `.invalid` is reserved."""
_NOBODYS_POSTCODE = "QQ9 9QQ"
"""A postcode nobody has: no UK postcode starts with Q."""

_MARGIN = dt.timedelta(days=2)
"""Dates with a time are searched a margin away, so the server's time zone cannot change the answer."""

_DATE_VALUE = re.compile(r"^\d{4}-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?$")
"""A date, at month precision or finer (a bare year is as likely to be a code)."""

Resolver = Callable[[str], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Example:
    """One query pair, e.g. `family:exact=MEAKIN`, and the element of the record it came from."""

    key: str
    value: str
    source: str

    @property
    def query(self) -> str:
        return f"{self.key}={self.value}"


def example(
    resource: Mapping[str, Any],
    parameter: SearchParameter,
    form: str,
    *,
    base_url: str = "",
    resolve: Resolver | None = None,
) -> Example | None:
    """The query pair for `form` built from `resource`'s own value, or None if the record has no such value."""
    built = _attempt(resource, parameter, form, base_url, resolve)
    return built if isinstance(built, Example) else None


def why_no_example(
    resource: Mapping[str, Any],
    parameter: SearchParameter,
    form: str,
    *,
    base_url: str = "",
    resolve: Resolver | None = None,
) -> str:
    """Why `resource` gives no value for `form`, naming the record, the element searched and what it lacks."""
    built = _attempt(resource, parameter, form, base_url, resolve)
    return "" if isinstance(built, Example) else built


def _attempt(resource: Mapping[str, Any], parameter: SearchParameter, form: str, base_url: str, resolve: Resolver | None) -> Example | str:
    """The first example any of the parameter's elements (and, for strings, any of their parts) gives, else why none did."""
    if form not in FORMS.get(parameter.type, ()):
        raise ValueError(f"no form {form!r} for {parameter.type} parameters (forms: {', '.join(FORMS.get(parameter.type, ()))})")
    record = f"{resource.get('resourceType')}/{resource.get('id')}"
    elements = extract(resource, parameter)
    if not elements:
        return f"{record} has no {parameter.expression or parameter.name} (what {parameter.name} searches){_elsewhere(resource, parameter)}"
    reasons: list[str] = []
    for element in elements:
        built = _BUILDERS[parameter.type](element, parameter.name, form, base_url, resolve)
        if isinstance(built, Example):
            return built
        reasons.append(built)
    values = render(elements)
    return f"{record}'s {parameter.name} values ({values[:120]}, at {parameter.expression}): {'; '.join(dict.fromkeys(reasons))}"


def _elsewhere(resource: Mapping[str, Any], parameter: SearchParameter) -> str:
    """For a date parameter: the record's date values under elements the parameter does not search, if any."""
    if parameter.type != "date":
        return ""
    found = [path for path in _date_paths(resource, "") if path != "meta.lastUpdated"]
    return f"; it has dates under {', '.join(found[:4])}, which {parameter.name} does not search" if found else ""


def _date_paths(value: object, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if _DATE_VALUE.match(value) else []
    if isinstance(value, dict):
        return [p for key, item in value.items() if key != "text" for p in _date_paths(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _date_paths(item, f"{path}[{index}]")]
    return []


def _string(element: object, name: str, form: str, base_url: str, resolve: Resolver | None) -> Example | str:
    parts = [part for part in string_parts(element) if len(part) >= 2]
    if not parts:
        return "no part of two letters or more to search by"
    for text in parts:
        folded = normalise(text)
        values = {
            "absent": (name, _NOBODYS_POSTCODE if "postalcode" in name or "postcode" in name else "Zzyzxcarecheck"),
            "value": (name, text),
            "lower-case": (name, text.lower()),
            "prefix": (name, folded[:3] if len(folded) > 3 else folded),
            "accents-folded": (name, folded) if folded != text.casefold() else None,
            "exact": (f"{name}:exact", text),
            "exact-wrong-case": (f"{name}:exact", text.swapcase()) if text.swapcase() != text else None,
            "contains": (f"{name}:contains", folded[1:4] if len(folded) > 4 else folded),
        }
        chosen = values[form]
        if chosen:
            return Example(chosen[0], chosen[1], text)
    if form == "accents-folded":
        return f"none of {', '.join(parts)} has an accent or other mark to fold away"
    return f"none of {', '.join(parts)} has letters whose case can be swapped"


def _token(element: object, name: str, form: str, base_url: str, resolve: Resolver | None) -> Example | str:
    if _is_contact(element):
        return _contact(element, name, form)
    system, code = _system_and_code(element)
    if code is None:
        return "no code"
    if form in _CONTACT_FORMS:
        return f"{code} is a code, not a phone number or email address, which the {form} form needs"
    source = f"{system}|{code}" if system else code
    if form == "unknown-system":
        return Example(name, f"{UNKNOWN_SYSTEM}|{code}", source)
    if form == "absent":
        return Example(name, f"{system}|{ABSENT}" if system else ABSENT, source)
    if form == "code":
        return Example(name, code, source)
    if form == "not":
        return Example(f"{name}:not", source, source)
    if system is None:
        return f"the code {code} has no system, which the {form} form needs"
    if form == "other-system":
        return Example(name, f"{_OTHER_SYSTEMS.get(system, 'http://snomed.info/sct')}|{code}", source)
    return Example(name, source if form == "system|code" else f"{system}|", source)


def _is_contact(element: object) -> TypeGuard[Mapping[str, str]]:
    return isinstance(element, dict) and element.get("system") in _CONTACT_SYSTEMS and isinstance(element.get("value"), str)


def _contact(element: Mapping[str, str], name: str, form: str) -> Example | str:
    """A ContactPoint's value in the form a person might give it (see FORMS), or why the form does not fit it."""
    system, value = element["system"], element["value"]
    if form in ("code", "absent"):
        return Example(name, _NOBODYS.get(system, ABSENT) if form == "absent" else value, value)
    if system == "email":
        forms = {"upper-case": value.upper(), "mailto": f"mailto:{value}"}
        return Example(name, forms[form], value) if form in forms else f"{value} is an email address, which has no {form} form"
    digits = "".join(char for char in value if char.isdigit())
    if system != "phone" or form not in _CONTACT_FORMS[:5]:
        return f"a {system} contact ({value}) has no {form} form"
    if len(digits) < 10:
        return f"{value} has fewer than ten digits, too few for a UK phone number"
    national = "0" + digits[2:] if value.lstrip().startswith("+44") else digits
    international = "+44" + national[1:] if national.startswith("0") else None
    spaced = f"{national[:4]} {national[4:7]} {national[7:]}" if national.startswith("0") else None
    phone_forms = {
        "digits": national,
        "spaced": spaced if spaced != value else f"({national[:4]}) {national[4:]}",
        "international": f"{international[:3]} {international[3:]}" if international else None,
        "tel": f"tel:{national}",
        "tel-international": f"tel:{international}" if international else None,
    }
    chosen = phone_forms[form]
    return Example(name, chosen, value) if chosen else f"{value} is not a UK national number, which the {form} form needs"


def _system_and_code(element: object) -> tuple[str | None, str | None]:
    if isinstance(element, bool):
        return None, "true" if element else "false"
    if isinstance(element, str):
        return None, element
    if not isinstance(element, dict):
        return None, None
    if isinstance(element.get("coding"), list):
        codings = [c for c in element["coding"] if isinstance(c, dict) and isinstance(c.get("code"), str)]
        return (codings[0].get("system"), codings[0]["code"]) if codings else (None, None)
    code = element.get("code", element.get("value"))
    return element.get("system"), code if isinstance(code, str) else None


def _date(element: object, name: str, form: str, base_url: str, resolve: Resolver | None) -> Example | str:
    text = element if isinstance(element, str) else None
    if isinstance(element, dict):
        text = element.get("start") or element.get("end") or next(iter(element.get("event") or []), None)
    if not isinstance(text, str) or len(text) < 4:
        return "no date (a period needs a start or an end, a timing an event)"
    if form == "value":
        return Example(name, text, text)
    if form == "eq":
        return Example(name, f"eq{text}", text)
    if form == "absent":
        return Example(name, "1066-10-14", text)
    if form == "year":
        return Example(name, text[:4], text)
    if form == "month":
        return Example(name, text[:7], text) if len(text) >= 7 else f"{text} is less precise than a month"
    if form in _PREFIXED:
        prefix, _, precision = form.partition("-")
        width = 4 if precision == "year" else 7
        return Example(name, f"{prefix}{text[:width]}", text) if len(text) >= width else f"{text} is less precise than a {precision}"
    if len(text) < 10:
        return f"{text} is less precise than a day, which the {form} form needs"
    day = dt.date.fromisoformat(text[:10])
    timed = len(text) > 10
    if form == "day":
        return f"{text} has a time of day, which a time zone could move to another day" if timed else Example(name, day.isoformat(), text)
    shifted = {"ge": -_MARGIN, "gt": -_MARGIN, "sa": -_MARGIN, "le": _MARGIN, "lt": _MARGIN, "eb": _MARGIN}
    around = day + shifted.get(form, dt.timedelta()) if timed else day
    if form in ("ne", "ap") and timed:
        return Example(name, f"{form}{text[:4]}", text)
    return Example(name, f"{form}{around.isoformat()}", text)


def _reference(element: object, name: str, form: str, base_url: str, resolve: Resolver | None) -> Example | str:
    reference = element.get("reference") if isinstance(element, dict) else None
    if not isinstance(reference, str) or reference.startswith("#") or "/" not in reference:
        return f"{reference or 'the reference'} is not a Type/id reference (contained, logical or absent)"
    kind, _, identity = reference.rstrip("/").split("/_history/")[0].rpartition("/")
    kind = kind.rsplit("/", 1)[-1]
    if form == "id":
        return Example(name, identity, reference)
    if form == "absent":
        return Example(name, f"{kind}/{ABSENT}", reference)
    if form == "type/id":
        return Example(name, f"{kind}/{identity}", reference)
    if form == "url":
        return Example(name, f"{base_url.rstrip('/')}/{kind}/{identity}", reference) if base_url else "no base URL to build it from"
    if form == "typed":
        return Example(f"{name}:{kind}", identity, reference)
    target = resolve(f"{kind}/{identity}") if resolve else None
    if target is None:
        return f"{kind}/{identity}, which it refers to, is not a known record, so its identifier is not known"
    identifiers = [i for i in target.get("identifier") or [] if isinstance(i, dict) and i.get("system") and i.get("value")]
    if not identifiers:
        return f"{kind}/{identity}, which it refers to, has no identifier with a system and a value"
    return Example(f"{name}.identifier", f"{identifiers[0]['system']}|{identifiers[0]['value']}", reference)


_BUILDERS: Mapping[str, Callable[[object, str, str, str, Resolver | None], Example | str]] = {
    "string": _string,
    "token": _token,
    "date": _date,
    "reference": _reference,
}
