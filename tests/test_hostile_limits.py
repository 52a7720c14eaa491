"""Issue 14: what a broken or malicious server sends ends as a failed scenario with evidence, inside the run's limits.

Each case runs `carecheck run` against a real loopback server that behaves that way, on a few scenarios
(`patient and (smoke or read)`: a read, an NHS-number search and an unknown id), and shows: the run ends within its
budget, the peak memory of the whole run (carecheck and its pytest child, from `wait4`) stays under
`PEAK_MB`, the scenario that met the answer fails with evidence, the pack is sealed (`carecheck verify`),
no traceback reaches the console, and no secret in any spelling is in any file of the report folder.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from carecheck.cli import main as carecheck_main
from carecheck.evidence import BODIES_DIR, read_pack
from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests import hostile

pytestmark = pytest.mark.e2e

MEAKIN = "/STU3/Patient/2f88064f-8dc3-4763-af75-94faf6b08b18"
READ = "patient/patient_read/a-known-patient-is-returned-whole"
UNKNOWN = "patient/patient_read/an-unknown-patient-is-not-found"
NHS_SEARCH = "patient/patient_search/find-a-patient-by-their-nhs-number"
SMOKE = "patient and (smoke or read)"
BUDGET_SECONDS = 60
PEAK_MB = 256
"""The bound on a run's peak memory (the largest resident set of carecheck and its pytest child): these scenarios
peak near 110 MB against a well-behaved server, and near 170 MB with a body cut at the 20 MB cap."""
CAP = 20 * 1024 * 1024
SECRET = "demo-all-64e98961bc4161b9"
KEYS = data_path("keys")


@dataclass(frozen=True)
class Run:
    report_dir: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def scenarios(self) -> dict[str, dict[str, Any]]:
        summary = json.loads((self.report_dir / "summary.json").read_text())
        return {s["id"]: s for s in summary["scenarios"]}

    @property
    def summary(self) -> dict[str, Any]:
        return dict(json.loads((self.report_dir / "summary.json").read_text()))

    def files(self) -> list[Path]:
        return [path for path in self.report_dir.rglob("*") if path.is_file()]


def profile(tmp_path: Path, *, name: str = "hostile", auth: str | None = None) -> Path:
    """The reference profile with a 2 s deadline (and another `auth:` block when given)."""
    text = data_path("targets", "reference.yaml").read_text()
    text = text.replace("name: reference", f"name: {name}\ntimeout: 2").replace("../keys/", f"{KEYS}/")
    if auth is not None:
        text = text[: text.index("auth:")] + auth + text[text.index("testdata:") :]
    target = tmp_path / f"{name}.yaml"
    target.write_text(text)
    return target


PEAK_OF = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command and writes its peak memory (its own and its children's, from `wait4`, in KB). A small process
in between, because a child forked straight from a big test worker starts with the worker's peak as its own."""


def carecheck_run(base_url: str, tmp_path: Path, tags: str = SMOKE, *, target: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """`carecheck run` in a child process, with its peak memory (and its children's), killed past twice the budget."""
    report_dir = tmp_path / "report"
    command = [sys.executable, "-m", "carecheck.cli", "run", "--target", str(target or profile(tmp_path)), "--base-url", base_url,
               "--report-dir", str(report_dir), "--tags", tags]  # fmt: skip
    out, err, peak = tmp_path / "stdout.txt", tmp_path / "stderr.txt", tmp_path / "peak.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-c", PEAK_OF, str(peak), *command], stdout=stdout, stderr=stderr,
                                 env={**os.environ, **(env or {})}, start_new_session=True)  # fmt: skip
        try:
            returncode = child.wait(timeout=BUDGET_SECONDS * 2)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            raise
        seconds = time.monotonic() - started
    return Run(report_dir, returncode, out.read_text(), err.read_text(), seconds, int(peak.read_text()) / 1024)


def secured() -> Any:
    return create_app(auth=SecuritySettings.load())


