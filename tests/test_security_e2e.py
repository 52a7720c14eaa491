"""The security scenarios end to end: real runs against the reference server secured, open, broken, over TLS and in Spine mode.

Each run is a real `carecheck run` against a server started here, judged from its report; secrets
come only from environment variables, as a supplier's would.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer, SecuritySettings, ServerTls, create_app
from tests.token_faults import TokenFaults, TokenSpy

pytestmark = pytest.mark.e2e

CARECHECK = [sys.executable, "-m", "carecheck.cli"]
SIGNING_KEY = data_path("keys", "carecheck-refserver-rs256.private.pem")
BACKEND_KEY = data_path("keys", "carecheck-backend-rs384.private.pem")
BACKEND_KID = next(key["kid"] for key in json.loads(data_path("keys", "carecheck-backend.jwks.json").read_text())["keys"] if key["alg"] == "RS384")
PATIENT = "testdata:\n  patient:\n    id: 2f88064f-8dc3-4763-af75-94faf6b08b18\n    nhs_number: '9658218873'\n"
TOKEN_CASES = (
    "no-header", "basic-scheme", "lower-case-bearer", "empty-token", "garbage", "malformed-jwt", "alg-none",
    "signature-altered", "unknown-key", "hs256-key-confusion",
)  # fmt: skip
CLAIM_CASES = ("expired", "not-yet-valid", "issued-in-the-future", "wrong-audience", "wrong-issuer")


def forged(case: str) -> str:
    """The scenario id of a forged token's case: its Examples row, the case and the answer it must get."""
    answer = "served" if case == "lower-case-bearer" else "refused-with-401"
    return f"security/tokens/every-resource-type-answers-the-forged-token-as-its-examples-row-says--{case}-{answer}"


def claimed(case: str) -> str:
    return f"security/tokens/every-resource-type-refuses-a-validly-signed-token-with-a-bad-claim--{case}-refused-with-401"


CONTEXT = "security/scopes/a-patient-context-token-"
MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"


def carecheck(*arguments: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CARECHECK, *arguments], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def scenarios(report_dir: Path) -> dict[str, dict[str, Any]]:
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    return {scenario["id"]: scenario for scenario in summary["scenarios"]}


def failed_findings(report_dir: Path) -> int:
    """Failed findings across every scenario of a run, from each scenario's recorded result."""
    results = [json.loads(path.read_text(encoding="utf-8")) for path in (report_dir / "evidence").glob("*/*/*/result.json")]
    return sum(
        1 for result in results for judgement in result.get("judgements", []) for finding in judgement.get("findings", []) if finding.get("outcome") == "fail"
    )


def outcomes(report: dict[str, dict[str, Any]], prefix: str = "security/") -> dict[str, str]:
    return {i: s["outcome"] for i, s in report.items() if i.startswith(prefix)}


def settings() -> SecuritySettings:
    """The reference server's security, signing with the committed test key the reference profile names."""
    return SecuritySettings.load(signing_key=SIGNING_KEY)


def profile(tmp_path: Path, name: str, auth: str, extra: str = "") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nbase_url: http://127.0.0.1:1/STU3\nauth:\n{auth}{PATIENT}{extra}", encoding="utf-8")
    return path


