"""The `carecheck` commands that read evidence packs after a run: `rejudge`, `compare`, `verify`, `baseline`, `allure`
and `index`. Each takes the parsed arguments (`carecheck.cli` parses them and turns errors into exit codes), prints
its lines and returns its exit code."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from carecheck.errors import ConfigError
from carecheck.exit_codes import ExitCode, worst

__all__ = ["COMMANDS", "allure", "baseline", "compare", "index", "rejudge", "verify"]


def rejudge(arguments: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from carecheck.evidence import read_json
    from carecheck.evidence import rejudge as rejudge_pack
    from carecheck.report import write_reports

    run = read_json(arguments.pack / "run.json") if (arguments.pack / "run.json").is_file() else {}
    name = str((run.get("target") or {}).get("name") or "pack")
    report_dir = arguments.report_dir or Path("reports") / "rejudged" / f"{name}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}"
    result = rejudge_pack(arguments.pack, report_dir, waivers=arguments.waivers, allow_unsealed=arguments.allow_unsealed)
    totals = write_reports(result.report_dir)["totals"]
    if not result.verification.present:
        print(f"carecheck rejudge: warning: {result.verification.describe()}")
    elif not result.verification.complete:
        print(f"carecheck rejudge: warning: {arguments.pack} is an incomplete run (interrupted): only the scenarios it finished are re-judged")
    for difference in result.differences:
        print(difference.describe())
    counts = ", ".join(
        f"{totals[k]} {k}" for k in ("passed", "failed", "error", "waived", "inconclusive", "not-applicable", "skipped") if totals[k] or k == "passed"
    )
    print(
        f"carecheck rejudge: {totals['scenarios']} scenarios from {arguments.pack}: {counts}; {len(result.differences)} "
        f"difference(s) from the live verdicts, {len(result.new_failures)} new failure(s) — report: {result.report_dir}"
    )
    return ExitCode.FAILED if result.new_failures else ExitCode.PASSED


def compare(arguments: argparse.Namespace) -> int:
    import json

    from carecheck.report.compare import compare as compare_packs

    comparison = compare_packs(arguments.before, arguments.after)
    for line in comparison.lines():
        print(line)
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(comparison.to_data(), indent=2) + "\n", encoding="utf-8")
    return ExitCode.FAILED if comparison.new_failures else ExitCode.PASSED


def verify(arguments: argparse.Namespace) -> int:
    from carecheck.evidence import verify as verify_pack

    verification = verify_pack(arguments.pack)
    for problem in verification.problems:
        print(f"carecheck verify: {problem}")
    if verification.problems:
        print(f"carecheck verify: {arguments.pack}: {len(verification.problems)} problem(s): the pack is not the one its manifest describes")
    else:
        print(f"carecheck verify: {verification.describe()}")
    return ExitCode.PASSED if verification.ok else ExitCode.FAILED


def baseline(arguments: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from carecheck.baseline import dump_baseline, record_baseline

    recorded = datetime.now(UTC).isoformat(timespec="seconds")
    baseline = record_baseline(arguments.pack, owner=arguments.owner, reason=arguments.reason, recorded=recorded)
    output = arguments.output or Path(f"baseline-{baseline.target or 'target'}.yaml")
    try:
        output.write_text(dump_baseline(baseline), encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}") from None
    for line in baseline.left_out:
        print(f"carecheck baseline: not pinned: {line}")
    print(f"carecheck baseline: {len(baseline.pins)} search(es) of {arguments.pack} pinned — written to {output}")
    return ExitCode.PASSED


def allure(arguments: argparse.Namespace) -> int:
    from carecheck.report.allure_site import allure_command, build_allure_site

    command = allure_command(arguments.allure)
    site = build_allure_site(arguments.pack, arguments.out, arguments.history, command)
    for warning in site.warnings:
        print(f"carecheck allure: warning: {warning}")
    print(f"carecheck allure: {site.index} (one file: open it from disk) — trend of {site.runs} run(s), history in {site.history}")
    return ExitCode.PASSED


def index(arguments: argparse.Namespace) -> int:
    from carecheck.report import pack_entry, write_index

    entries = [pack_entry(pack) for pack in arguments.packs]
    for entry in entries:
        said = entry.status if entry.verified else f"{entry.state}: {entry.status}"
        print(f"carecheck index: {entry.target} ({entry.report_dir}): {said}")
    page = write_index(arguments.out, entries, arguments.history)
    print(f"carecheck index: {len(entries)} pack(s) — {page}")
    return worst(entry.exit_code for entry in entries)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "rejudge": rejudge,
    "compare": compare,
    "verify": verify,
    "baseline": baseline,
    "allure": allure,
    "index": index,
}