def spellings_of(secret: str, client_id: str) -> list[str]:
    """How the harness's own secret could be spelt in a report: plain, Basic, URL- and form-encoded, JSON-escaped."""
    basic = [base64.b64encode(f"{client_id}:{form}".encode()).decode() for form in (secret, quote_plus(secret))]
    return sorted({secret, *basic, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1], base64.b64encode(secret.encode()).decode()})


def assert_contained(run: Run, *, secrets: Sequence[str] = ()) -> None:
    """What every hostile case must show besides its own failure: in budget, bounded memory, sealed, quiet, no leak."""
    assert run.seconds < BUDGET_SECONDS, f"the run took {run.seconds:.0f} s"
    assert run.peak_mb < PEAK_MB, f"the run peaked at {run.peak_mb:.0f} MB"
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert "INTERNALERROR" not in run.stdout + run.stderr
    assert carecheck_main(["verify", str(run.report_dir)]) == 0
    forms = [*secrets, *spellings_of(SECRET, "carecheck-all")]
    leaks = [(path.name, form) for path in run.files() for form in forms if form.encode() in path.read_bytes()]
    assert not leaks, leaks
    assert not any(run.scenarios[s]["outcome"] == "error" for s in run.scenarios), "a hostile answer is a failure, not a harness error"


def assert_failed(run: Run, scenario: str, reason: str) -> None:
    """The scenario that met the answer failed, saying why, and its message points at evidence that exists."""
    record = run.scenarios[scenario]
    assert record["outcome"] == "failed", record
    assert reason in record["message"], record["message"]
    evidence = re.search(r"\(evidence: (evidence/[^)]+\.json)\)", record["message"])
    assert evidence is not None and (run.report_dir / evidence[1]).is_file(), record["message"]


def test_a_decompression_bomb_is_cut_off_while_it_inflates(tmp_path: Path, gzip_bomb: bytes) -> None:
    """1 MB of gzip inflating to 1 GB, and 2 KB of gzip inside gzip inflating to 1 GB: each cut at 20 MB decoded."""
    double = gzip.compress(gzip_bomb, 9)
    assert len(gzip_bomb) < 1.1e6 and len(double) < 4096
    app = hostile.Hostile(hostile.Hostile(secured(), MEAKIN, hostile.encoded(gzip_bomb, "gzip")), "/STU3/Patient", hostile.encoded(double, "gzip, gzip"))
    with EmbeddedServer(app) as server:
        run = carecheck_run(server.base_url, tmp_path)
    assert_contained(run)
    scenarios = run.scenarios
    for failed in (READ, NHS_SEARCH):
        assert_failed(run, failed, f"larger than {CAP} bytes once decoded; cut off")
    assert scenarios[UNKNOWN]["outcome"] == "passed"
    kept = sorted(path.stat().st_size for path in (run.report_dir / BODIES_DIR).iterdir())
    assert kept[-1] == CAP, "evidence keeps the body up to the cap, once"
    assert sum(path.stat().st_size for path in run.files()) < 3 * CAP


def test_deeply_nested_documents_fail_the_scenario_that_met_them(tmp_path: Path) -> None:
    """A Bundle 200,000 levels deep and a Patient 5,000 levels deep are failures: nothing reaches a parser's recursion."""
    patient = b'{"resourceType": "Patient", "id": "2f88064f-8dc3-4763-af75-94faf6b08b18", "extension": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    app = hostile.Hostile(hostile.Hostile(secured(), MEAKIN, hostile.answer(patient)), "/STU3/Patient", hostile.answer(hostile.deep_bundle(200_000)))
    with EmbeddedServer(app) as server:
        run = carecheck_run(server.base_url, tmp_path)
    assert_contained(run)
    for failed in (READ, NHS_SEARCH):
        assert_failed(run, failed, "nests deeper than 100 levels (limits.max_depth)")
    assert run.scenarios[UNKNOWN]["outcome"] == "passed"
    html = (run.report_dir / "report.html").read_text()
    assert "nests deeper than 100 levels" in html


