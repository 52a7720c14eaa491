"""The check registry: names, descriptions and requirement ids are data every check must carry."""

from __future__ import annotations

import pytest

from carecheck.checks import CHECKS, Check, Registry, passed
from carecheck.requirements import catalogue


@pytest.mark.parametrize("entry", list(CHECKS), ids=lambda entry: entry.name)
def test_every_check_is_described_and_tied_to_known_requirements(entry: Check) -> None:
    assert entry.description.strip()
    assert entry.requirements
    assert set(entry.requirements) <= set(catalogue())


def test_a_name_can_only_be_registered_once() -> None:
    registry = Registry()
    entry = Check("x", "an example", ("CC-READ",), lambda interaction: [passed("ok")])
    registry.register(entry)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(entry)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="status_code"):
        CHECKS.get("no_such_check")
