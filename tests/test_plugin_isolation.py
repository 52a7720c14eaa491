"""Installing carecheck changes no other pytest session: its plugin has no pytest11 entry point, so an unrelated
project's pytest, run with the same Python, has none of carecheck's options, fixtures or markers. Only a session
that loads it (`-p carecheck.plugin`, or the suites' conftest) gets them."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

CARECHECK_OPTIONS = ("--target", "--base-url", "--report-dir", "--waivers", "--baseline", "--features")
CARECHECK_FIXTURES = ("fhir_base_url", "verdict", "known", "token_provider", "capabilities")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Someone else's project: one test, its own `client` fixture, no configuration naming carecheck."""
    folder = tmp_path_factory.mktemp("unrelated")
    (folder / "pyproject.toml").write_text('[project]\nname = "unrelated"\nversion = "1"\n', encoding="utf-8")
    (folder / "test_unrelated.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef client():\n    return 'mine'\n\ndef test_client(client):\n    assert client == 'mine'\n",
        encoding="utf-8",
    )
    return folder


def pytest_in(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *arguments], cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


def test_carecheck_registers_no_pytest_entry_point() -> None:
    assert not [entry for entry in metadata.entry_points(group="pytest11") if entry.value.startswith("carecheck")]


def test_an_unrelated_session_has_no_carecheck_option_fixture_or_marker(project: Path) -> None:
    help_text = pytest_in(project, "--help").stdout
    assert "carecheck" not in help_text.lower()
    assert not [option for option in CARECHECK_OPTIONS if f"  {option}=" in help_text or f"  {option} " in help_text]
    fixtures = pytest_in(project, "--fixtures").stdout
    assert "carecheck" not in fixtures and not [name for name in CARECHECK_FIXTURES if name in fixtures]
    assert "capability statement scenarios" not in pytest_in(project, "--markers").stdout
    run = pytest_in(project, "-q")
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout + run.stderr  # its own `client`, untouched


def test_the_same_session_loading_the_plugin_has_them(project: Path) -> None:
    """The control: the checks above would see carecheck's plugin if it were there."""
    help_text = pytest_in(project, "-p", "carecheck.plugin", "--help").stdout
    assert all(option in help_text for option in CARECHECK_OPTIONS)
    assert "fhir_base_url" in pytest_in(project, "-p", "carecheck.plugin", "--fixtures").stdout
