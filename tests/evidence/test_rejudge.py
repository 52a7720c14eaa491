"""Re-judging a pack offline: the live verdicts come back, unless a waiver or a newer harness changes them."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carecheck.checks import CHECKS, Check, Registry, failed
from carecheck.cli import main
from carecheck.errors import EvidenceError
from carecheck.evidence import BODIES_DIR, REJUDGE_FILE, EvidenceWriter, rejudge, verify, write_manifest
from carecheck.fhir import parse_waivers
from carecheck.http import Interaction
from carecheck.report import build_summary
from tests import packs
from tests.exchanges import BASE, exchange, patient
from tests.packs import ENDED, STARTED, real_pack, run_scenario, seal, synthetic_pack

WAIVER = """waivers:
  - message: expected status 404, got 200
    check: status_code
    reason: Supplier answers unknown ids with 200 until release 4.2
    owner: qa@supplier.example
    expires: 2999-12-31
"""


EVERY_BODY = """  - message: ".*"
    check: resource_type
    reason: Supplier sends the resource it has
    owner: qa@supplier.example
    expires: 2999-12-31
"""


def outcomes(report_dir: Path) -> dict[str, str]:
    return {s["id"]: s["outcome"] for s in build_summary(report_dir)["scenarios"]}


def result(report_dir: Path, scenario: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report_dir / "evidence" / scenario / "result.json").read_text())
    return data


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = synthetic_pack(tmp_path / "live", complete=False)
    seal(root)
    return root


def test_the_live_verdicts_come_back_judgement_for_judgement(pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    outcome = rejudge(pack, out)
    assert outcome.differences == () and outcome.scenarios == 6 and outcome.verification.ok
    assert outcomes(out) == outcomes(pack)
    for scenario in ("patient/read/known", "patient/read/unknown", "patient/read/warned", "patient/search/pages"):
        assert result(out, scenario)["judgements"] == result(pack, scenario)["judgements"], scenario
        assert result(out, scenario)["message"] == result(pack, scenario)["message"]
    assert result(out, "patient/search/pages")["judgements"][0]["arguments"]["baseline"]["exchanges"] == ["002"]
    assert result(out, "clinical/condition/by-code") == result(pack, "clinical/condition/by-code")
    assert not (out / "evidence/clinical/condition/unfinished/result.json").exists()
    assert verify(pack).ok, "the live pack is never changed"
    run = json.loads((out / "run.json").read_text())
    assert run["rejudged"]["pack"] == str(pack.resolve()) and run["rejudged"]["verified"] is True
    assert json.loads((out / REJUDGE_FILE).read_text())["differences"] == []


def test_a_waiver_turns_the_failure_into_waived_and_says_what_the_live_run_never_judged(pack: Path, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER)
    outcome = rejudge(pack, tmp_path / "out", waivers=waivers)
    [difference] = outcome.differences
    assert (difference.scenario, difference.live, difference.rejudged) == ("patient/read/unknown", "failed", "waived")
    assert not difference.new_failure and not outcome.new_failures
    assert difference.message.startswith("waived: expected status 404, got 200")
    assert "1 later step(s) were never run (Then check resource_type)" in difference.message
    unknown = result(tmp_path / "out", "patient/read/unknown")
    assert [s["outcome"] for s in unknown["steps"]] == ["passed", "passed", "not-run"]
    assert unknown["live"]["outcome"] == "failed"
    assert (tmp_path / "out" / "waivers.yaml").read_text() == WAIVER


def test_the_pack_s_own_waivers_apply_unless_others_are_given(tmp_path: Path) -> None:
    waivers = tuple(parse_waivers(WAIVER + EVERY_BODY))
    live = synthetic_pack(tmp_path / "live", waivers=waivers)
    (live / "waivers.yaml").write_text(WAIVER + EVERY_BODY)
    seal(live)
    assert outcomes(live)["patient/read/unknown"] == "waived"
    assert rejudge(live, tmp_path / "same").differences == ()
    expired = tmp_path / "none.yaml"
    expired.write_text("waivers: []\n")
    [difference] = rejudge(live, tmp_path / "without", waivers=expired).differences
    assert (difference.live, difference.rejudged) == ("waived", "failed") and difference.new_failure


def test_an_expired_waiver_no_longer_applies(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER)
    live = synthetic_pack(tmp_path / "live")
    seal(live)
    later = datetime.date(3000, 1, 1)
    assert rejudge(live, tmp_path / "out", waivers=waivers, today=later).differences == ()


def stricter() -> Registry:
    """This harness with a newer `resource_type` check that finds every body wrong."""

    def resource_type(interaction: Interaction, *, expected: str) -> Iterator[Any]:
        yield failed(f"the newer check rejects this {expected}", exchange=interaction.first.id)

    registry = Registry()
    for entry in CHECKS:
        registry.register(Check(entry.name, entry.description, entry.requirements, resource_type) if entry.name == "resource_type" else entry)
    return registry


def test_a_newer_harness_that_judges_differently_lists_the_new_failure(pack: Path, tmp_path: Path) -> None:
    outcome = rejudge(pack, tmp_path / "out", registry=stricter())
    [difference] = outcome.new_failures
    assert (difference.scenario, difference.live, difference.rejudged) == ("patient/read/known", "passed", "failed")
    assert "the newer check rejects this Patient" in difference.message
    assert "(evidence: evidence/patient/read/known/001-GET-Patient-p1.json)" in difference.message
    assert [s["outcome"] for s in result(tmp_path / "out", "patient/read/known")["steps"]] == ["passed", "passed", "failed"]


def test_a_check_this_harness_no_longer_has_makes_the_scenario_an_error(pack: Path, tmp_path: Path) -> None:
    registry = Registry()
    for entry in CHECKS:
        if entry.name != "fhir_content_type":
            registry.register(entry)
    outcome = rejudge(pack, tmp_path / "out", registry=registry)
    [difference] = outcome.differences
    assert (difference.scenario, difference.rejudged) == ("patient/read/warned", "error")
    assert "no check named 'fhir_content_type'" in difference.message


def test_a_tampered_pack_is_refused_and_an_unsealed_one_is_rejudged_unverified_only_when_allowed(pack: Path, tmp_path: Path) -> None:
    evidence = pack / "evidence/patient/read/unknown/001-GET-Patient-nope.json"
    evidence.write_text(evidence.read_text().replace('"status": 200', '"status": 404'))
    with pytest.raises(EvidenceError, match=r"does not match its manifest.json: .*001-GET-Patient-nope.json: changed"):
        rejudge(pack, tmp_path / "out")
    (pack / "manifest.json").unlink()
    with pytest.raises(EvidenceError, match=r"not sealed: it has no manifest.json \(the run was killed\); re-judge it anyway with --allow-unsealed"):
        rejudge(pack, tmp_path / "unsealed")
    assert not (tmp_path / "unsealed").exists()
    outcome = rejudge(pack, tmp_path / "unsealed", allow_unsealed=True)
    assert not outcome.verification.present
    [difference] = outcome.differences
    assert (difference.live, difference.rejudged) == ("failed", "error"), "the edited status passes, but the live run stopped there"
    assert difference.message.startswith("re-judged offline: the failure the live run stopped at (judgement 1) no longer fails")


def test_a_pack_whose_manifest_marks_the_run_incomplete_is_refused_unless_allowed(tmp_path: Path) -> None:
    interrupted = synthetic_pack(tmp_path / "interrupted", complete=False)
    write_manifest(interrupted, complete=False, harness_version="0.1.0", created="then")
    with pytest.raises(EvidenceError, match=r"not sealed: its manifest.json marks the run incomplete \(interrupted\)"):
        rejudge(interrupted, tmp_path / "refused")
    outcome = rejudge(interrupted, tmp_path / "allowed", allow_unsealed=True)
    assert outcome.verification.ok and outcome.verification.complete is False
    assert outcomes(tmp_path / "allowed") == outcomes(interrupted)


def test_the_output_must_be_new_and_outside_the_pack(pack: Path, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="outside the pack"):
        rejudge(pack, pack / "rejudged")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("")
    with pytest.raises(EvidenceError, match="already holds files"):
        rejudge(pack, tmp_path / "used")
    with pytest.raises(EvidenceError, match="not an evidence pack"):
        rejudge(tmp_path / "used", tmp_path / "out")


def carecheck(capsys: pytest.CaptureFixture[str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """The command line, in process (the run that made the pack was a real subprocess)."""
    code = main(list(arguments))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(["carecheck", *arguments], code, captured.out, captured.err)


@pytest.mark.e2e
def test_a_real_run_rejudged_gives_the_live_verdicts_and_a_waiver_changes_exactly_its_scenario(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = real_pack(tmp_path_factory, "faulty")
    same = carecheck(capsys, "rejudge", str(live), "--report-dir", str(tmp_path / "same"))
    assert same.returncode == 0, same.stdout + same.stderr
    assert outcomes(tmp_path / "same") == outcomes(live)
    assert "failed" in outcomes(live).values()
    assert "0 difference(s) from the live verdicts" in same.stdout.splitlines()[-1]
    for name in ("report.html", "testreport.json", "checklist.md", "summary.json", "manifest.json"):
        assert (tmp_path / "same" / name).is_file(), name
    assert verify(tmp_path / "same").ok
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER)
    waived = carecheck(capsys, "rejudge", str(live), "--waivers", str(waivers), "--report-dir", str(tmp_path / "waived"))
    changed = {i: o for i, o in outcomes(tmp_path / "waived").items() if o != outcomes(live)[i]}
    unknown_version = "patient/patient_versions/a-version-of-the-known-patient-that-never-existed-is-not-found"
    assert changed == {"patient/patient_read/an-unknown-patient-is-not-found": "waived", unknown_version: "waived"}, waived.stdout
    assert waived.returncode == 0 and "failed -> waived: patient/patient_read/an-unknown-patient-is-not-found" in waived.stdout


@pytest.mark.e2e
def test_rejudge_exits_1_on_a_new_failure_and_2_on_a_tampered_pack(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    live = tmp_path / "older"
    shutil.copytree(real_pack(tmp_path_factory, "faulty"), live)
    scenario = live / "evidence/patient/patient_read/an-unknown-patient-is-not-found/result.json"
    older = json.loads(scenario.read_text())
    older["outcome"], older["message"] = "passed", ""  # as if an older harness had let it pass
    scenario.write_text(json.dumps(older))
    write_manifest(live, complete=True, harness_version="0.0.1", created="then")
    result = carecheck(capsys, "rejudge", str(live), "--report-dir", str(tmp_path / "out"))
    assert result.returncode == 1 and "passed -> failed: patient/patient_read/an-unknown-patient-is-not-found" in result.stdout
    scenario.write_text(scenario.read_text() + " ")
    tampered = carecheck(capsys, "rejudge", str(live), "--report-dir", str(tmp_path / "again"))
    assert tampered.returncode == 2 and tampered.stderr.count("\n") == 1
    assert tampered.stderr.startswith("carecheck: evidence error: the pack does not match its manifest.json")
    assert not (tmp_path / "again").exists()
    verified = carecheck(capsys, "verify", str(live))
    assert verified.returncode == 1 and "an-unknown-patient-is-not-found/result.json: changed" in verified.stdout


def test_bodies_stored_once_are_rejudged_from_their_one_copy(tmp_path: Path) -> None:
    """Two scenarios judged the same 60 KB Patient (one body file); a third got text that is not text."""
    live = tmp_path / "live"
    writer = EvidenceWriter(live)
    writer.update_run(target={"name": "synthetic", "base_url": BASE}, harness_version="0.1.0", started=STARTED)
    big = patient("p1", text={"status": "generated", "div": "<div>" + "x" * 60_000 + "</div>"})
    for number, expected in ((1, "Patient"), (2, "Observation")):
        sent = exchange(big, url=f"{BASE}/Patient/p1")
        run_scenario(
            writer, f"patient/read/big-{number}", [sent], [packs.Check("resource_type", {"expected": expected})], started=f"2026-01-01T00:00:0{number}"
        )
    odd = exchange(b'{"resourceType": "Patient", "id": "\\u0000\\ud800"}', url=f"{BASE}/Patient/p1")
    run_scenario(writer, "patient/read/odd", [odd], [packs.Check("resource_type", {"expected": "Patient"})], started="2026-01-01T00:00:03")
    writer.update_run(ended=ENDED, interrupted=False)
    seal(live)
    assert len(list((live / BODIES_DIR).iterdir())) == 1
    outcome = rejudge(live, tmp_path / "again")
    assert outcome.differences == () and outcome.verification.ok
    assert outcomes(tmp_path / "again") == {"patient/read/big-1": "passed", "patient/read/big-2": "failed", "patient/read/odd": "passed"}


def test_a_body_changed_in_an_unsealed_pack_cannot_be_rejudged(tmp_path: Path) -> None:
    live = tmp_path / "live"
    writer = EvidenceWriter(live)
    writer.update_run(target={"name": "synthetic", "base_url": BASE}, harness_version="0.1.0", started=STARTED)
    big = patient("p1", text={"status": "generated", "div": "<div>" + "x" * 60_000 + "</div>"})
    run_scenario(writer, "patient/read/big", [exchange(big, url=f"{BASE}/Patient/p1")], [packs.Check("resource_type", {"expected": "Patient"})])
    stored = next((live / BODIES_DIR).iterdir())
    stored.write_bytes(stored.read_bytes().replace(b'"p1"', b'"p2"'))
    rejudge(live, tmp_path / "again", allow_unsealed=True)
    changed = result(tmp_path / "again", "patient/read/big")
    assert changed["outcome"] == "error" and "does not match its sha256" in changed["message"]
