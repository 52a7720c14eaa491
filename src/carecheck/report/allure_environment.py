"""`allure-results/environment.properties` and `executor.json`: the run's facts where Allure shows them.

The Environment panel names the target, the base URL tested, the FHIR version its CapabilityStatement declares,
the suite and tags, the verdict, and which carecheck ran (version, commit, features digest), so two Allure
reports can be told apart; the Executors panel says where the run ran (the CI job, with its link). Both are
views of `run.json`, written with the other reports. `.properties` is Java's format (ISO-8859-1 with `\\uXXXX`
escapes), which Allure 2 and Allure 3 both read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from carecheck.evidence import Pack, write_json, write_text
from carecheck.report.categories import ALLURE_RESULTS

__all__ = ["ENVIRONMENT_FILE", "EXECUTOR_FILE", "allure_environment", "allure_executor", "properties_text", "write_allure_environment"]

ENVIRONMENT_FILE = "environment.properties"
EXECUTOR_FILE = "executor.json"


def allure_environment(pack: Pack, summary: Mapping[str, Any]) -> dict[str, str]:
    """The Environment panel, in the order shown."""
    run = pack.run
    target: Mapping[str, Any] = run.get("target") or {}
    scope: Mapping[str, Any] = run.get("scope") or {}
    expectations = ((target.get("profile") or {}).get("expectations") or {}).get("conformance", "ig")
    statement = pack.capability_statement or {}
    complete = "yes" if pack.complete else "no (interrupted: this pack holds what finished)"
    return {
        "target": str(target.get("name") or "?"),
        "base.url": str(target.get("base_url") or "?"),
        "fhir.version.declared": str(statement.get("fhirVersion") or "not declared"),
        "conformance": str(expectations).upper(),
        "suite": str(scope.get("suite") or "full"),
        "tags": str(scope.get("tags") or "none"),
        "verdict": str((summary.get("headline") or {}).get("text") or "?"),
        "started": str(run.get("started") or "?"),
        "complete": complete,
        "harness.version": str(run.get("harness_version") or "?"),
        "harness.commit": str(run.get("harness_commit") or "unknown"),
        "features.sha256": str(run.get("features_sha256") or "unknown"),
    }


def allure_executor(pack: Pack) -> dict[str, Any]:
    """The Executors panel: the CI job or host that ran the run (no `buildOrder`: the trend's numbering is the
    report's business, see `carecheck.report.allure_site`)."""
    run = pack.run
    target = str((run.get("target") or {}).get("name") or "?")
    executor: Mapping[str, Any] = run.get("executor") or {}
    when = f"{target} {run.get('started') or ''}".strip()
    data: dict[str, Any] = {
        "name": str(executor.get("name") or "carecheck"),
        "type": str(executor.get("type") or "carecheck"),
        "buildName": f"{executor['build']} · {when}" if executor.get("build") else when,
        "reportName": f"carecheck: {target}",
    }
    if executor.get("url"):
        data["buildUrl"] = str(executor["url"])
    return data


_CONTROL = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}


def _escaped(text: str, *, key: bool) -> str:
    """A key escapes its separators and comment marks; a value its leading space (else read as padding)."""
    out = []
    for position, char in enumerate(text):
        if char == "\\" or (key and char in "=: #!") or (char == " " and position == 0):
            out.append("\\" + char)
        elif char in _CONTROL:
            out.append(_CONTROL[char])
        elif not " " <= char <= "~":
            encoded = char.encode("utf-16-be")
            out.extend(f"\\u{int.from_bytes(encoded[i : i + 2], 'big'):04x}" for i in range(0, len(encoded), 2))
        else:
            out.append(char)
    return "".join(out)


def properties_text(entries: Mapping[str, str]) -> str:
    """Java `.properties` text: one `key=value` line per entry, escaped so any reader gets the value back."""
    return "".join(f"{_escaped(key, key=True)}={_escaped(value, key=False)}\n" for key, value in entries.items())


def write_allure_environment(pack: Pack, summary: Mapping[str, Any]) -> Path | None:
    """Write both files into the run's Allure results; None when the run has none."""
    folder = pack.root / ALLURE_RESULTS
    if not folder.is_dir():
        return None
    write_text(folder / ENVIRONMENT_FILE, properties_text(allure_environment(pack, summary)))
    write_json(folder / EXECUTOR_FILE, allure_executor(pack))
    return folder / ENVIRONMENT_FILE
