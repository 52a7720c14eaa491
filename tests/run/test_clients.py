"""Client settings come from the target profile: timeouts, trust, format, limits and pacing."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.config import load_target
from carecheck.errors import ConfigError
from carecheck.http import FHIR_XML, Pacer
from carecheck.run.clients import client_settings, connection_pool

PROFILE = """
name: polite
base_url: https://fhir.example.nhs.uk/STU3
timeout: 12
format: xml
limits:
  requests_per_second: 5
  concurrency: 1
  connect_timeout: 3
  retries: 1
  max_retry_wait: 9
  max_body_mb: 2
  max_pages: 7
"""


def test_the_profile_sets_every_client_setting(tmp_path: Path) -> None:
    path = tmp_path / "polite.yaml"
    path.write_text(PROFILE)
    target = load_target(str(path))
    settings = client_settings(target)
    assert settings["timeout"] == 12 and settings["accept"] == FHIR_XML
    assert settings["max_body_bytes"] == 2 * 1024 * 1024 and settings["max_pages"] == 7
    assert settings["retries"] == 1 and settings["max_retry_wait"] == 9
    assert isinstance(settings["pacer"], Pacer)
    with connection_pool(target) as pool:
        assert pool.timeout.connect == 3 and pool.timeout.read == 12


def test_limits_are_validated_with_the_field_named(tmp_path: Path) -> None:
    path = tmp_path / "greedy.yaml"
    path.write_text(PROFILE.replace("retries: 1", "retries: 50"))
    with pytest.raises(ConfigError, match=r"limits.retries"):
        load_target(str(path))


def test_defaults_are_polite_but_unthrottled(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("name: plain\nbase_url: http://127.0.0.1:1/STU3\n")
    limits = load_target(str(path)).limits
    assert (limits.requests_per_second, limits.retries, limits.max_pages, limits.concurrency) == (0, 2, 50, 4)
