"""Tests for carecheck.config.starter: the profile `carecheck init` writes loads as written, and its commented
alternatives load once uncommented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carecheck.config import load_target
from carecheck.config.starter import profile_name, starter_profile
from carecheck.errors import ConfigError


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_starter_loads_as_written(tmp_path: Path) -> None:
    text = starter_profile("https://fhir.supplier.example/STU3/", "supplier.yaml")
    target = load_target(str(written(tmp_path, text)), env={})
    assert (target.name, target.base_url, target.auth.type) == ("fhir-supplier-example", "https://fhir.supplier.example/STU3", "none")
    assert target.testdata.discover and target.writes == "probe" and target.expectations.conformance == "ig"
    assert "carecheck run --target supplier.yaml" in text


def test_the_commented_client_credentials_block_loads_once_uncommented(tmp_path: Path) -> None:
    text = starter_profile("https://fhir.supplier.example/STU3", "supplier.yaml", "supplier")
    block = re.search(r"  # OAuth2 client credentials.*?\n((?:  # .*\n)+?)  # A token you already hold", text, re.DOTALL)
    assert block is not None
    uncommented = "".join(line.replace("  # ", "  ", 1) + "\n" for line in block.group(1).splitlines())
    text = text.replace("  type: none ", "  # type: none ").replace(block.group(1), uncommented)
    target = load_target(str(written(tmp_path, text)), env={"MY_CLIENT_SECRET": "s3cret"})
    assert (target.auth.type, target.auth.client_id, target.auth.token_url) == ("client-credentials", "my-client", "discover")


@pytest.mark.parametrize(
    ("url", "name", "said"),
    [
        ("ftp://fhir.example/STU3", None, "is not an http(s) URL with a host"),
        ("fhir.example.nhs.uk/STU3", None, "is not an http(s) URL with a host"),
        ("https://fhir.example/STU3#x", None, "no spaces, quotes or fragment"),
        ("https://fhir.example/STU3", "my server", "--name 'my server': a profile name is"),
    ],
)
def test_a_url_or_name_a_profile_cannot_hold_is_refused(url: str, name: str | None, said: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(said)):
        starter_profile(url, "x.yaml", name)


def test_the_name_comes_from_the_host() -> None:
    assert profile_name("https://FHIR.Example.nhs.uk:8443/STU3") == "fhir-example-nhs-uk"
    assert profile_name("http://127.0.0.1:8080/STU3") == "127-0-0-1"