def test_the_token_scenarios_fail_against_a_server_that_lets_anyone_in(tmp_path: Path) -> None:
    target = profile(tmp_path, "open", "  type: none\n")
    with EmbeddedServer(create_app(population=5)) as server:
        result = carecheck("run", "--target", str(target), "--base-url", server.base_url, "--report-dir", str(tmp_path / "out"), "--tags", "token or scope")
    assert result.returncode == 1, result.stdout + result.stderr
    report = scenarios(tmp_path / "out")
    failed = {i for i, o in outcomes(report).items() if o == "failed"}
    assert failed == {forged("no-header")}, "one problem: the server serves records without any token"
    assert "the server serves records without any access token: 14 of 14 resource types (Patient, " in report[forged("no-header")]["message"]
    assert failed_findings(tmp_path / "out") == 1, "one finding for one problem, not one per type and forged token"
    not_applicable = {i for i, o in outcomes(report).items() if o == "not-applicable"}
    assert {forged(case) for case in TOKEN_CASES if case != "no-header"} | {claimed(case) for case in CLAIM_CASES} <= not_applicable
    assert "configures no authentication (auth.type: none)" in report[forged("alg-none")]["message"]
    assert report["security/tokens/the-capability-statement-is-served-without-a-token"]["outcome"] == "passed"


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    security = settings()
    app = TokenFaults(
        create_app(population=5, auth=security),
        security,
        accept_expired=("/STU3/Condition",),
        skip_signatures=("/STU3/Observation",),
        ignore_scopes=("/STU3/Encounter",),
        crash_on_garbage=("/STU3/Procedure",),
    )
    report_dir = tmp_path_factory.mktemp("faulty-tokens")
    with EmbeddedServer(app) as server:
        result = carecheck("run", "--base-url", server.base_url, "--report-dir", str(report_dir), "--tags", "token or scope")
    assert result.returncode == 1, result.stdout + result.stderr
    return scenarios(report_dir)


@pytest.mark.parametrize(
    ("fault", "scenario", "reason"),
    [
        (
            "expired tokens accepted",
            claimed("expired"),
            "STU3/Condition?_count=1: served 1 of 14 resource types (Condition) with 200 although the token was bad (expired:",
        ),
        (
            "signatures not checked",
            forged("alg-none"),
            "STU3/Observation?_count=1: served 1 of 14 resource types (Observation) with 200 although the token was bad (alg-none:",
        ),
        ("signatures not checked", forged("unknown-key"), "STU3/Observation?_count=1: served 1 of 14 resource types (Observation) with 200"),
        ("signatures not checked", forged("signature-altered"), "STU3/Observation?_count=1: served 1 of 14 resource types (Observation) with 200"),
        ("signatures not checked", forged("hs256-key-confusion"), "STU3/Observation?_count=1: served 1 of 14 resource types (Observation) with 200"),
        (
            "scopes ignored",
            "security/scopes/a-patient-only-token-is-refused-encounter--encounter",
            "served with 200 although the token's scopes do not cover it",
        ),
        ("500 for a garbage token", forged("garbage"), "STU3/Procedure?_count=1: a server error 500 instead of a 401 refusal (garbage:"),
        ("500 for a garbage token", forged("malformed-jwt"), "STU3/Procedure?_count=1: a server error 500"),
    ],
)
def test_each_broken_token_check_fails_its_scenario_with_the_reason(faulty_run: dict[str, dict[str, Any]], fault: str, scenario: str, reason: str) -> None:
    assert faulty_run[scenario]["outcome"] == "failed", f"{fault} was not caught: {faulty_run[scenario]}"
    assert reason in faulty_run[scenario]["message"], faulty_run[scenario]["message"]
    assert re.match(r"^\[CC-SEC-(AUTHORIZATION|SCOPES)\] GET http", faulty_run[scenario]["message"])
    assert "(evidence: evidence/security/" in faulty_run[scenario]["message"]


def test_nothing_but_the_broken_checks_fails(faulty_run: dict[str, dict[str, Any]]) -> None:
    failed = {i for i, o in outcomes(faulty_run).items() if o == "failed"}
    assert failed == {
        claimed("expired"),
        *(forged(case) for case in ("alg-none", "unknown-key", "signature-altered", "hs256-key-confusion", "garbage", "malformed-jwt")),
        "security/scopes/a-patient-only-token-is-refused-encounter--encounter",
    }
    assert not [i for i, o in outcomes(faulty_run).items() if o == "error"]