def test_trickled_headers_are_cut_off_at_the_exchange_deadline(tmp_path: Path) -> None:
    """A status line and headers a byte every half second: each attempt ends at the 2 s deadline, the run goes on."""
    with EmbeddedServer(secured()) as backend, hostile.TricklingFront(backend.port, MEAKIN) as front:
        run = carecheck_run(front.base_url, tmp_path)
    assert_contained(run)
    assert_failed(run, READ, "not complete within 2 s, the deadline of every exchange")
    assert run.scenarios[NHS_SEARCH]["outcome"] == run.scenarios[UNKNOWN]["outcome"] == "passed"
    pack = read_pack(run.report_dir)
    attempts = [r.exchange for s in pack.scenarios if s.id == READ for r in pack.exchanges(s)]
    assert len(attempts) == 3, "the first attempt and two retries"
    assert all(1900 <= exchange.elapsed_ms <= 3500 for exchange in attempts), [exchange.elapsed_ms for exchange in attempts]


def test_text_that_is_not_text_is_kept_faithfully_and_the_run_completes(tmp_path: Path) -> None:
    """A NUL and lone surrogates inside JSON strings, and bytes that are not UTF-8: failures, stored byte for byte."""
    escaped = b'{"resourceType": "Patient", "id": "\\u0000\\ud800", "name": [{"family": "\\udfff"}]}'
    raw = b'{"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Patient", "id": "x\x00\xed\xa0\x80\xff"}}]}'
    app = hostile.Hostile(hostile.Hostile(secured(), MEAKIN, hostile.answer(escaped)), "/STU3/Patient", hostile.answer(raw))
    with EmbeddedServer(app) as server:
        run = carecheck_run(server.base_url, tmp_path)
    assert_contained(run)
    assert run.summary["complete"] is True
    assert_failed(run, READ, "\\ud800")
    assert_failed(run, NHS_SEARCH, "not valid JSON")
    pack = read_pack(run.report_dir)
    bodies = {s.id: [r.exchange.response.body for r in pack.exchanges(s) if r.exchange.response] for s in pack.scenarios}
    assert escaped in bodies[READ] and raw in bodies[NHS_SEARCH], "evidence holds the bytes as received"
    assert "\\ud800" in run.stdout


class Blocking:
    """The server's side effect on the harness: when the known patient is first read, a folder appears where a
    scenario's result file must go (after the run has opened its report folder, which replaces what was there)."""

    def __init__(self, app: Any, blocked: Path) -> None:
        self.app, self.blocked = app, blocked

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/STU3/Patient/") and (self.blocked.parent / "scenario.json").is_file():
            self.blocked.mkdir(parents=True, exist_ok=True)
        await self.app(scope, receive, send)


def test_a_run_that_stops_early_says_so(tmp_path: Path) -> None:
    """pytest stopping with INTERNALERROR (here: a scenario's result cannot be written) leaves a sealed pack saying `complete: false`."""
    blocked = tmp_path / "report" / "evidence" / READ / "result.json"
    with EmbeddedServer(Blocking(secured(), blocked)) as server:
        run = carecheck_run(server.base_url, tmp_path, "patient and read")
    assert run.returncode == 1
    assert run.summary["complete"] is False
    assert "(interrupted: incomplete)" in run.stdout.splitlines()[-1]
    assert json.loads((run.report_dir / "manifest.json").read_text())["complete"] is False
    assert carecheck_main(["verify", str(run.report_dir)]) == 0
    assert "Traceback" not in run.stdout + run.stderr
    assert "INTERNALERROR" in (run.report_dir / "pytest.log").read_text()


