"""Speed of a full run against a server behind a network: the reference server behind a proxy adding 50 ms a request.

The reference server runs in a process of its own (`carecheck serve`, signing its tokens with the reference
profile's key, so the forged-token scenarios run as they do embedded) behind `delay_proxy.DelayingProxy`. The full
suite runs against the proxy (`carecheck run --base-url`) with `-n 1` and with the profile's concurrency (`-n 4`).
Every request of a run, the owner's set-up included, crosses the proxy, which counts them, so the limits are exact:
requests × latency for `-n 1`, requests × latency / 4 for `-n 4`. It prints each run's wall time against its limit
(issue 17: within 1.3x of each), where the wall time went, that both runs reached the same verdicts, and the
politeness the proxy saw (requests waiting for an answer at once, at most the profile's `limits.concurrency`; the
busiest second). `--rate R` adds a run of the profile with `limits.requests_per_second: R` and shows the busiest second the proxy saw.
Run: `.venv/bin/python bench/remote_speed.py [--delay 0.05] [--workers 4] [--suite NAME] [--keep DIR] [--rate R]`.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml
from delay_proxy import DelayingProxy
from run_timing import TimedRun, run_once, verdicts

from carecheck.project import DATA

LIMIT = 1.3
"""A run may take at most this many times its limit (issue 17)."""
SIGNING_KEY = DATA / "keys" / "carecheck-refserver-rs256.private.pem"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "carecheck.cli", "serve", "--port", str(port), "--signing-key", str(SIGNING_KEY)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/STU3/metadata", timeout=2)
            return process, port
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the reference server did not start")


def write_profile(folder: Path, name: str, base_url: str, *, rate: float = 0) -> Path:
    """The reference profile, renamed and pointed at `base_url` (the signing key named by an absolute path), with a
    request rate limit when `rate` is given."""
    profile = yaml.safe_load((DATA / "targets" / "reference.yaml").read_text(encoding="utf-8"))
    if rate:
        profile["limits"] = {**profile.get("limits", {}), "requests_per_second": rate}
    profile["name"] = name
    profile["description"] = f"the reference server behind a delaying proxy ({name})"
    profile["base_url"] = base_url
    profile["auth"]["token_signing_key"] = str(SIGNING_KEY)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return path


def report(label: str, run: TimedRun, requests: int, limit: float, most_in_flight: int, busiest: int) -> None:
    print(
        f"{label}: {run.wall:.1f} s wall ({run.cpu:.1f} s CPU), {requests} requests through the proxy; limit {limit:.1f} s -> {run.wall / limit:.2f}x the limit (goal <= {LIMIT}x)"
    )
    if run.phases is not None:
        print(f"  {run.phases.describe()}")
    print(f"  politeness: at most {most_in_flight} requests waiting for an answer at once; busiest second {busiest} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.05, help="seconds added to each request (default 0.05)")
    parser.add_argument("--workers", type=int, default=4, help="the parallel run's -n (default 4, the profile's concurrency)")
    parser.add_argument("--suite", help="run this suite instead of the full one")
    parser.add_argument("--keep", type=Path, help="keep both runs' packs in this folder (serial/, parallel/)")
    parser.add_argument("--rate", type=float, default=0, help="also run -n WORKERS with the profile's limits.requests_per_second at this rate")
    options = parser.parse_args()
    server, port = start_server()
    selection = ["--suite", options.suite] if options.suite else []
    try:
        with DelayingProxy(port, options.delay) as proxy, tempfile.TemporaryDirectory() as temporary:
            scratch = options.keep or Path(temporary)
            base = ["--base-url", f"http://127.0.0.1:{proxy.port}/STU3", *selection]
            proxy.reset()
            serial = run_once([*base, "-n", "1"], Path(scratch) / "serial")
            serial_counts = proxy.reset()
            parallel = run_once([*base, "-n", str(options.workers)], Path(scratch) / "parallel")
            parallel_counts = proxy.reset()
            same = verdicts(Path(scratch) / "serial") == verdicts(Path(scratch) / "parallel")
            serial_limit = serial_counts.requests * options.delay
            parallel_limit = parallel_counts.requests * options.delay / options.workers
            print(f"{options.delay * 1000:.0f} ms a request, suite {options.suite or 'full'}")
            report("-n 1", serial, serial_counts.requests, serial_limit, serial_counts.most_in_flight, serial_counts.busiest_second())
            report(
                f"-n {options.workers}", parallel, parallel_counts.requests, parallel_limit, parallel_counts.most_in_flight, parallel_counts.busiest_second()
            )
            print(
                f"-n {options.workers} speed-up over -n 1: {serial.wall / parallel.wall:.2f}x; same verdicts (outcome and message of every scenario): {'yes' if same else 'NO'}"
            )
            if options.rate:
                profile = write_profile(scratch, "remote-paced", f"http://127.0.0.1:{proxy.port}/STU3", rate=options.rate)
                paced = run_once(["--target", str(profile), *selection, "-n", str(options.workers)], scratch / "paced")
                counts = proxy.reset()
                print(
                    f"-n {options.workers} with limits.requests_per_second {options.rate:g}: {paced.wall:.1f} s, {counts.requests} requests "
                    f"({counts.requests / paced.wall:.1f}/s overall); busiest second {counts.busiest_second()} requests; at most {counts.most_in_flight} waiting at once"
                )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
