"""`${ENV}` expansion in target profiles, so secrets live in the environment and never in files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from carecheck.errors import ConfigError

__all__ = ["expand_env"]

_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def expand_env(value: Any, env: Mapping[str, str], *, where: str = "") -> Any:
    """Replace every `${NAME}` or `${NAME:-default}` in the strings of a parsed YAML document.

    `where` is the dotted path of `value` inside the document, used to name the field in errors.
    """
    if isinstance(value, str):
        return _expand_string(value, env, where)
    if isinstance(value, dict):
        return {key: expand_env(item, env, where=_join(where, str(key))) for key, item in value.items()}
    if isinstance(value, list):
        return [expand_env(item, env, where=_join(where, str(index))) for index, item in enumerate(value)]
    return value


def _expand_string(text: str, env: Mapping[str, str], where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(f"{where or 'value'}: environment variable {name} is not set")

    return _REFERENCE.sub(substitute, text)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
