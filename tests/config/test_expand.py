"""`${ENV}` expansion."""

from __future__ import annotations

import pytest

from carecheck.config.expand import expand_env
from carecheck.errors import ConfigError


def test_variables_and_defaults_expand_through_nested_documents() -> None:
    document = {"a": "${X}", "b": ["pre-${Y:-fallback}-post", 3], "c": {"d": "${X}${X}"}}
    assert expand_env(document, {"X": "1"}) == {"a": "1", "b": ["pre-fallback-post", 3], "c": {"d": "11"}}


def test_a_missing_variable_names_the_field() -> None:
    with pytest.raises(ConfigError, match=r"^auth\.token: environment variable T is not set$"):
        expand_env({"auth": {"token": "${T}"}}, {})


def test_text_without_references_is_unchanged() -> None:
    assert expand_env("price: $5 {x}", {}) == "price: $5 {x}"
