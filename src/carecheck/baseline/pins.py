"""Pinned expectations: what searches of a known dataset must return, kept as data and reviewed like waivers.

A baseline file is YAML::

    baseline:
      owner: jane.doe@supplier.example       # who accepted it (required)
      reason: nightly regression of the sandbox dataset   # why (required)
      target: my-server                      # the target it was recorded against
      recorded: 2026-12-06T11:56:01Z         # when, and from which accepted run
      from_run: reports/my-server/20261206T115601Z
    pins:
      - search: Observation?patient=Patient/123&date=2018   # [type]?[query], {base} for the server's base URL
        ids: [Observation/a, Observation/b]                 # exactly these match ...
        total: 2                                            # ... and Bundle.total says so
      - search: Patient?family=MEAKIN&gender=male
        at_least: [Patient/123]                             # these and perhaps others
        reason: other MEAKINs may be added                  # optional, per pin
      - search: Practitioner?address-postalcode=NG10
        count: 3                                            # this many matches

Each pin has a `search` and at least one of `ids`, `at_least`, `count` and `total` (`ids` and `at_least` not
both). Values in a search are percent-encoded where they would be ambiguous (`%26` for &, `%2B` for +, `%20`
for a space). Mistakes in the file are a ConfigError naming the pin and the field.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import yaml

from carecheck.errors import ConfigError

__all__ = ["BASE", "Baseline", "Pin", "dump_baseline", "load_baseline", "parse_baseline", "pinned_search", "search_params"]

BASE = "{base}"
"""Stands for the server's FHIR base URL inside a pinned search (a reference given as a URL)."""
_PIN_FIELDS = frozenset({"search", "ids", "at_least", "count", "total", "reason", "scenario"})
_HEADER_FIELDS = frozenset({"owner", "reason", "target", "recorded", "from_run", "harness_version", "left_out"})


