"""The `carecheck` command line: `run`, `serve`, `validate`, `list`, `init`, and `rejudge`, `compare`, `verify`,
`baseline`, `allure`, `index` for evidence packs (`carecheck.pack_commands`). The only place that prints errors or chooses exit codes (defined in `carecheck.exit_codes`).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NoReturn

from carecheck import __version__
from carecheck.errors import AuthError, ConfigError, EvidenceError, TargetUnreachable, WrongServer
from carecheck.exit_codes import ExitCode, worst
from carecheck.pack_commands import COMMANDS as PACK_COMMANDS

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, with the design's exit code."""

    def error(self, message: str) -> NoReturn:
        command = "carecheck" if self.prog == "carecheck" else f"carecheck {self.prog.split()[-1]}"
        self.exit(ExitCode.USAGE, f"carecheck: error: {message} (see {command} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="carecheck", description="Conformance test harness for the NHS Care Connect API (FHIR STU3).")
    parser.add_argument("--version", action="version", version=f"carecheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run the conformance suites against a target and write reports")
    run.add_argument(
        "--target",
        action="append",
        dest="targets",
        metavar="TARGET",
        help="a YAML file, or a profile name in --profiles DIR or carecheck's own (default: reference, the embedded server); repeat to run several targets concurrently",
    )
    run.add_argument("--base-url", help="test this FHIR base URL instead of the profile's (its test data stays)")
    run.add_argument("--report-dir", type=Path, help="write this run's reports here (default: reports/<target>/<UTC time>/)")
    run.add_argument("--waivers", type=Path, help="YAML file of accepted deviations (replaces the profile's waivers)")
    run.add_argument("--tags", metavar="EXPR", help='run only scenarios whose Gherkin tags match, e.g. "shall and not core" or "patient or capability"')
    run.add_argument("--suite", help="a suite: smoke, core, full, security, nightly, or one of --suites FILE (default: full)")
    run.add_argument("-n", dest="workers", type=int, default=1, metavar="N", help="run each target's scenarios in N parallel workers (default: 1)")
    run.add_argument(
        "--ca-bundle", type=Path, metavar="FILE", help="PEM file of CA certificates to trust besides the default ones (certificates are always verified)"
    )
    run.add_argument(
        "--hypothesis-seed", metavar="SEED", help="generate the property suite's searches from this seed (default: derandomized, the same searches every run)"
    )
    run.add_argument(
        "--baseline", type=Path, metavar="FILE", help="YAML file of pinned search results, from carecheck baseline (replaces the profile's baseline)"
    )
    run.add_argument(
        "--sign-off",
        action="store_true",
        help="sign-off mode (also the profile's sign_off: true): a run that did not test every SHALL requirement fails with exit code 4",
    )
    _add_own_files(run)
    run.add_argument("--profiles", type=Path, metavar="DIR", help="a folder of your own target profiles: --target NAME looks for DIR/NAME.yaml first")

    listing = commands.add_parser("list", help="list what carecheck knows without running anything: scenarios, requirements, checks or steps")
    listing.add_argument(
        "what",
        choices=("checks", "requirements", "scenarios", "steps"),
        help="scenarios (honouring --suite, --tags, --features), requirements, checks (names a waiver's check may use), steps (the vocabulary of features)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of one line per entry")
    listing.add_argument("--suite", help="list scenarios: only this suite's")
    listing.add_argument("--tags", metavar="EXPR", help="list scenarios: only those whose Gherkin tags match")
    _add_own_files(listing)

    init = commands.add_parser("init", help="write a commented starter target profile for a server")
    init.add_argument("url", nargs="?", metavar="URL", help="the server's FHIR base URL (default: a placeholder to edit)")
    init.add_argument("--url", dest="url_option", metavar="URL", help="the same, as an option")
    init.add_argument("--name", help="the profile's name (default: from the URL's host)")
    init.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it (default: NAME.yaml here); an existing file is never overwritten")

    validate = commands.add_parser("validate", help="validate FHIR resources or Bundles in files against the Care Connect profiles")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="JSON or XML files")
    validate.add_argument("--waivers", type=Path, help="YAML file of accepted deviations")

    rejudge = commands.add_parser("rejudge", help="re-run every check of a run on its recorded exchanges (no network) and write fresh reports")
    rejudge.add_argument("pack", type=Path, metavar="PACK", help="a run's report folder (its evidence pack), e.g. reports/latest")
    rejudge.add_argument("--waivers", type=Path, help="YAML file of accepted deviations (default: the ones the run applied)")
    rejudge.add_argument("--report-dir", type=Path, help="write the re-judged pack and reports here (default: reports/rejudged/<target>-<UTC time>/)")
    rejudge.add_argument(
        "--allow-unsealed",
        action="store_true",
        help="re-judge a pack with no manifest.json (a killed run) or one marking the run incomplete (interrupted); refused by default",
    )

    compare = commands.add_parser("compare", help="compare two runs: new failures, fixed, still failing, newly not applicable, response times")
    compare.add_argument("before", type=Path, metavar="RUN_A", help="the baseline run's report folder")
    compare.add_argument("after", type=Path, metavar="RUN_B", help="the run to judge against it")
    compare.add_argument("--json", type=Path, metavar="FILE", help="also write the comparison as JSON to FILE")

    verify = commands.add_parser("verify", help="check every file of an evidence pack against its manifest.json")
    verify.add_argument("pack", type=Path, metavar="PACK", help="a run's report folder")

    baseline = commands.add_parser("baseline", help="pin what every search of an accepted run returned, for later runs against the same target")
    baseline.add_argument("pack", type=Path, metavar="PACK", help="the accepted run's report folder, e.g. reports/latest")
    baseline.add_argument("--owner", required=True, help="who accepted the run (recorded in the file, as for waivers)")
    baseline.add_argument("--reason", required=True, help="why these results are the expected ones (recorded in the file)")
    baseline.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it (default: baseline-<target>.yaml here)")
    _add_pack_views(commands)

    serve = commands.add_parser("serve", help="serve the Care Connect reference server until stopped")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument(
        "--auth",
        choices=("on", "off", "spine"),
        default="on",
        help=(
            "on: require OAuth2 access tokens (default; demo clients in carecheck's data/refserver/clients.yaml, see the README); "
            "spine: require a Spine Security Proxy audit JWT; off: no authentication"
        ),
    )
    serve.add_argument("--signing-key", type=Path, metavar="FILE", help="PEM RSA key to sign access tokens with (default: a new key each start)")
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a certificate from a new test CA (its certificate is written for --ca-bundle)")
    serve.add_argument("--cert", type=Path, metavar="FILE", help="serve HTTPS with this PEM certificate chain (with --key)")
    serve.add_argument("--key", type=Path, metavar="FILE", help="the PEM private key of --cert")
    serve.add_argument("--seed", type=int, default=None, metavar="N", help="synthetic patients to seed besides the NHS examples (default: 100)")
    serve.add_argument(
        "--allow-writes",
        action="store_true",
        help="perform create, update (versioned, If-Match) and delete instead of refusing every write with 405; with --auth on they need a write scope (demo client carecheck-writer)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a server's text that is not text never stops a line being printed
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "serve":
            return _serve(arguments)
        if arguments.command == "validate":
            return _validate(arguments)
        if arguments.command == "list":
            return _list(arguments)
        if arguments.command == "init":
            return _init(arguments)
        if arguments.command in PACK_COMMANDS:
            return PACK_COMMANDS[arguments.command](arguments)
        return _run(arguments)
    except ConfigError as error:
        print(f"carecheck: configuration error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except AuthError as error:
        print(f"carecheck: authentication failed: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except WrongServer as error:
        print(f"carecheck: wrong server: {error}", file=sys.stderr)
        return ExitCode.UNREACHABLE
    except TargetUnreachable as error:
        print(f"carecheck: target unreachable: {error}", file=sys.stderr)
        return ExitCode.UNREACHABLE
    except EvidenceError as error:
        print(f"carecheck: evidence error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except BrokenPipeError:  # `carecheck list ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.PASSED


def _run(arguments: argparse.Namespace) -> int:
    from carecheck.run.session import RunOptions, run

    options = RunOptions(
        targets=tuple(arguments.targets or ["reference"]),
        base_url=arguments.base_url,
        report_dir=arguments.report_dir,
        waivers=arguments.waivers,
        tags=arguments.tags,
        suite=arguments.suite,
        workers=arguments.workers,
        ca_bundle=arguments.ca_bundle,
        hypothesis_seed=arguments.hypothesis_seed,
        baseline=arguments.baseline,
        sign_off=arguments.sign_off,
        features=arguments.features,
        suites=arguments.suites,
        profiles=arguments.profiles,
    )
    results = run(options)
    for result in results:
        for line in result.failures():
            print(line)
    for result in results:
        print(result.describe())
    return worst(result.exit_code for result in results)


def _validate(arguments: argparse.Namespace) -> int:
    from carecheck.validate_files import validate_files

    report = validate_files(arguments.files, waivers=arguments.waivers)
    for line in report.lines:
        print(line)
    print(report.summary)
    return ExitCode.FAILED if report.errors else ExitCode.PASSED


def _add_own_files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--features",
        type=Path,
        metavar="DIR",
        help="a folder of your own .feature files, in carecheck's step vocabulary (carecheck list steps), run beside the built-in ones",
    )
    parser.add_argument(
        "--suites",
        type=Path,
        metavar="FILE",
        help="a YAML file of your own suites (name: {description, tags}), added to carecheck's; a name of yours replaces carecheck's",
    )


def _list(arguments: argparse.Namespace) -> int:
    import json

    from carecheck.listing import LISTS

    if arguments.what != "scenarios" and (arguments.suite is not None or arguments.tags is not None or arguments.suites is not None):
        raise ConfigError(f"--suite, --tags and --suites select scenarios: carecheck list {arguments.what} takes none of them")
    entries, fields = LISTS[arguments.what]
    listed = entries(features=arguments.features, suite=arguments.suite, tags=arguments.tags, suites=arguments.suites)
    if arguments.json:
        print(json.dumps(listed, indent=2))
        return 0
    for entry in listed:
        print("  ".join(", ".join(map(str, value)) if isinstance(value := entry[name], list) else str(value) for name in fields))
    return 0


_PLACEHOLDER_URL = "https://fhir.example.nhs.uk/STU3"


def _init(arguments: argparse.Namespace) -> int:
    from carecheck.config.starter import profile_name, starter_profile

    if arguments.url and arguments.url_option and arguments.url != arguments.url_option:
        raise ConfigError(f"two URLs given ({arguments.url} and --url {arguments.url_option}): give one")
    url = arguments.url or arguments.url_option or _PLACEHOLDER_URL
    name = arguments.name or profile_name(url)
    output = arguments.output or Path(f"{name}.yaml")
    text = starter_profile(url, str(output), name)
    try:
        with output.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ConfigError(f"{output} exists: carecheck init never overwrites a file (choose another with -o)") from None
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"carecheck init: wrote {output}, a starter profile for {url.rstrip('/')}: edit it, then carecheck run --target {output}")
    return ExitCode.PASSED


_SECURITY = {"on": "tokens from /auth/token required", "spine": "a Spine Security Proxy audit JWT required", "off": "no authentication"}


def _serve(arguments: argparse.Namespace) -> int:
    import tempfile

    from carecheck.refserver import SecuritySettings, ServerTls, serve

    if arguments.seed is not None and arguments.seed < 0:
        raise ConfigError("--seed must be 0 or more")
    if (arguments.cert is None) != (arguments.key is None):
        raise ConfigError("--cert and --key go together")
    if arguments.signing_key is not None and arguments.auth != "on":
        raise ConfigError("--signing-key signs access tokens: it needs --auth on")
    mode: Literal["oauth", "spine"] = "spine" if arguments.auth == "spine" else "oauth"
    auth = None if arguments.auth == "off" else SecuritySettings.load(signing_key=arguments.signing_key, mode=mode)
    tls = None
    if arguments.cert is not None:
        tls = ServerTls(arguments.cert, arguments.key)
    elif arguments.tls:
        tls = ServerTls.generate(Path(tempfile.mkdtemp(prefix="carecheck-tls-")))
    population = {} if arguments.seed is None else {"population": arguments.seed}
    scheme = "https" if tls else "http"
    access = f"{_SECURITY[arguments.auth]}; {'WRITABLE: create, update and delete performed' if arguments.allow_writes else 'read-only'}"
    print(f"carecheck reference server at {scheme}://{arguments.host}:{arguments.port}/STU3 ({access}; Ctrl-C to stop)", flush=True)
    if tls is not None and tls.ca_certificate is not None:
        print(f"test CA certificate (for carecheck run --ca-bundle): {tls.ca_certificate}", flush=True)
    try:
        serve(host=arguments.host, port=arguments.port, auth=auth, tls=tls, writes=arguments.allow_writes, **population)
    except KeyboardInterrupt:
        pass
    except ValueError as error:
        raise ConfigError(str(error)) from None
    except OSError as error:
        raise ConfigError(f"cannot serve on {arguments.host}:{arguments.port}: {error.strerror or error}") from None
    return 0


# Views of packs made after the run: the Allure report of one, the index of several (issue 16).


def _add_pack_views(commands: argparse._SubParsersAction[_Parser]) -> None:
    allure = commands.add_parser(
        "allure", help="build the Allure report of a run: one HTML file that opens from disk, with the target's trend (needs Allure 3 and Node.js)"
    )
    allure.add_argument("pack", type=Path, metavar="PACK", help="a run's report folder, e.g. reports/latest")
    allure.add_argument("--out", type=Path, metavar="DIR", help="write the report here (default: beside the pack, <PACK>-allure/)")
    allure.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        help="the target's Allure history to extend (default: allure-history.jsonl beside the pack; in CI, last night's copy)",
    )
    allure.add_argument(
        "--allure", type=Path, metavar="PATH", help="the Allure 3 command line (default: the checkout's tools/allure install, else allure on PATH)"
    )
    index = commands.add_parser("index", help="merge runs' packs into one index: each verified against its manifest, with its verdict and its target's trend")
    index.add_argument("packs", nargs="+", type=Path, metavar="PACK", help="report folders of runs (e.g. one per target from a CI matrix)")
    index.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="write index.html and index.json here (default: reports)")
    index.add_argument(
        "--history", type=Path, metavar="FILE", help="an earlier index.json whose history to carry on (default: the index.json already in --out)"
    )


if __name__ == "__main__":
    sys.exit(main())
