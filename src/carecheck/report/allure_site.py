"""The Allure report of a run: one HTML file that opens from disk, with the trend of the target's earlier runs.

Built with Allure 3 (the npm package `allure`: Node only, no Java) and its `allure2` plugin, the classic Allure
UI, which reads what the pack's `allure-results/` carry (`categories.json`, `environment.properties`,
`executor.json`) and honours `ALLURE_NO_ANALYTICS` (the report loads nothing from anywhere). In single-file mode
the whole report is one `index.html`, so it opens from disk without a web server.

The pack stays as sealed: Allure reads a copy of its results, where `executor.json` gains the `buildOrder` the
trend is numbered by. The trend comes from Allure 3's history file (`historyPath`, one JSON line per report),
kept per target beside its packs (`reports/<target>/allure-history.jsonl`, or `--history FILE`, e.g. last
night's from a CI artifact): each report adds its run and carries the file on in its own folder
(`history.jsonl`), as Allure 2 carried `history/`. Building the same run's report again replaces its entry.
A pack that does not match its manifest gets no report: its results may not be the run's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck.errors import ConfigError, EvidenceError
from carecheck.evidence import RUN_FILE, read_json, verify, write_json, write_text
from carecheck.project import ALLURE_TOOL
from carecheck.report.allure_environment import EXECUTOR_FILE
from carecheck.report.categories import ALLURE_RESULTS

__all__ = ["ALLURE_VERSION", "HISTORY_FILE", "HISTORY_LIMIT", "AllureSite", "allure_command", "build_allure_site"]

ALLURE_VERSION = "3."
"""The major version of the Allure command line this module drives (its options and history file)."""
HISTORY_FILE = "allure-history.jsonl"
HISTORY_LIMIT = 20
_SITE_HISTORY = "history.jsonl"
_GENERATE_SECONDS = 600


@dataclass(frozen=True)
class AllureSite:
    """A generated Allure report: its one file, the history it extended, and what to warn about."""

    index: Path
    history: Path
    runs: int
    """How many runs of the target the trend shows, this one included."""
    warnings: tuple[str, ...] = ()


def allure_command(explicit: Path | None = None) -> list[str]:
    """The Allure 3 command line: `explicit`, else the checkout's (`make report` installs it), else `allure` on
    PATH; ConfigError saying how to get it when there is none or it is not Allure 3."""
    candidates = [explicit] if explicit is not None else [ALLURE_TOOL, shutil.which("allure")]
    found = next((Path(c) for c in candidates if c is not None and Path(c).is_file()), None)
    if found is None:
        where = f"{explicit} does not exist" if explicit is not None else "no Allure command line found"
        raise ConfigError(
            f"{where}: the Allure report needs Allure 3 and Node.js (`make report` installs it with npm ci in tools/allure; "
            "elsewhere `npm install -g allure@3`); report.html needs neither"
        )
    try:
        done = subprocess.run([str(found), "--version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError as error:
        raise ConfigError(f"{found} does not run ({error.strerror or error}): is Node.js installed?") from None
    version = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0:
        said = (done.stderr.strip() or f"exit code {done.returncode}").splitlines()[-1]
        raise ConfigError(f"{found} does not run ({said}): is Node.js installed?")
    if not version.startswith(ALLURE_VERSION):
        raise ConfigError(f"{found} is not Allure 3 (it says {version[:80]!r}): install the npm package allure@3")
    return [str(found.absolute())]


def _checked(pack: Path) -> list[str]:
    """Refuse a pack that does not match its manifest; warn about one that was interrupted or never sealed."""
    if not pack.is_dir():
        raise EvidenceError(f"{pack}: no such report folder (make a run first: `make run` or `carecheck run`)")
    if not (pack / ALLURE_RESULTS).is_dir() or not any((pack / ALLURE_RESULTS).glob("*-result.json")):
        raise EvidenceError(f"{pack}: no Allure results ({ALLURE_RESULTS}/) in this folder: is it a carecheck run's report folder?")
    verification = verify(pack)
    if verification.problems:
        raise EvidenceError(f"{verification.describe()}: the pack is not the one its manifest describes, so no Allure report is made of it")
    if not verification.present:
        return [f"{pack}: no manifest.json (the run was killed before sealing its pack): the report shows what it finished, unverified"]
    if not verification.complete:
        return [f"{pack}: an incomplete run (interrupted): the report shows only the scenarios it finished"]
    return []


def _history(source: Path, report_name: str) -> list[str]:
    """The earlier runs' lines of the history file (the newest HISTORY_LIMIT - 1), without this run's own."""
    if not source.is_file():
        return []
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        try:
            if line.strip() and json.loads(line).get("name") != report_name:
                kept.append(line)
        except (ValueError, AttributeError):
            continue  # a line Allure could not read either: dropped, not fatal
    return kept[-(HISTORY_LIMIT - 1) :]


def _stage(pack: Path, staging: Path, report_name: str, build_order: int) -> Path:
    """A copy of the pack's Allure results whose executor numbers this run in the trend."""
    results = staging / ALLURE_RESULTS
    shutil.copytree(pack / ALLURE_RESULTS, results)
    executor_file = results / EXECUTOR_FILE
    executor: dict[str, Any] = read_json(executor_file) if executor_file.is_file() else {"name": "carecheck", "type": "carecheck"}
    write_json(executor_file, {**executor, "reportName": report_name, "buildOrder": build_order})
    return results


