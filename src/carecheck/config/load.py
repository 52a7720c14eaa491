"""Finding and loading target profiles, with one-line errors that name the file and the field."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from carecheck.config.expand import expand_env
from carecheck.config.profile import Target
from carecheck.errors import ConfigError
from carecheck.project import fixture_path

__all__ = ["load_target", "resolve_target_path"]


def resolve_target_path(name_or_path: str) -> Path:
    """A target is either a YAML file path or the name of a profile in `fixtures/targets/`."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.is_file():
        if not candidate.is_file():
            raise ConfigError(f"target file {name_or_path} does not exist")
        return candidate
    named = fixture_path("targets", f"{name_or_path}.yaml")
    if not named.is_file():
        raise ConfigError(f"no target named {name_or_path!r} (looked for {named})")
    return named


def load_target(
    name_or_path: str,
    *,
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Target:
    """Load, expand and validate a target profile; `base_url` overrides the profile's server."""
    path = resolve_target_path(name_or_path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where} is not valid YAML") from error
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: a target profile is a YAML mapping")
    try:
        expanded = expand_env(document, os.environ if env is None else env)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from error
    if base_url is not None:
        expanded["base_url"] = base_url
    try:
        target = Target.model_validate(expanded)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_first_problem(error)}") from error
    auth = target.auth
    if auth.private_key is not None:
        key = _beside(path, auth.private_key, "auth.private_key")
        target = target.model_copy(update={"auth": auth.model_copy(update={"private_key": key})})
    if target.waivers is not None:
        target = target.model_copy(update={"waivers": _beside(path, target.waivers, "waivers")})
    return target


def _beside(profile: Path, file: Path, field: str) -> Path:
    """A file named in a profile, relative to the profile's folder; it must exist."""
    found = file if file.is_absolute() else profile.parent / file
    if not found.is_file():
        raise ConfigError(f"{profile}: {field}: no such file {found}")
    return found


def _first_problem(error: ValidationError) -> str:
    problem: Any = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in problem["loc"]) or "profile"
    message = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        message = "unknown field"
    extra = len(error.errors()) - 1
    more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
    return f"{field}: {message}{more}"