def test_a_server_that_ignores_the_patient_context_fails_those_scenarios_with_the_reason(tmp_path: Path) -> None:
    security = settings()
    app = TokenFaults(create_app(population=5, auth=security), security, ignore_patient_context=("/STU3/",))
    with EmbeddedServer(app) as server:
        result = carecheck("run", "--base-url", server.base_url, "--report-dir", str(tmp_path), "--tags", "scope")
    assert result.returncode == 1, result.stdout + result.stderr
    report = scenarios(tmp_path)
    context = outcomes(report, CONTEXT)
    failed = {i for i, o in outcomes(report).items() if o == "failed"}
    assert failed == {i for i in context if i.startswith(CONTEXT + "cannot-")} | {CONTEXT + "s-patient-search-finds-only-its-own-patient"}
    assert len(failed) == 10 and len(context) == 19 and set(outcomes(report).values()) == {"passed", "failed"}
    bound = f"another patient's records, to a token bound to Patient/{MEAKIN}"
    read = report[CONTEXT + "cannot-read-another-patient"]["message"]
    assert re.match(rf"^\[CC-SEC-SCOPES\] GET http://127\.0\.0\.1:\d+/STU3/Patient/(?P<id>[\w-]+): returned Patient/(?P=id): {bound}", read), read
    search = report[CONTEXT + "cannot-search-another-patient-s-observation-records--observation"]["message"]
    assert re.search(rf"/STU3/Observation\?patient=[\w-]+&_count=50: returned Observation/\S+ of Patient/[\w-]+, .* and \d+ more: {bound}", search), search
    assert "(evidence: evidence/security/scopes/" in search


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ServerTls]]:
    tls = ServerTls.generate(tmp_path_factory.mktemp("tls"))
    with EmbeddedServer(create_app(population=5, auth=settings()), tls=tls) as server:
        yield server.base_url, tls


def test_over_tls_every_tls_and_token_scenario_passes(tls_server: tuple[str, ServerTls], tmp_path: Path) -> None:
    base_url, tls = tls_server
    result = carecheck("run", "--base-url", base_url, "--ca-bundle", str(tls.ca_certificate), "--report-dir", str(tmp_path), "--tags", "tls or token")
    assert result.returncode == 0, result.stdout + result.stderr
    report = scenarios(tmp_path)
    assert set(outcomes(report, "security/tls/").values()) == {"passed"} and len(outcomes(report, "security/tls/")) == 6
    assert set(outcomes(report, "security/tokens/").values()) == {"passed"}
    certificate = report["security/tls/the-server-s-certificate-verifies-for-its-host"]
    evidence = next((tmp_path / certificate["evidence"]).glob("001-*.json"))
    notes = json.loads(evidence.read_text())["notes"]
    assert any("negotiated TLSv1.3" in note or "negotiated TLSv1.2" in note for note in notes)
    assert any("issuer organizationName=carecheck reference server (test CA)" in note for note in notes)


def test_a_certificate_the_harness_cannot_verify_stops_the_run_with_one_line(tls_server: tuple[str, ServerTls]) -> None:
    base_url, _ = tls_server
    result = carecheck("run", "--base-url", base_url, "--tags", "tls")
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "CERTIFICATE_VERIFY_FAILED" in result.stderr and "--ca-bundle" in result.stderr


def test_a_server_with_old_tls_weak_suites_and_no_hsts_fails_the_tls_scenarios(tmp_path: Path) -> None:
    strong = ServerTls.generate(tmp_path / "tls")
    weak = dataclasses.replace(strong, minimum_version=ssl.TLSVersion.TLSv1, ciphers="ALL:@SECLEVEL=0", hsts_max_age=None)
    with EmbeddedServer(create_app(population=5, auth=settings()), tls=weak) as server:
        result = carecheck(
            "run", "--base-url", server.base_url, "--ca-bundle", str(strong.ca_certificate), "--report-dir", str(tmp_path / "out"), "--tags", "tls"
        )
    assert result.returncode == 1
    report = scenarios(tmp_path / "out")
    assert {i for i, o in outcomes(report).items() if o == "failed"} == {
        "security/tls/tls-1-0-and-tls-1-1-are-refused",
        "security/tls/weak-cipher-suites-are-refused",
    }
    assert "the server completed the handshake: offered TLS 1.0 only; negotiated TLSv1" in report["security/tls/tls-1-0-and-tls-1-1-are-refused"]["message"]
    assert "anonymous" in report["security/tls/weak-cipher-suites-are-refused"]["message"]
    assert "warning: no Strict-Transport-Security header" in report["security/tls/answers-over-https-carry-strict-transport-security"]["message"]


