"""Filling a scenario's `{patient.family}`-style placeholders from the target's test data."""

from __future__ import annotations

import re

from carecheck.config.profile import TestData

__all__ = ["MissingTestData", "fill", "fill_query"]

_PLACEHOLDER = re.compile(r"\{(?P<record>[a-z_]+)\.(?P<field>[a-z_]+)\}")


class MissingTestData(LookupError):
    """The target's test data lacks a value the scenario needs: the scenario is not applicable.

    `record` and `field` name the placeholder (`patient`, `family`; `field` empty when the whole record is missing).
    """

    def __init__(self, message: str, *, record: str = "", field: str = "") -> None:
        super().__init__(message)
        self.record = record
        self.field = field


def fill(template: str, testdata: TestData) -> str:
    """Replace each `{record.field}` with the test data's value; a missing one raises MissingTestData."""

    def value(match: re.Match[str]) -> str:
        record_name, field = match.group("record"), match.group("field")
        record = getattr(testdata, record_name, None)
        if record is None:
            raise MissingTestData(f"the target's testdata has no {record_name}", record=record_name)
        if not hasattr(record, field):
            raise KeyError(f"unknown test data field {record_name}.{field} in {template!r}")
        found = getattr(record, field)
        if found is None:
            raise MissingTestData(f"the target's testdata has no {record_name}.{field}", record=record_name, field=field)
        return str(found)

    return _PLACEHOLDER.sub(value, template)


def fill_query(template: str, testdata: TestData) -> list[tuple[str, str]]:
    """`family={patient.family}&gender={patient.gender}` as the (name, value) pairs to send, unencoded."""
    pairs: list[tuple[str, str]] = []
    for part in filter(None, template.split("&")):
        name, _, raw = part.partition("=")
        pairs.append((name, fill(raw, testdata)))
    return pairs