def _generate(command: Sequence[str], staging: Path, results: Path, output: Path, history: Path, report_name: str) -> None:
    config = {
        "name": report_name,
        "output": str(output),
        "historyPath": str(history),
        "historyLimit": HISTORY_LIMIT,
        "plugins": {"allure2": {"options": {"singleFile": True, "reportName": report_name}}},
    }
    write_json(staging / "allurerc.json", config)
    environment = {**os.environ, "ALLURE_NO_ANALYTICS": "true"}
    try:
        done = subprocess.run(
            [*command, "generate", "--config", str(staging / "allurerc.json"), str(results)],
            cwd=staging, env=environment, capture_output=True, text=True, timeout=_GENERATE_SECONDS, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise ConfigError(f"Allure did not finish within {_GENERATE_SECONDS} s") from None
    if done.returncode != 0 or not (output / "index.html").is_file():
        said = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()[-1]
        raise ConfigError(f"Allure could not build the report: {said}")


def build_allure_site(pack: Path, out: Path | None = None, history: Path | None = None, command: Sequence[str] | None = None) -> AllureSite:
    """Build the Allure report of the run in `pack` into `out` (default: beside the pack, `<pack>-allure/`),
    extending the target's history file (default: `allure-history.jsonl` beside the pack)."""
    pack = pack.resolve()
    warnings = _checked(pack)
    run = read_json(pack / RUN_FILE) if (pack / RUN_FILE).is_file() else {}
    target = str((run.get("target") or {}).get("name") or pack.name)
    report_name = f"carecheck: {target} {run.get('started') or pack.name}"
    site = (out or pack.with_name(f"{pack.name}-allure")).resolve()
    if site == pack or site.is_relative_to(pack):
        raise ConfigError(f"{site}: the Allure report cannot go inside the pack (it would break its manifest)")
    history_file = (history or pack.parent / HISTORY_FILE).resolve()
    earlier = _history(history_file, report_name)
    tool = list(command) if command is not None else allure_command()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".carecheck-allure-", dir=site.parent))
    try:
        staged_history = staging / _SITE_HISTORY
        staged_history.write_text("".join(f"{line}\n" for line in earlier), encoding="utf-8")
        results = _stage(pack, staging, report_name, len(earlier) + 1)
        built = staging / "report"
        _generate(tool, staging, results, built, staged_history, report_name)
        shutil.copyfile(staged_history, built / _SITE_HISTORY)
        if site.exists():
            shutil.rmtree(site)
        os.replace(built, site)
        write_text(history_file, staged_history.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return AllureSite(site / "index.html", history_file, len(earlier) + 1, tuple(warnings))