HOSTILE_SECRET = 'Hostile s3cret/+&="quoted"<tag>~42'
CLIENT = "carecheck-hostile"


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_credentials_echoed_back_are_redacted_in_every_spelling(tmp_path: Path, method: str) -> None:
    """A server echoing `Authorization` (in a header and in the token response), the posted form and a session cookie."""
    clients = tmp_path / "clients.yaml"
    clients.write_text(f"clients:\n  - client_id: {CLIENT}\n    secret: {json.dumps(HOSTILE_SECRET)}\n    scopes: [system/*.read]\n")
    auth = (f"auth:\n  type: client-credentials\n  token_url: discover\n  client_id: {CLIENT}\n"
            f"  client_secret: ${{HOSTILE_SECRET}}\n  method: {method}\n  scopes: [system/*.read]\n")  # fmt: skip
    app = hostile.Echoing(create_app(auth=SecuritySettings.load(clients)))
    with EmbeddedServer(app) as server:
        run = carecheck_run(server.base_url, tmp_path, "patient and read", target=profile(tmp_path, auth=auth), env={"HOSTILE_SECRET": HOSTILE_SECRET})
    assert_contained(run, secrets=[*spellings_of(HOSTILE_SECRET, CLIENT), "server-session-7f3a9c0e41d2b8a6", "eyJ"])
    assert run.scenarios[READ]["outcome"] == run.scenarios[UNKNOWN]["outcome"] == "passed", "an echo is not a failure"
    token = next(r.exchange.response for r in read_pack(run.report_dir).session_exchanges()["auth"] if r.exchange.request.method == "POST")
    assert token is not None and token.header("set-cookie") == "[REDACTED]"
    assert token.header("x-echo-authorization") == ("Basic [REDACTED]" if method == "client_secret_basic" else "")
    echoed = json.loads(token.body)
    assert echoed["access_token"] == "[REDACTED]"
    assert (CLIENT in echoed["echo_form"]) == (method == "client_secret_post")


def test_identical_bodies_are_stored_once_and_the_pack_rejudges(tmp_path: Path) -> None:
    """A 4 MB CapabilityStatement read by every capability scenario: one copy in evidence, one in Allure; rejudge reads it back."""

    def padded(statement: dict[str, Any]) -> dict[str, Any]:
        return {**statement, "description": "A statement padded to 4 MB. " + "x" * (4 * 1024 * 1024)}

    app = hostile.Rewriting(secured(), "/STU3/metadata", padded)
    with EmbeddedServer(app) as server:
        run = carecheck_run(server.base_url, tmp_path, "capability")
    assert_contained(run)
    statement_reads = sum(1 for path in run.files() if path.name.endswith("-GET-metadata.json"))
    assert statement_reads >= 15
    assert all(s["outcome"] in ("passed", "not-applicable") for s in run.scenarios.values()), "a big statement is not a wrong one"
    megabytes = sum(path.stat().st_size for path in run.files()) / 2**20
    big = [path for path in run.files() if path.stat().st_size > 2**20]
    # The statement once under _bodies/, once attached to Allure, once as capability-statement.json.
    assert len(big) == 3 and megabytes < 14, (megabytes, [p.relative_to(run.report_dir) for p in big])
    rejudged = tmp_path / "rejudged"
    assert carecheck_main(["rejudge", str(run.report_dir), "--report-dir", str(rejudged)]) == 0
    assert json.loads((rejudged / "rejudge.json").read_text())["differences"] == []


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return hostile.gzip_bomb()


def test_a_trickled_capability_statement_makes_the_target_unreachable_in_one_line(tmp_path: Path) -> None:
    """The reachability check before a run reads only the status line and headers, within the deadline."""
    with EmbeddedServer(secured()) as backend, hostile.TricklingFront(backend.port, "/STU3/metadata") as front:
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "carecheck.cli", "run", "--target", str(profile(tmp_path)), "--base-url", front.base_url,
                              "--report-dir", str(tmp_path / "report")], capture_output=True, text=True, timeout=BUDGET_SECONDS, check=False)  # fmt: skip
    assert run.returncode == 3 and time.monotonic() - started < 30
    assert run.stderr.count("\n") == 1 and "metadata: no answer within 2 s" in run.stderr, "the profile's timeout"
