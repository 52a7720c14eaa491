"""Finding and loading target profiles, with one-line errors that name the file and the field."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from carecheck.config.expand import expand_env
from carecheck.config.profile import Auth, Target
from carecheck.errors import ConfigError
from carecheck.project import data_path

__all__ = ["load_target", "resolve_target_path", "tested_at"]


def resolve_target_path(name_or_path: str, profiles: Path | None = None) -> Path:
    """A target is either a YAML file path or the name of a profile: `NAME.yaml` in the folder `profiles` (the
    user's own, `--profiles DIR`), else in carecheck's `data/targets/`."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.is_file():
        if not candidate.is_file():
            raise ConfigError(f"target file {name_or_path} does not exist")
        return candidate
    if profiles is not None and not profiles.is_dir():
        raise ConfigError(f"--profiles {profiles} is not a folder")
    folders = ([profiles] if profiles is not None else []) + [data_path("targets")]
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            if (folder / f"{name_or_path}{suffix}").is_file():
                return folder / f"{name_or_path}{suffix}"
    looked = " or ".join(str(folder / f"{name_or_path}.yaml") for folder in folders)
    raise ConfigError(f"no target named {name_or_path!r} (looked for {looked}; a profile of your own: --target FILE.yaml, or --profiles DIR)")


def load_target(
    name_or_path: str,
    *,
    base_url: str | None = None,
    ca_bundle: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Target:
    """Load, expand and validate a target profile; `base_url` and `ca_bundle` override the profile's."""
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
    target = target.model_copy(update={"auth": _auth_files(path, target.auth, "auth")})
    if target.waivers is not None:
        target = target.model_copy(update={"waivers": _beside(path, target.waivers, "waivers")})
    if target.baseline is not None:
        target = target.model_copy(update={"baseline": _beside(path, target.baseline, "baseline")})
    if ca_bundle is not None:
        if not ca_bundle.is_file():
            raise ConfigError(f"--ca-bundle: no such file {ca_bundle}")
        target = target.model_copy(update={"ca_bundle": ca_bundle.resolve()})
    elif target.ca_bundle is not None:
        target = target.model_copy(update={"ca_bundle": _beside(path, target.ca_bundle, "ca_bundle")})
    return target


def tested_at(target: Target, base_url: str | None, profile: Path) -> Target:
    """`target` with `base_url` (`--base-url`) in place of the profile's own; ConfigError naming the profile when it is
    no http(s) URL. The profile is loaded once, and the run still knows the URL the profile names."""
    if base_url is None:
        return target
    try:
        return Target.model_validate({**dict(target), "base_url": base_url})
    except ValidationError as error:
        raise ConfigError(f"{profile}: {_first_problem(error)}") from error


def _auth_files(profile: Path, auth: Auth, field: str) -> Auth:
    """The auth section with its key files (and its patient_only and patient_context clients') found beside the profile."""
    update: dict[str, object] = {}
    for name in ("private_key", "token_signing_key"):
        file = getattr(auth, name)
        if file is not None:
            update[name] = _beside(profile, file, f"{field}.{name}")
    for name in ("patient_only", "patient_context"):
        client = getattr(auth, name)
        if client is not None:
            update[name] = _auth_files(profile, client, f"{field}.{name}")
    return auth.model_copy(update=update)


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