def test_the_spine_scenarios_pass_against_the_reference_server_in_spine_mode(tmp_path: Path) -> None:
    app = create_app(population=5, auth=dataclasses.replace(settings(), mode="spine"))
    with EmbeddedServer(app) as server:
        result = carecheck("run", "--target", "reference-spine", "--base-url", server.base_url, "--report-dir", str(tmp_path), "--tags", "spine or patient")
    assert result.returncode == 0, result.stdout + result.stderr
    spine = outcomes(scenarios(tmp_path), "security/spine/")
    assert len(spine) == 24 and set(spine.values()) == {"passed"}
    assert sum(1 for o in outcomes(scenarios(tmp_path), "patient/").values() if o == "passed") > 20


def test_a_static_bearer_target_runs_with_its_token_from_the_environment(tmp_path: Path) -> None:
    with EmbeddedServer(create_app(population=5, auth=settings())) as server:
        token_url = server.base_url.replace("/STU3", "/auth/token")
        token = httpx.post(token_url, auth=("carecheck-all", "demo-all-64e98961bc4161b9"), data={"grant_type": "client_credentials"}).json()["access_token"]
        target = profile(tmp_path, "static", "  type: bearer\n  token: ${E2E_BEARER_TOKEN}\n  token_signing_key: " + str(SIGNING_KEY) + "\n")
        result = carecheck(
            "run",
            "--target",
            str(target),
            "--base-url",
            server.base_url,
            "--report-dir",
            str(tmp_path / "out"),
            "--tags",
            "token",
            env={"E2E_BEARER_TOKEN": token},
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(outcomes(scenarios(tmp_path / "out")).values()) == {"passed"}
    assert token not in target.read_text() and _files_holding(tmp_path / "out", [token]) == []


def test_a_client_credentials_target_runs_with_its_secrets_from_the_environment(tmp_path: Path) -> None:
    auth = (
        "  type: client-credentials\n  client_id: carecheck-all\n  client_secret: ${E2E_SECRET}\n  method: client_secret_post\n"
        "  patient_only:\n    type: client-credentials\n    client_id: carecheck-patient-only\n    client_secret: ${E2E_PATIENT_SECRET}\n"
        "  patient_context:\n    type: client-credentials\n    client_id: carecheck-patient-context\n    client_secret: ${E2E_CONTEXT_SECRET}\n"
    )
    target = profile(tmp_path, "secretive", auth)
    env = {
        "E2E_SECRET": "demo-all-64e98961bc4161b9",
        "E2E_PATIENT_SECRET": "demo-patient-5f7ba1a8ee4dd8fb",
        "E2E_CONTEXT_SECRET": "demo-context-3b1e7d2a94c05f68",
    }
    with EmbeddedServer(create_app(population=5, auth=settings())) as server:
        result = carecheck(
            "run", "--target", str(target), "--base-url", server.base_url, "--report-dir", str(tmp_path / "out"), "--tags", "token or scope", env=env
        )
    assert result.returncode == 0, result.stdout + result.stderr
    report = outcomes(scenarios(tmp_path / "out"))
    assert report[forged("lower-case-bearer")] == "passed" and report["security/scopes/a-patient-only-token-is-refused-condition--condition"] == "passed"
    assert len(outcomes(scenarios(tmp_path / "out"), CONTEXT)) == 19 and set(outcomes(scenarios(tmp_path / "out"), CONTEXT).values()) == {"passed"}
    assert {claimed(case) for case in CLAIM_CASES} <= {i for i, o in report.items() if o == "not-applicable"}, "no signing key in this profile"
    assert _files_holding(tmp_path / "out", list(env.values())) == []


def _files_holding(folder: Path, needles: list[str]) -> list[str]:
    encoded = [needle.encode() for needle in needles if needle]
    return [str(path) for path in folder.rglob("*") if path.is_file() and any(needle in path.read_bytes() for needle in encoded)]


def _pem_lines(path: Path) -> list[str]:
    """The base64 lines of a PEM file: any of them in a report would be a piece of the key."""
    return [line for line in path.read_text().splitlines() if line and not line.startswith("-----")]


def test_a_full_smart_backend_run_leaves_no_secret_token_or_key_in_its_reports(tmp_path: Path) -> None:
    auth = (
        f"  type: smart-backend\n  client_id: carecheck-backend\n  private_key: {BACKEND_KEY}\n  algorithm: RS384\n  key_id: {BACKEND_KID}\n"
        "  patient_only:\n    type: client-credentials\n    client_id: carecheck-patient-only\n    client_secret: ${E2E_PATIENT_SECRET}\n"
        f"  token_signing_key: {SIGNING_KEY}\n"
    )
    target = profile(tmp_path, "backend", auth, "expectations:\n  write_method_status: 403\n")
    secret = "demo-patient-5f7ba1a8ee4dd8fb"
    spy = TokenSpy(create_app(population=5, auth=settings()))
    with EmbeddedServer(spy) as server:
        result = carecheck(
            "run",
            "--target",
            str(target),
            "--base-url",
            server.base_url,
            "--report-dir",
            str(tmp_path / "out"),
            "-n",
            "2",
            env={"E2E_PATIENT_SECRET": secret},
            timeout=400,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    report = scenarios(tmp_path / "out")
    assert len(report) > 300 and not [i for i, s in report.items() if s["outcome"] in ("failed", "error")]
    assert len(spy.seen) > 10, "the spy saw the real and forged tokens"
    files = [path for path in (tmp_path / "out").rglob("*") if path.is_file()]
    assert len(files) > 1000
    assert _files_holding(tmp_path / "out", [secret, *spy.seen]) == []
    assert _files_holding(tmp_path / "out", [*_pem_lines(BACKEND_KEY), *_pem_lines(SIGNING_KEY), "PRIVATE KEY"]) == []
    assert secret not in result.stdout + result.stderr
    first = next((tmp_path / "out" / report[forged("alg-none")]["evidence"]).glob("001-*.json"))
    exchange = json.loads(first.read_text())
    assert ["authorization", "Bearer [REDACTED]"] in exchange["request"]["headers"]
    assert any(note.startswith('authorization: Bearer JWT (unsigned) header {"alg": "none"') for note in exchange["notes"])


def test_serve_tls_serves_https_with_hsts_and_prints_the_ca_to_trust(tmp_path: Path) -> None:
    port = _free_port()
    with subprocess.Popen(
        [*CARECHECK, "serve", "--tls", "--port", str(port), "--seed", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as server:
        try:
            assert server.stdout is not None
            first, second = server.stdout.readline(), server.stdout.readline()
            assert first.startswith(f"carecheck reference server at https://127.0.0.1:{port}/STU3 (tokens from /auth/token required")
            ca = second.rsplit(": ", 1)[1].strip()
            response = _get_when_up(f"https://127.0.0.1:{port}/STU3/metadata", verify=ca)
            assert response.status_code == 200 and response.headers["strict-transport-security"] == "max-age=31536000"
        finally:
            server.terminate()
            server.communicate(timeout=10)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--cert", "x.pem"), "--cert and --key go together"),
        (("--auth", "off", "--signing-key", "k.pem"), "--signing-key signs access tokens: it needs --auth on"),
    ],
)
def test_bad_serve_options_are_exit_2_with_one_line(arguments: tuple[str, ...], message: str) -> None:
    result = carecheck("serve", *arguments)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _get_when_up(url: str, *, verify: str) -> httpx.Response:
    context = ssl.create_default_context(cafile=verify)
    deadline = time.monotonic() + 15
    while True:
        try:
            return httpx.get(url, verify=context)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
