"""Waivers: accepted deviations, kept as data, that mark matching validation issues as waived until they expire.

A waiver file is YAML::

    waivers:
      - message: "not in the required value set .*CareConnect-EthnicCategory-1"   # regex, searched in the message
        resource_type: Patient                # and/or
        location: "^Patient\\.extension"      # regex, searched in the location
        check: profile_valid                  # and/or: the name of the check whose findings it covers
        reason: "Supplier migrates ethnic category codes in release 4.2"
        owner: "jane.doe@supplier.example"
        expires: 2027-03-31

``message``, ``reason``, ``owner`` and ``expires`` are required, with at least one of ``resource_type``,
``location`` and ``check``. A waiver whose expiry date has passed no longer applies. Mistakes in the file are a
``ConfigError`` naming the waiver and the field.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import yaml

from carecheck.errors import ConfigError
from carecheck.fhir.issues import Issue

__all__ = ["Waivable", "Waiver", "apply_waivers", "load_waivers", "parse_waivers"]

_FIELDS = ("message", "resource_type", "location", "check", "reason", "owner", "expires")


class Waivable(Protocol):
    """What a waiver is matched against: a validation issue, or any finding of a check."""

    @property
    def message(self) -> str: ...

    @property
    def resource_type(self) -> str | None: ...

    @property
    def location(self) -> str | None: ...


@dataclass(frozen=True)
class Waiver:
    message: re.Pattern[str]
    resource_type: str | None
    location: re.Pattern[str] | None
    reason: str
    owner: str
    expires: datetime.date
    check: str | None = None

    def describe(self) -> str:
        return f"{self.reason} ({self.owner}, until {self.expires.isoformat()})"

    def covers(self, issue: Waivable, today: datetime.date) -> bool:
        """Whether the waiver applies to ``issue`` on ``today`` (it expires at the end of its expiry date)."""
        return (
            today <= self.expires
            and self.message.search(issue.message) is not None
            and (self.resource_type is None or self.resource_type == issue.resource_type)
            and (self.location is None or self.location.search(issue.location or "") is not None)
            and (self.check is None or self.check == getattr(issue, "check", None))
        )


def apply_waivers(issues: list[Issue], waivers: list[Waiver], today: datetime.date) -> list[Issue]:
    """The issues, each one a waiver covers marked with that waiver (the first that matches)."""
    marked = []
    for issue in issues:
        waiver = next((w for w in waivers if w.covers(issue, today)), None)
        marked.append(replace(issue, waiver=waiver.describe()) if waiver else issue)
    return marked


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers in the YAML file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the waiver file ({error.strerror})") from None
    return parse_waivers(text, source=str(path))


def parse_waivers(text: str, *, source: str = "waivers") -> list[Waiver]:
    """The waivers in a YAML document; ``source`` names it in error messages."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not valid YAML ({str(error).splitlines()[0]})") from None
    if document is None:
        return []
    if not isinstance(document, dict) or not isinstance(document.get("waivers"), list):
        raise ConfigError(f"{source}: expected a mapping with a 'waivers' list")
    return [_waiver(entry, f"{source}: waiver {number}") for number, entry in enumerate(document["waivers"], 1)]


def _waiver(entry: Any, where: str) -> Waiver:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping of {', '.join(_FIELDS)}")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"{where}: unknown field '{unknown[0]}' (fields: {', '.join(_FIELDS)})")
    for name in ("message", "reason", "owner", "expires"):
        if entry.get(name) in (None, ""):
            raise ConfigError(f"{where}: '{name}' is required")
    if all(entry.get(name) in (None, "") for name in ("resource_type", "location", "check")):
        raise ConfigError(f"{where}: 'resource_type', 'location' or 'check' is required (a waiver must say where it applies)")
    return Waiver(
        message=_pattern(entry["message"], where, "message"),
        resource_type=str(entry["resource_type"]) if entry.get("resource_type") else None,
        location=_pattern(entry["location"], where, "location") if entry.get("location") else None,
        reason=str(entry["reason"]),
        owner=str(entry["owner"]),
        expires=_date(entry["expires"], where),
        check=str(entry["check"]) if entry.get("check") else None,
    )


def _pattern(value: Any, where: str, name: str) -> re.Pattern[str]:
    try:
        return re.compile(str(value))
    except re.error as error:
        raise ConfigError(f"{where}: '{name}' is not a valid regular expression ({error})") from None


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: 'expires' must be a date (YYYY-MM-DD), got {value!r}") from None
