"""Speed of the full conformance suite against the embedded reference server, and its overhead over bare HTTP.

1. Runs `carecheck run` (the full suite, default reference target) and times it end to end, wall and CPU.
2. Reads every exchange the run recorded in its evidence, and replays the same requests with a bare
   httpx client (one access token, keep-alive) against a fresh embedded server, timing that.

Prints scenarios/s of the suite, where its wall time went (start-up and collection, scenarios, reports: from the
pack's own timestamps), and the ratio of the suite's wall time to the bare replay against the limit of issue 17
(at most 1.5x): what the harness costs on top of the HTTP it needs. `--keep DIR` keeps the run's pack there.
Run: `.venv/bin/python bench/suite_speed.py`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import httpx
from run_timing import run_once

from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app

SECRET = ("carecheck-all", "demo-all-64e98961bc4161b9")
LIMIT = 1.5
"""The suite's wall time may be at most this many times the bare replay's (issue 17)."""


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


def bare_replay(requests: list[tuple[str, str, bytes]]) -> tuple[float, float]:
    """Wall and CPU seconds (client and server: one process) of replaying the requests."""
    with EmbeddedServer(create_app(auth=SecuritySettings.load())) as server, httpx.Client() as client:
        token = client.post(server.base_url.replace("/STU3", "/auth/token"), data={"grant_type": "client_credentials"}, auth=SECRET).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        started, cpu = time.perf_counter(), time.process_time()
        for method, tail, body in requests:
            client.request(method, server.base_url + tail, headers=headers, content=body or None)
        return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the run's pack in this folder")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report_dir = Path(scratch) / "run"
        run = run_once([], report_dir)
        requests = recorded_requests(report_dir)
        if options.keep:
            shutil.copytree(report_dir, options.keep, symlinks=True, dirs_exist_ok=True)
    replay, replay_cpu = bare_replay(requests)
    scenarios = int(run.summaries[0]["totals"]["scenarios"])
    print(f"suite: {scenarios} scenarios, {len(requests)} requests in {run.wall:.2f} s wall ({run.cpu:.2f} s CPU) -> {scenarios / run.wall:.1f} scenarios/s")
    assert run.phases is not None
    print(f"  {run.phases.describe()}")
    print(f"bare httpx replay of the same {len(requests)} requests: {replay:.2f} s wall ({replay_cpu:.2f} s CPU) -> {len(requests) / replay:.0f} requests/s")
    print(
        f"suite wall time / bare replay: {run.wall / replay:.1f}x (limit {LIMIT}x: {run.wall / replay / LIMIT:.1f}x the limit); CPU: {run.cpu / replay_cpu:.1f}x"
    )


if __name__ == "__main__":
    main()
