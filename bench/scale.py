"""Scale of a nightly run: the core suite against 1, 2 and 4 embedded servers in one run, and one target
with -n 1 against -n 2.

Each configuration is one `carecheck run --suite core` (every target gets its own embedded reference
server and pytest process; at most four targets run at once). It prints the wall time of each and the
ratios the nightly service cares about: 4 targets against 1 (goal: well under 4x) and -n 2 against -n 1.
Run: `.venv/bin/python bench/scale.py`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall(arguments: list[str]) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        command = [sys.executable, "-m", "carecheck.cli", "run", "--suite", "core", "--report-dir", str(Path(scratch) / "run"), *arguments]
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - started


def main() -> None:
    targets = {count: wall(["--target", "reference"] * count) for count in (1, 2, 4)}
    workers = {n: wall(["-n", str(n)]) for n in (1, 2)}
    for count, seconds in targets.items():
        print(f"core suite, {count} target(s) in one run: {seconds:.1f} s ({seconds / targets[1]:.2f}x one target)")
    for n, seconds in workers.items():
        print(f"core suite, one target, -n {n}: {seconds:.1f} s")
    print(f"4 targets / 1 target: {targets[4] / targets[1]:.2f}x (goal: well under 4x); -n 2 / -n 1: {workers[2] / workers[1]:.2f}x")


if __name__ == "__main__":
    main()