@dataclass(frozen=True)
class Pin:
    """One pinned search and what it must return."""

    search: str
    ids: tuple[str, ...] | None = None
    at_least: tuple[str, ...] | None = None
    count: int | None = None
    total: int | None = None
    reason: str | None = None
    scenario: str | None = None

    @property
    def resource_type(self) -> str:
        return self.search.split("?", 1)[0]

    def params(self, base_url: str) -> list[tuple[str, str]]:
        """The query to send, with `{base}` filled in."""
        return search_params(self.search, base_url)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"search": self.search}
        for name in ("ids", "at_least"):
            if getattr(self, name) is not None:
                data[name] = list(getattr(self, name))
        for name in ("count", "total", "reason", "scenario"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return data


@dataclass(frozen=True)
class Baseline:
    """A reviewed set of pins: who accepted them, why, from which run."""

    owner: str
    reason: str
    pins: tuple[Pin, ...]
    target: str | None = None
    recorded: str | None = None
    from_run: str | None = None
    harness_version: str | None = None
    left_out: tuple[str, ...] = field(default=())
    """What the recording did not pin, and why (one line each)."""

    def describe(self) -> str:
        """`jane.doe@… (nightly regression …, recorded 2026-12-06…)` — who and why, for messages."""
        when = f", recorded {self.recorded}" if self.recorded else ""
        return f"{self.owner} ({self.reason}{when})"


def pinned_search(resource_type: str, params: Sequence[tuple[str, str]], base_url: str) -> str:
    """`Type?query` as a pin writes it: readable, `{base}` for the base URL, unambiguous to parse back."""
    base = base_url.rstrip("/")
    filled = [(key, value.replace(base, BASE) if base else value) for key, value in params]
    query = urlencode(filled, quote_via=quote, safe=":/|,*{}")
    return f"{resource_type}?{query}" if query else resource_type


def search_params(search: str, base_url: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a pinned search, `{base}` replaced by `base_url`."""
    _, _, query = search.partition("?")
    base = base_url.rstrip("/")
    return [(key, value.replace(BASE, base)) for key, value in parse_qsl(query, keep_blank_values=True)]


def load_baseline(path: Path) -> Baseline:
    """Read and check a baseline file; ConfigError naming the file (and the pin) when it is wrong."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the baseline: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ConfigError(f"{path}:{f' line {mark.line + 1}' if mark else ''} is not valid YAML") from None
    try:
        return parse_baseline(document)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def parse_baseline(document: object) -> Baseline:
    """A baseline from its YAML data (see the module docstring)."""
    if not isinstance(document, dict) or not isinstance(document.get("baseline"), dict) or not isinstance(document.get("pins"), list):
        raise ConfigError("a baseline is a mapping with `baseline:` (owner, reason, ...) and `pins:` (a list)")
    header: Mapping[str, Any] = document["baseline"]
    unknown = sorted(set(header) - _HEADER_FIELDS)
    if unknown:
        raise ConfigError(f"baseline: unknown field(s) {', '.join(unknown)}")
    for name in ("owner", "reason"):
        if not isinstance(header.get(name), str) or not header[name].strip():
            raise ConfigError(f"baseline.{name} is required: pins are reviewed like waivers (who accepted them, and why)")
    pins = tuple(_pin(number, item) for number, item in enumerate(document["pins"], start=1))
    searches = [pin.search for pin in pins]
    repeated = sorted({search for search in searches if searches.count(search) > 1})
    if repeated:
        raise ConfigError(f"pins: {repeated[0]} is pinned twice")
    return Baseline(
        owner=header["owner"].strip(),
        reason=header["reason"].strip(),
        pins=pins,
        target=_text(header.get("target")),
        recorded=_text(header.get("recorded")),
        from_run=_text(header.get("from_run")),
        harness_version=_text(header.get("harness_version")),
        left_out=tuple(str(line) for line in header.get("left_out") or ()),
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _pin(number: int, item: object) -> Pin:
    where = f"pin {number}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: a pin is a mapping with search and ids, at_least, count or total")
    unknown = sorted(set(item) - _PIN_FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} (one of {', '.join(sorted(_PIN_FIELDS))})")
    search = item.get("search")
    if not isinstance(search, str) or not search[:1].isupper() or " " in search.split("?")[0]:
        raise ConfigError(f"{where}: search must be [type]?[query], e.g. Patient?family=MEAKIN")
    where = f"{where} ({search})"
    if not {"ids", "at_least", "count", "total"} & set(item):
        raise ConfigError(f"{where}: give ids, at_least, count or total")
    if "ids" in item and "at_least" in item:
        raise ConfigError(f"{where}: ids (exactly these) and at_least (these and perhaps others) exclude each other")
    lists = {name: _ids(where, name, item[name]) for name in ("ids", "at_least") if name in item}
    numbers = {name: _count(where, name, item[name]) for name in ("count", "total") if name in item}
    reason, scenario = item.get("reason"), item.get("scenario")
    return Pin(search, lists.get("ids"), lists.get("at_least"), numbers.get("count"), numbers.get("total"), _text(reason), _text(scenario))


def _ids(where: str, name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(i, str) and "/" in i for i in value):
        raise ConfigError(f"{where}: {name} is a list of Type/id")
    return tuple(value)


def _count(where: str, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: {name} is a whole number")
    return value


def dump_baseline(baseline: Baseline) -> str:
    """The baseline as the YAML file `load_baseline` reads, with a header comment saying what it is."""
    header: dict[str, Any] = {"owner": baseline.owner, "reason": baseline.reason}
    for name in ("target", "recorded", "from_run", "harness_version"):
        if getattr(baseline, name) is not None:
            header[name] = getattr(baseline, name)
    if baseline.left_out:
        header["left_out"] = list(baseline.left_out)
    document = {"baseline": header, "pins": [pin.to_data() for pin in baseline.pins]}
    preface = (
        "# carecheck baseline: what each search returned on the known dataset, pinned. A run whose target names this file\n"
        "# (profile `baseline:` or `carecheck run --baseline`) fails CARECHECK-BASELINE on any change, and nothing else.\n"
        "# Edit a pin to loosen it: `at_least:` instead of `ids:`, or `count:` alone; say why in its `reason:`.\n"
    )
    return preface + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=200)
