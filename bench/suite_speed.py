"""Speed of the full conformance suite against the embedded reference server, and its overhead over bare HTTP.

1. Runs `carecheck run` (the full suite, default reference target) and times it end to end.
2. Reads every exchange the run recorded in its evidence, and replays the same requests with a bare
   httpx client (one access token, keep-alive) against a fresh embedded server, timing that.

Prints scenarios/s of the suite and the ratio of the suite's wall time to the bare replay: what the
harness costs on top of the HTTP it needs (pytest start-up, discovery, judging, validation, evidence).
Run: `.venv/bin/python bench/suite_speed.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app

SECRET = ("carecheck-all", "demo-all-64e98961bc4161b9")


def timed_run(report_dir: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "carecheck.cli", "run", "--report-dir", str(report_dir)], check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    return elapsed, json.loads((report_dir / "summary.json").read_text())


def recorded_requests(report_dir: Path) -> list[tuple[str, str, bytes]]:
    """(method, path and query after the base URL, body) of every recorded scenario exchange, in order."""
    requests = []
    for path in sorted((report_dir / "evidence").rglob("*.json")):
        if path.name in ("result.json", "scenario.json") or "_run" in path.parts or "_bodies" in path.parts:
            continue
        request = json.loads(path.read_text())["request"]
        tail = request["url"].split("/STU3", 1)[1] if "/STU3" in request["url"] else request["url"]
        requests.append((request["method"], tail, request["body"].get("text", "").encode()))
    return requests


def bare_replay(requests: list[tuple[str, str, bytes]]) -> float:
    with EmbeddedServer(create_app(auth=SecuritySettings.load())) as server, httpx.Client() as client:
        token = client.post(server.base_url.replace("/STU3", "/auth/token"), data={"grant_type": "client_credentials"}, auth=SECRET).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        started = time.perf_counter()
        for method, tail, body in requests:
            client.request(method, server.base_url + tail, headers=headers, content=body or None)
        return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        report_dir = Path(scratch) / "run"
        wall, summary = timed_run(report_dir)
        requests = recorded_requests(report_dir)
    replay = bare_replay(requests)
    totals = summary["totals"]
    assert isinstance(totals, dict)
    scenarios = int(totals["scenarios"])
    print(f"suite: {scenarios} scenarios, {len(requests)} requests in {wall:.2f} s wall -> {scenarios / wall:.1f} scenarios/s")
    print(f"bare httpx replay of the same {len(requests)} requests: {replay:.2f} s -> {len(requests) / replay:.0f} requests/s")
    print(f"suite wall time / bare replay: {wall / replay:.1f}x")


if __name__ == "__main__":
    main()
