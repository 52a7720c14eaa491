"""The `carecheck` command end to end: real runs against real servers, judged from their reports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from carecheck.provenance import harness_facts
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests.faults import Faults

pytestmark = pytest.mark.e2e

CARECHECK = [sys.executable, "-m", "carecheck.cli"]


def carecheck(*arguments: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CARECHECK, *arguments], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def summary(report_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    return data


def outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {scenario["id"]: scenario["outcome"] for scenario in report["scenarios"]}


def secured() -> object:
    """The reference app as `carecheck run` starts it: security on, so the reference profile's client works."""
    return create_app(auth=SecuritySettings.load())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    report_dir = tmp_path_factory.mktemp("clean")
    return carecheck("run", "--report-dir", str(report_dir), timeout=300), report_dir


def test_the_embedded_reference_server_passes_every_scenario(clean_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, report_dir = clean_run
    report = summary(report_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert report["complete"] and report["totals"]["scenarios"] >= 20
    assert set(outcomes(report).values()) <= {"passed", "not-applicable", "inconclusive"}
    assert all(s["message"] for s in report["scenarios"] if s["outcome"] in ("not-applicable", "inconclusive")), "not applicable and inconclusive need a reason"
    # inconclusive here: none of the known records refers to the known Encounter, so _revinclude=* has nothing to be judged on
    assert {i for i, o in outcomes(report).items() if o == "inconclusive"} <= {"stories/get_record/an-encounter-with-everything-that-refers-to-it"}
    # not applicable here: the Spine audit JWT and TLS scenarios (another auth type; an https target)
    assert report["totals"]["passed"] >= 0.9 * report["totals"]["scenarios"]
    assert f"{report['totals']['passed']} passed" in result.stdout.splitlines()[-1]


def test_every_scenario_s_tags_in_the_summary_include_its_level_from_its_examples_block_too(clean_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    """An outline's level is often on its Examples block (`@may` on one, `@shall @core` on another): the summary and the
    report show the tags the scenario was selected by."""
    scenarios = {s["id"]: s for s in summary(clean_run[1])["scenarios"]}
    assert [i for i, s in scenarios.items() if not {"shall", "should", "may"} & set(s["tags"])] == []
    by_id = "clinical/encounter/find-a-patient-s-encounters-by-the-patient-reference-given-as-id--patient-id"
    assert scenarios[by_id]["tags"] == ["clinical", "encounter", "may"], "from its Examples block"


def test_a_run_leaves_every_report(clean_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, report_dir = clean_run
    report = summary(report_dir)
    assert (report_dir / "junit.xml").read_text().count("<testcase") == report["totals"]["scenarios"]
    allure = list((report_dir / "allure-results").glob("*-result.json"))
    assert len(allure) == report["totals"]["scenarios"]
    assert list((report_dir / "allure-results").glob("*-attachment.json")), "exchanges are attached to the Allure results"
    for scenario in report["scenarios"]:
        folder = report_dir / scenario["evidence"]
        exchanges = [p for p in folder.glob("*.json") if p.name != "result.json"]
        assert exchanges, f"{scenario['id']} has no recorded exchange"
        assert json.loads((folder / "result.json").read_text())["outcome"] == scenario["outcome"]
    assert report["target"]["name"] == "reference"
    facts = harness_facts()
    assert report["harness"] == {
        "name": "carecheck",
        "version": facts["harness_version"],
        "commit": facts["harness_commit"],
        "features_sha256": facts["features_sha256"],
    }
    assert "features sha256" in (report_dir / "report.html").read_text(), "the run facts tell two reports apart"


@pytest.fixture
def broken_server() -> Iterator[str]:
    """Ignores birthdate in searches, and answers 404 as 200."""
    app = Faults(secured(), ignore_params=frozenset({"birthdate"}), status_map={404: 200})
    with EmbeddedServer(app) as server:
        yield server.base_url


def test_a_broken_server_fails_exactly_the_scenarios_that_show_its_faults(broken_server: str, tmp_path: Path) -> None:
    result = carecheck("run", "--base-url", broken_server, "--report-dir", str(tmp_path), "--tags", "patient")
    report = summary(tmp_path)
    assert result.returncode == 1
    failed = {id_: o for id_, o in outcomes(report).items() if o not in ("passed", "not-applicable")}
    date_excluded = "patient/patient_search/a-date-of-birth-that-does-not-match-leaves-the-patient-out--name-patient-family-birthdate-"
    unknown = "patient/patient_read/an-unknown-patient-is-not-found"
    unknown_version = "patient/patient_versions/a-version-of-the-known-patient-that-never-existed-is-not-found"
    assert {f"{date_excluded}{prefix}-patient-birthdate" for prefix in ("lt", "gt", "ne")} | {unknown, unknown_version} <= set(failed)
    assert set(failed.values()) == {"failed"}
    assert all("birthdate" in scenario for scenario in set(failed) - {unknown, unknown_version}), "only the faults fail"
    messages = {s["id"]: s["message"] for s in report["scenarios"]}
    assert "expected status 404, got 200" in messages["patient/patient_read/an-unknown-patient-is-not-found"]
    assert "[CC-GEN-REST, CC-ERR-OUTCOME, CC-READ-404] GET " in messages["patient/patient_read/an-unknown-patient-is-not-found"]
    lt = messages[f"{date_excluded}lt-patient-birthdate"]
    assert "does not satisfy name=MEAKIN&birthdate=lt1927-06-19" in lt
    assert "CC-SEARCH-PATIENT-BIRTHDATE" in lt and "(evidence: evidence/patient/patient_search/" in lt
    evidence = lt.rsplit("(evidence: ", 1)[1].rstrip(")")
    assert (tmp_path / evidence).is_file()


def test_an_error_without_an_operation_outcome_fails(tmp_path: Path) -> None:
    with EmbeddedServer(Faults(secured(), strip_error_bodies=True)) as server:
        result = carecheck("run", "--base-url", server.base_url, "--report-dir", str(tmp_path), "--tags", "patient or capability")
    report = summary(tmp_path)
    assert result.returncode == 1
    failed = {s["id"]: s["message"] for s in report["scenarios"] if s["outcome"] not in ("passed", "not-applicable")}
    unknown_version = "patient/patient_versions/a-version-of-the-known-patient-that-never-existed-is-not-found"
    assert sorted(failed) == ["patient/patient_read/an-unknown-patient-is-not-found", unknown_version]
    assert "not a FHIR resource: the response has an empty body" in failed["patient/patient_read/an-unknown-patient-is-not-found"]
    assert "not a FHIR resource: the response has an empty body" in failed[unknown_version]


def test_the_suite_runs_against_a_separately_started_server(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/STU3"
    with subprocess.Popen([*CARECHECK, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as server:
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base_url}/metadata").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            result = carecheck("run", "--base-url", base_url, "--report-dir", str(tmp_path), timeout=300)
        finally:
            server.terminate()
            server.communicate(timeout=10)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary(tmp_path)["target"]["base_url"] == base_url


def test_an_unreachable_target_is_exit_3_with_one_line() -> None:
    result = carecheck("run", "--base-url", f"http://127.0.0.1:{free_port()}/STU3")
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("carecheck: target unreachable: http://127.0.0.1:")
    assert "Traceback" not in result.stderr


def test_a_bad_target_file_is_exit_2_with_one_line_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbase_url: http://127.0.0.1:1/STU3\nauth:\n  type: telepathy\n")
    result = carecheck("run", "--target", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "auth.type" in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [("run", "--no-such-option"), ("fly",), ("run", "--target", "no-such-target"), ("run", "--tags", "no_such_tag")],
)
def test_a_bad_command_line_is_exit_2_with_one_line(arguments: tuple[str, ...]) -> None:
    result = carecheck(*arguments)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("carecheck: ")


def test_no_secret_reaches_the_reports_or_the_output(tmp_path: Path) -> None:
    canary = "canary-7f3e9b2c-secret-token"
    target = tmp_path / "secretive.yaml"
    target.write_text(
        "name: secretive\nbase_url: embedded\nauth:\n  type: bearer\n  token: ${CARECHECK_CANARY}\n"
        "testdata:\n  patient:\n    id: 2f88064f-8dc3-4763-af75-94faf6b08b18\n    nhs_number: '9658218873'\n"
    )
    with EmbeddedServer(create_app()) as server:
        result = carecheck(
            "run", "--target", str(target), "--base-url", server.base_url, "--report-dir", str(tmp_path / "out"), env={"CARECHECK_CANARY": canary}, timeout=300
        )
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(files) > 20
    leaks = [p for p in files if canary.encode() in p.read_bytes()]
    assert not leaks
    assert canary not in result.stdout + result.stderr
    some_request = next(p for p in files if p.name.startswith("001-GET"))
    assert ["authorization", "Bearer [REDACTED]"] in json.loads(some_request.read_text())["request"]["headers"]


STALLED = "an-unknown-patient-is-not-found"


def interrupted_run(pack: Path, interrupt: Callable[[subprocess.Popen[str]], None], *arguments: str) -> subprocess.CompletedProcess[str]:
    """`carecheck run` against a server that stalls one scenario's request, interrupted while it waits for the answer."""
    stalled = Faults(secured(), stall={"/STU3/Patient/carecheck-no-such-patient-0": 10.0})
    with EmbeddedServer(stalled) as server:
        command = [*CARECHECK, "run", "--base-url", server.base_url, "--report-dir", str(pack), *arguments]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True) as run:
            deadline = time.monotonic() + 60
            while not (pack / "evidence" / "patient" / "patient_read" / STALLED).is_dir():
                assert time.monotonic() < deadline, "the run never reached the stalled scenario"
                time.sleep(0.05)
            time.sleep(0.3)
            interrupt(run)
            stdout, stderr = run.communicate(timeout=90)
    return subprocess.CompletedProcess(command, run.returncode, stdout, stderr)


def test_an_interrupted_run_keeps_everything_recorded_so_far(tmp_path: Path) -> None:
    run = interrupted_run(tmp_path, lambda run: os.killpg(run.pid, signal.SIGINT), "--tags", "patient")  # Ctrl-C reaches the whole process group
    assert run.returncode == 1
    assert "interrupted" in run.stdout.splitlines()[-1]
    assert "Traceback" not in run.stderr
    report = summary(tmp_path)
    assert not report["complete"]
    finished = outcomes(report)
    assert sum(1 for o in finished.values() if o == "passed") >= 6, finished
    assert finished[f"patient/patient_read/{STALLED}"] == "error"
    for scenario in report["scenarios"]:
        finished_file = (tmp_path / scenario["evidence"] / "result.json").is_file()
        assert finished_file == (scenario["id"] != f"patient/patient_read/{STALLED}")


@pytest.mark.parametrize(("workers", "group"), [(1, False), (2, True)], ids=["serial-sigterm-to-carecheck", "n2-sigterm-to-the-process-group"])
def test_sigterm_keeps_a_sealed_incomplete_pack_that_rejudge_takes_only_when_told(workers: int, group: bool, tmp_path: Path) -> None:
    """SIGTERM as `timeout` sends it (to carecheck alone) and as CI cancellation does (to the group, workers too)."""
    pack = tmp_path / "pack"
    interrupt: Callable[[subprocess.Popen[str]], None] = (
        (lambda run: os.killpg(run.pid, signal.SIGTERM)) if group else (lambda run: run.send_signal(signal.SIGTERM))
    )
    run = interrupted_run(pack, interrupt, "--tags", "patient", "-n", str(workers))
    assert run.returncode == 1 and "(interrupted: incomplete)" in run.stdout.splitlines()[-1], run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    report = summary(pack)
    assert not report["complete"] and outcomes(report)[f"patient/patient_read/{STALLED}"] == "error"
    for name in ("summary.json", "report.html", "junit.xml", "manifest.json", "checklist.md"):
        assert (pack / name).is_file(), name
    assert json.loads((pack / "manifest.json").read_text())["complete"] is False
    verified = carecheck("verify", str(pack))
    assert verified.returncode == 0 and "incomplete run" in verified.stdout
    refused = carecheck("rejudge", str(pack), "--report-dir", str(tmp_path / "refused"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and not (tmp_path / "refused").exists()
    assert "the pack is not sealed: its manifest.json marks the run incomplete (interrupted); re-judge it anyway with --allow-unsealed" in refused.stderr
    allowed = carecheck("rejudge", str(pack), "--allow-unsealed", "--report-dir", str(tmp_path / "allowed"))
    assert allowed.returncode == 0 and "incomplete run (interrupted)" in allowed.stdout, allowed.stdout + allowed.stderr


def test_a_waiver_turns_an_accepted_deviation_into_waived(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - message: expected status 404, got 200\n    check: status_code\n"
        "    reason: Supplier answers unknown ids with 200 until release 4.2\n    owner: qa@supplier.example\n    expires: 2999-12-31\n"
    )
    with EmbeddedServer(Faults(secured(), status_map={404: 200})) as server:
        result = carecheck("run", "--base-url", server.base_url, "--report-dir", str(tmp_path / "out"), "--waivers", str(waivers), "--tags", "patient and read")
    report = summary(tmp_path / "out")
    unknown = next(s for s in report["scenarios"] if s["id"] == "patient/patient_read/an-unknown-patient-is-not-found")
    # The body is still the OperationOutcome: the waiver covers exactly the deviation, so the scenario is waived.
    assert unknown["outcome"] == "waived"
    assert "waived: expected status 404, got 200" in unknown["message"] and "until 2999-12-31" in unknown["message"]
    result_file = json.loads((tmp_path / "out" / unknown["evidence"] / "result.json").read_text())
    status = [f for j in result_file["judgements"] if j["check"] == "status_code" for f in j["findings"]]
    assert [f["outcome"] for f in status] == ["waived"]
    assert result.returncode == 0
    assert report["totals"]["waived"] == 1


def test_a_bad_waiver_file_is_exit_2(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - message: x\n")
    result = carecheck("run", "--waivers", str(waivers))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "waiver 1" in result.stderr


def test_validate_prints_one_line_per_issue_and_exits_1_on_errors(tmp_path: Path) -> None:
    from carecheck.project import data_path

    patient = json.loads(data_path("testdata", "interopen-patients.json").read_text())[0]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(patient).replace("9658218873", "9658218874"))
    result = carecheck("validate", str(bad))
    assert result.returncode == 1
    assert "error [nhs-number]" in result.stdout and result.stdout.splitlines()[-1].startswith("carecheck validate: 1 file(s): 1 error(s)")


def test_credentials_the_token_endpoint_refuses_are_exit_2_with_one_line() -> None:
    result = carecheck("run", env={"CARECHECK_REFERENCE_SECRET": "not-the-secret"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("carecheck: authentication failed: POST http://127.0.0.1:")
    assert "401: invalid_client" in result.stderr and "not-the-secret" not in result.stderr


def test_the_reference_secret_and_tokens_never_reach_the_reports(clean_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, report_dir = clean_run
    token_response = json.loads(next((report_dir / "evidence" / "_run" / "auth").glob("*-POST-token.json")).read_text())
    assert json.loads(token_response["response"]["body"]["text"])["access_token"] == "[REDACTED]"
    for path in report_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"demo-all-64e98961bc4161b9" not in data, path
            assert b"eyJ" not in data, f"{path} holds something that looks like a JWT"


def test_a_profile_with_only_a_url_and_credentials_discovers_its_test_data(tmp_path: Path) -> None:
    result = carecheck("run", "--target", "reference-discover", "--report-dir", str(tmp_path), "--tags", "(clinical or stories) and not prefixes")
    report = summary(tmp_path)
    assert result.returncode == 0, result.stdout
    assert report["totals"]["passed"] > 100
    run = json.loads((tmp_path / "run.json").read_text())
    assert any("is the first the server lists" in note for note in run["testdata"]["notes"])


def test_two_targets_run_concurrently_with_an_index(tmp_path: Path) -> None:
    result = carecheck("run", "--target", "reference", "--target", "reference-xml", "--report-dir", str(tmp_path), "--tags", "patient")
    assert result.returncode == 0, result.stdout + result.stderr
    index = json.loads((tmp_path / "index.json").read_text())
    assert [t["target"] for t in index["targets"]] == ["reference", "reference-xml"]
    for entry in index["targets"]:
        assert (tmp_path / entry["link"] / "summary.json").is_file()
        assert entry["exit_code"] == 0
    assert "reference-xml" in (tmp_path / "index.html").read_text()
    xml_evidence = next((tmp_path / index["targets"][1]["link"] / "evidence" / "patient").rglob("001-*.json"))
    assert ["accept", "application/fhir+xml"] in json.loads(xml_evidence.read_text())["request"]["headers"]


def test_parallel_workers_give_the_same_verdicts_as_a_serial_run(tmp_path: Path) -> None:
    serial = carecheck("run", "--report-dir", str(tmp_path / "serial"), "--tags", "clinical and not prefixes")
    parallel = carecheck("run", "-n", "2", "--report-dir", str(tmp_path / "parallel"), "--tags", "clinical and not prefixes")
    assert serial.returncode == parallel.returncode == 0
    assert outcomes(summary(tmp_path / "serial")) == outcomes(summary(tmp_path / "parallel"))
    tokens = sorted(path.parent.name for path in (tmp_path / "parallel" / "evidence" / "_run").rglob("*-POST-token.json"))
    assert tokens == ["auth", "auth-patient-context", "auth-patient-only"], "each client's token is fetched once for every worker"


def test_a_suite_selects_its_scenarios(tmp_path: Path) -> None:
    result = carecheck("run", "--suite", "smoke", "--report-dir", str(tmp_path))
    assert result.returncode == 0
    assert all("smoke" in s["tags"] for s in summary(tmp_path)["scenarios"])
    assert carecheck("run", "--suite", "nope").returncode == 2
