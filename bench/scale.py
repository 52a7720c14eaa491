"""Scale of a nightly run: four remote-like targets in one `carecheck run` against one target alone.

Four reference servers run in processes of their own (`carecheck serve`), each behind its own delaying proxy
(`delay_proxy.DelayingProxy`, 50 ms a request), each named by a target profile of its own (the reference profile with
that proxy's URL). It times `carecheck run --target remote-1` alone, then `carecheck run --target remote-1 ...
--target remote-4` (the targets run concurrently, each with its own pytest process), and prints the ratio against the
limit of issue 17 (four in at most 1.3x the time of one), the CPU time of each, and whether every target reached the
verdicts of the one run alone. Run: `.venv/bin/python bench/scale.py [--delay 0.05] [--suite NAME] [--targets 4]`.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from pathlib import Path

from delay_proxy import DelayingProxy
from remote_speed import start_server, write_profile
from run_timing import run_once, verdicts

LIMIT = 1.3
"""Four targets in one run may take at most this many times one target alone (issue 17)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.05, help="seconds added to each request (default 0.05)")
    parser.add_argument("--suite", help="run this suite instead of the full one")
    parser.add_argument("--targets", type=int, default=4, help="targets in the one run (default 4)")
    options = parser.parse_args()
    selection = ["--suite", options.suite] if options.suite else []
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        profiles = []
        for number in range(1, options.targets + 1):
            server, port = start_server()
            stack.callback(server.wait, 10)
            stack.callback(server.terminate)
            proxy = stack.enter_context(DelayingProxy(port, options.delay))
            profiles.append(write_profile(folder, f"remote-{number}", f"http://127.0.0.1:{proxy.port}/STU3"))
        one = run_once(["--target", str(profiles[0]), *selection], folder / "one")
        many = run_once([argument for profile in profiles for argument in ("--target", str(profile))] + selection, folder / "many")
        alone = verdicts(one.report_dirs[0])
        same = len(many.report_dirs) == len(profiles) and all(verdicts(report_dir) == alone for report_dir in many.report_dirs)
        print(f"{options.delay * 1000:.0f} ms a request, suite {options.suite or 'full'}")
        print(f"1 target: {one.wall:.1f} s wall ({one.cpu:.1f} s CPU), {one.requests} scenario requests")
        if one.phases is not None:
            print(f"  {one.phases.describe()}")
        print(f"{len(profiles)} targets in one run: {many.wall:.1f} s wall ({many.cpu:.1f} s CPU), {many.requests} scenario requests")
        print(
            f"{len(profiles)} targets / 1 target: {many.wall / one.wall:.2f}x (goal <= {LIMIT}x); every target's verdicts those of the one alone: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
