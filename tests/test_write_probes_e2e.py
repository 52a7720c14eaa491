"""Do no harm, proven end to end: the full conformance suite against a reference server that really performs
writes leaves every record it held unchanged (content and meta.versionId, read straight from its SQLite) and
nothing behind, fails the write requirements, and reports carecheck's clean-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from starlette.applications import Starlette

from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, create_app

pytestmark = pytest.mark.e2e

READ_ONLY = "errors/read_only/the-read-only-api-refuses-to-"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One full run (every scenario) against the writable reference server with no authentication."""
    folder = tmp_path_factory.mktemp("writable")
    reference = yaml.safe_load(data_path("targets", "reference.yaml").read_text(encoding="utf-8"))
    profile = folder / "writable.yaml"
    profile.write_text(yaml.safe_dump({"name": "writable", "base_url": "http://127.0.0.1:1/STU3", "auth": {"type": "none"}, "testdata": reference["testdata"]}))
    app = create_app(writes=True)
    assert isinstance(app, Starlette)
    before = app.state.store.snapshot()
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--target", str(profile), "--base-url", server.base_url, "--report-dir", str(folder / "pack")]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    summary = json.loads((folder / "pack" / "summary.json").read_text(encoding="utf-8"))
    return {"result": result, "pack": folder / "pack", "summary": summary, "before": before, "after": app.state.store.snapshot()}


def test_every_record_is_unchanged_and_nothing_is_left_behind(run: dict[str, Any]) -> None:
    before, after = run["before"], run["after"]
    assert run["summary"]["totals"]["scenarios"] >= 500 and run["summary"]["complete"], "the full suite ran"
    assert sorted(after) == sorted(before), "no record deleted, none left behind"
    assert [key for key in before if after[key] != before[key]] == [], "every record's content unchanged"
    assert {key: (r.get("meta") or {}).get("versionId") for key, r in after.items()} == {
        key: (r.get("meta") or {}).get("versionId") for key, r in before.items()
    }


def test_every_write_named_carecheck_s_own_id_or_a_record_its_create_made(run: dict[str, Any]) -> None:
    writes = []
    for path in (run["pack"] / "evidence").rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        request = data.get("request") if isinstance(data, dict) else None
        if request and request["method"] in WRITES and not urlsplit(request["url"]).path.endswith(("/_search", "/auth/token")):
            writes.append((request["method"], urlsplit(request["url"]).path, path))
    assert {method for method, _, _ in writes} == WRITES
    for method, url_path, path in writes:
        if method in ("PUT", "PATCH") or (method == "DELETE" and "carecheck-probe-" in url_path):
            assert url_path.rsplit("/", 1)[1].startswith("carecheck-probe-"), path
        elif method == "DELETE":  # a clean-up: the record a carecheck POST of the same scenario created
            created = list(path.parent.glob("*-POST-*.json"))
            assert created and url_path.rsplit("/", 1)[1] in json.dumps(json.loads(created[0].read_text())["response"]), path
        else:
            assert "urn:carecheck:write-probe" in json.loads(path.read_text())["request"]["body"]["text"], path


def test_the_write_requirements_fail(run: dict[str, Any]) -> None:
    outcomes = {s["id"]: s["outcome"] for s in run["summary"]["scenarios"]}
    assert run["result"].returncode == 1
    for method in ("post", "put", "delete"):
        for resource in ("patient", "observation"):
            assert outcomes[f"{READ_ONLY}{method}-a-{resource}--{method}-{resource}"] == "failed"
        assert outcomes[f"security/scopes/a-read-only-token-cannot-{method}-a-patient--{method}"] == "failed"
    checklist = (run["pack"] / "checklist.md").read_text(encoding="utf-8")
    for requirement in ("CC-ERR-READ-ONLY", "CC-SEC-SCOPES"):
        assert next(line for line in checklist.splitlines() if f"**{requirement}**" in line).count("**not met**") == 1


def test_the_clean_up_is_reported_in_the_scenario_the_pack_the_report_and_the_console(run: dict[str, Any]) -> None:
    messages = {s["id"]: s["message"] for s in run["summary"]["scenarios"]}
    assert "the server performed the POST (201)" in messages[f"{READ_ONLY}post-a-patient--post-patient"]
    assert "carecheck deleted what it wrote: Patient/" in messages[f"{READ_ONLY}post-a-patient--post-patient"]
    record = json.loads((run["pack"] / "run.json").read_text(encoding="utf-8"))["write_cleanup"]
    assert record == run["summary"]["write_cleanup"]
    assert record["left_behind"] == [] and len(record["cleaned"]) == 3, "the three creates, each deleted again"
    assert all("DELETE answered 204; a re-read answered 410" in entry["message"] for entry in record["cleaned"])
    assert "id=writes" in (run["pack"] / "report.html").read_text(encoding="utf-8")
    last = run["result"].stdout.splitlines()[-1]
    assert "the server performed carecheck's writes; carecheck deleted all 3 record(s) they wrote (see report.html)" in last


def test_the_pack_rejudges_to_the_same_verdicts(run: dict[str, Any], tmp_path: Path) -> None:
    command = [sys.executable, "-m", "carecheck.cli", "rejudge", str(run["pack"]), "--report-dir", str(tmp_path / "again")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and "0 difference(s) from the live verdicts" in result.stdout, result.stdout + result.stderr


def test_a_profile_that_forbids_writes_sends_none_and_its_write_scenarios_are_not_applicable(tmp_path: Path) -> None:
    reference = yaml.safe_load(data_path("targets", "reference.yaml").read_text(encoding="utf-8"))
    profile = tmp_path / "never.yaml"
    profile.write_text(
        yaml.safe_dump({"name": "never", "base_url": "http://127.0.0.1:1/STU3", "auth": {"type": "none"}, "testdata": reference["testdata"], "writes": "never"})
    )
    app = create_app(population=0, writes=True)
    with EmbeddedServer(app) as server:
        command = [
            sys.executable,
            "-m",
            "carecheck.cli",
            "run",
            "--target",
            str(profile),
            "--base-url",
            server.base_url,
            "--report-dir",
            str(tmp_path / "pack"),
            "--tags",
            "errors or scope",
        ]
        subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    scenarios = json.loads((tmp_path / "pack" / "summary.json").read_text(encoding="utf-8"))["scenarios"]
    writing = [s for s in scenarios if s["id"].startswith((READ_ONLY, "security/scopes/a-read-only-token-cannot-"))]
    assert len(writing) == 11 and {s["outcome"] for s in writing} == {"not-applicable"}
    assert all("(writes: never)" in s["message"] and "untested" in s["message"] for s in writing)
    methods = {json.loads(p.read_text())["request"]["method"] for p in (tmp_path / "pack" / "evidence").rglob("0*.json")}
    sent = {json.loads(p.read_text())["request"]["url"] for p in (tmp_path / "pack" / "evidence").rglob("*-POST-*.json")}
    assert not methods & {"PUT", "PATCH", "DELETE"} and all(url.endswith("/_search") for url in sent), "not a single write"
