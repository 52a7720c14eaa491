"""Tests for carecheck.refserver.security.settings."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from carecheck.errors import ConfigError
from carecheck.project import data_path
from carecheck.refserver.app import FHIR_BASE_PATH
from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.keys import SigningKey
from carecheck.refserver.security.settings import DEFAULT_CLIENTS


def test_load_gives_the_demo_clients_and_the_defaults_quickly() -> None:
    started = time.perf_counter()
    settings = SecuritySettings.load()
    assert time.perf_counter() - started < 1.0
    assert set(settings.clients) == {
        "carecheck-all",
        "carecheck-patient-only",
        "carecheck-backend",
        "carecheck-limited",
        "carecheck-patient-context",
        "carecheck-writer",
    }
    assert (settings.token_lifetime, settings.issuer_path, settings.fhir_path) == (300, "/auth", FHIR_BASE_PATH)
    assert DEFAULT_CLIENTS.name == "clients.yaml" and DEFAULT_CLIENTS.parent.name == "refserver"


def test_every_settings_object_has_its_own_key_unless_given_one() -> None:
    assert SecuritySettings.load().signing_key.kid != SecuritySettings.load().signing_key.kid
    key = SigningKey.generate()
    assert SecuritySettings(clients={}, signing_key=key).signing_key is key


def test_settings_are_frozen_and_replaceable() -> None:
    settings = SecuritySettings.load()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.token_lifetime = 10  # type: ignore[misc]
    shorter = dataclasses.replace(settings, token_lifetime=10)
    assert (shorter.token_lifetime, shorter.clients) == (10, settings.clients)


def test_the_repr_shows_no_secret() -> None:
    shown = repr(SecuritySettings.load())
    assert "demo-" not in shown and "PRIVATE" not in shown


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"token_lifetime": 0}, "token_lifetime must be a positive number of seconds"),
        ({"issuer_path": "auth"}, "issuer_path must start with '/'"),
        ({"issuer_path": "/auth/"}, "issuer_path must start with '/'"),
        ({"fhir_path": ""}, "fhir_path must start with '/'"),
    ],
)
def test_invalid_settings_are_refused(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        SecuritySettings(clients={}, **changes)  # type: ignore[arg-type]


def test_another_clients_file_can_be_loaded(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text("clients:\n  - {client_id: mine, secret: s, scopes: [system/Patient.read]}\n")
    assert list(SecuritySettings.load(path).clients) == ["mine"]
    path.write_text("clients: 3\n")
    with pytest.raises(ConfigError):
        SecuritySettings.load(path)


def test_load_can_sign_with_a_key_from_a_file_and_run_in_spine_mode() -> None:
    key_file = data_path("keys", "carecheck-refserver-rs256.private.pem")
    first, second = SecuritySettings.load(signing_key=key_file), SecuritySettings.load(signing_key=key_file, mode="spine")
    assert first.signing_key.kid == second.signing_key.kid, "the same key every start"
    assert (first.mode, second.mode) == ("oauth", "spine")
    with pytest.raises(ValueError, match="mode must be oauth or spine"):
        dataclasses.replace(first, mode="kerberos")  # type: ignore[arg-type]
