"""carecheck as a supplier installs it: the wheel built from this checkout, installed into a fresh venv outside
it, runs from a folder of its own with nothing of the checkout: `run` (the embedded reference server), `validate`,
`serve`, `list`, `rejudge`, `baseline`, `index` and `python -m carecheck`, offline.

Offline and fast: the wheel is built without build isolation (setuptools and wheel come with the test extra), and
the fresh venv reaches carecheck's dependencies through a `.pth` line naming this venv's site-packages, added
after the wheel is installed, so the wheel itself is installed the ordinary way (`pip install --no-deps
--no-index`) and nothing of this checkout is importable there (a `.pth` line adds a folder, never its `.pth` files,
so this venv's editable carecheck stays out).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from carecheck import __version__
from carecheck.project import CHECKOUT, data_path

pytestmark = pytest.mark.e2e

NEEDED = (
    "carecheck/pytest.ini",
    "carecheck/features/tags.yaml",
    "carecheck/features/patient/patient_read.feature",
    "carecheck/suites/conftest.py",
    "carecheck/suites/test_patient.py",
    "carecheck/suites/test_own.py",
    "carecheck/suites/suites.yaml",
    "carecheck/steps/http.py",
    "carecheck/data/targets/reference.yaml",
    "carecheck/data/careconnect/requirements.csv",
    "carecheck/data/profiles/structuredefinitions.json",
    "carecheck/data/testdata/interopen-patients.json",
    "carecheck/data/refserver/clients.yaml",
    "carecheck/data/keys/carecheck-refserver-rs256.private.pem",
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    home: Path
    """A folder of the user's, outside the checkout and the venv: every command runs from here."""

    def run(self, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run(
            [str(self.bin / arguments[0]), *arguments[1:]], cwd=self.home, capture_output=True, text=True, timeout=timeout, env=environment, check=False
        )


def _copy_source(into: Path) -> Path:
    """What a source distribution holds (pyproject, README, src/), so the build writes nothing into the checkout."""
    assert CHECKOUT is not None, "the wheel is built from a checkout"
    source = into / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, source / name)
    shutil.copytree(CHECKOUT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return source


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(work / "dist"), str(_copy_source(work))]
    done = subprocess.run(build, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = (work / "dist").glob("carecheck-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    dependencies = dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]))
    (Path(target) / "carecheck-test-dependencies.pth").write_text("".join(f"{folder}\n" for folder in dependencies), encoding="utf-8")
    home = work / "supplier"
    home.mkdir()
    return Installed(wheel, venv / "bin", home)


def test_the_wheel_carries_everything_a_run_needs(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert [name for name in NEEDED if name not in names] == []
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "carecheck/tests/"))]
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(installed.wheel).read(entry_points).decode()
    assert "[console_scripts]" in text and "pytest11" not in text, "the plugin is loaded explicitly, never by installing"


def test_the_installed_package_is_the_wheels_not_the_checkout(installed: Installed) -> None:
    found = installed.run("python", "-c", "import carecheck, carecheck.project as p; print(carecheck.__file__); print(p.CHECKOUT)")
    where, checkout = found.stdout.splitlines()
    assert Path(where).is_relative_to(installed.bin.parent) and checkout == "None", found.stderr
    version = installed.run("python", "-m", "carecheck", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"carecheck {__version__}", version.stderr


def test_a_smoke_run_against_the_embedded_server_and_every_pack_command(installed: Installed) -> None:
    run = installed.run("carecheck", "run", "--suite", "smoke", "--report-dir", "smoke")
    assert run.returncode == 0, run.stdout + run.stderr + (installed.home / "smoke" / "pytest.log").read_text(errors="replace")
    summary = json.loads((installed.home / "smoke" / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] and summary["totals"]["scenarios"] == summary["totals"]["passed"] >= 5
    facts = json.loads((installed.home / "smoke" / "run.json").read_text(encoding="utf-8"))
    assert facts["harness_version"] == __version__ and facts["harness_commit"] is None and facts["features_sha256"]
    listed = installed.run("carecheck", "list", "scenarios", "--suite", "smoke")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == summary["totals"]["scenarios"], listed.stderr
    rejudged = installed.run("carecheck", "rejudge", "smoke", "--report-dir", "rejudged")
    assert rejudged.returncode == 0 and "0 difference(s)" in rejudged.stdout, rejudged.stdout + rejudged.stderr
    baseline = installed.run("carecheck", "baseline", "smoke", "--owner", "qa@supplier.example", "--reason", "wheel test", "-o", "baseline.yaml")
    assert baseline.returncode == 0 and (installed.home / "baseline.yaml").is_file(), baseline.stdout + baseline.stderr
    index = installed.run("carecheck", "index", "smoke", "--out", "index")
    assert index.returncode == 0 and (installed.home / "index" / "index.html").is_file(), index.stdout + index.stderr


def test_validate_judges_a_file_against_the_packaged_profiles(installed: Installed) -> None:
    patient = json.loads(data_path("testdata", "interopen-patients.json").read_text(encoding="utf-8"))[0]
    (installed.home / "good.json").write_text(json.dumps(patient), encoding="utf-8")
    (installed.home / "bad.json").write_text(json.dumps(patient).replace("9658218873", "9658218874"), encoding="utf-8")
    good = installed.run("carecheck", "validate", "good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = installed.run("carecheck", "validate", "bad.json")
    assert bad.returncode == 1 and "bad.json: error [nhs-number] Patient.identifier[0].value" in bad.stdout, bad.stdout + bad.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def served(installed: Installed) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    command = [str(installed.bin / "carecheck"), "serve", "--port", str(port), "--auth", "off", "--seed", "0"]
    with subprocess.Popen(command, cwd=installed.home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as server:
        try:
            yield server, f"http://127.0.0.1:{port}/STU3"
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()


def test_serve_answers_metadata_and_stops_on_ctrl_c(served: tuple[subprocess.Popen[str], str]) -> None:
    server, base_url = served
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, server.stdout.read() if server.stdout else "the server stopped"
        try:
            answer = httpx.get(f"{base_url}/metadata", timeout=5)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "carecheck serve never answered"
            time.sleep(0.2)
    assert answer.status_code == 200 and answer.json()["resourceType"] == "CapabilityStatement"
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=30) == 0
