"""The `carecheck` command line: `run` and `serve`. The only place that prints errors or chooses exit codes.

Exit codes: 0 every scenario passed; 1 a scenario failed or the run was interrupted; 2 a usage or
configuration error (including credentials the target's token endpoint refuses); 3 the target cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from carecheck import __version__
from carecheck.errors import AuthError, ConfigError, TargetUnreachable

__all__ = ["main"]

EXIT_USAGE = 2
EXIT_UNREACHABLE = 3


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, with the design's exit code."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"carecheck: error: {message} (see carecheck {self.prog.split()[-1]} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="carecheck", description="Conformance test harness for the NHS Care Connect API (FHIR STU3).")
    parser.add_argument("--version", action="version", version=f"carecheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run the conformance suites against a target and write reports")
    run.add_argument("--target", default="reference", help="a profile name in fixtures/targets/ or a YAML file (default: reference, the embedded server)")
    run.add_argument("--base-url", help="test this FHIR base URL instead of the profile's (its test data stays)")
    run.add_argument("--report-dir", type=Path, help="write this run's reports here (default: reports/<target>/<UTC time>/)")
    run.add_argument("--waivers", type=Path, help="YAML file of accepted deviations (replaces the profile's waivers)")
    run.add_argument("--tags", metavar="EXPR", help='run only scenarios whose Gherkin tags match, e.g. "shall and not core" or "patient or capability"')

    validate = commands.add_parser("validate", help="validate FHIR resources or Bundles in files against the Care Connect profiles")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="JSON or XML files")
    validate.add_argument("--waivers", type=Path, help="YAML file of accepted deviations")

    serve = commands.add_parser("serve", help="serve the Care Connect reference server until stopped")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument("--auth", choices=("on", "off"), default="on", help="require OAuth2 access tokens (default: on; demo clients in fixtures/refserver/clients.yaml)")
    serve.add_argument("--seed", type=int, default=None, metavar="N", help="synthetic patients to seed besides the NHS examples (default: 100)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "serve":
            return _serve(arguments)
        if arguments.command == "validate":
            return _validate(arguments)
        return _run(arguments)
    except ConfigError as error:
        print(f"carecheck: configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except AuthError as error:
        print(f"carecheck: authentication failed: {error}", file=sys.stderr)
        return EXIT_USAGE
    except TargetUnreachable as error:
        print(f"carecheck: target unreachable: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE


def _run(arguments: argparse.Namespace) -> int:
    from carecheck.run.session import RunOptions, run

    options = RunOptions(
        target=arguments.target,
        base_url=arguments.base_url,
        report_dir=arguments.report_dir,
        waivers=arguments.waivers,
        tags=arguments.tags,
    )
    result = run(options)
    print(result.describe())
    return result.exit_code


def _validate(arguments: argparse.Namespace) -> int:
    from carecheck.validate_files import validate_files

    report = validate_files(arguments.files, waivers=arguments.waivers)
    for line in report.lines:
        print(line)
    print(report.summary)
    return 1 if report.errors else 0


def _serve(arguments: argparse.Namespace) -> int:
    from carecheck.refserver import SecuritySettings, serve

    if arguments.seed is not None and arguments.seed < 0:
        raise ConfigError("--seed must be 0 or more")
    auth = SecuritySettings.load() if arguments.auth == "on" else None
    population = {} if arguments.seed is None else {"population": arguments.seed}
    security = "tokens from /auth/token required" if auth else "no authentication"
    print(f"carecheck reference server at http://{arguments.host}:{arguments.port}/STU3 ({security}; Ctrl-C to stop)", flush=True)
    try:
        serve(host=arguments.host, port=arguments.port, auth=auth, **population)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        raise ConfigError(f"cannot serve on {arguments.host}:{arguments.port}: {error.strerror or error}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
