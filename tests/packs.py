"""Evidence packs for the tests of the evidence and report packages.

`synthetic_pack` records a small run the way the plugin does (evidence writer, verdicts, step logs) without
pytest or a server: fast, and every branch is chosen. `real_pack` makes a real `carecheck run` (patient
scenarios only) against the reference server, clean or with two faults, once per test session.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from carecheck.checks import CheckFailed, Verdict
from carecheck.evidence import EvidenceWriter, StepLog, write_manifest
from carecheck.fhir import Waiver
from carecheck.http import Exchange, Interaction
from tests.exchanges import BASE, exchange, patient

STARTED = "2026-01-01T00:00:00.000+00:00"
ENDED = "2026-01-01T00:01:00.000+00:00"
STATEMENT = {
    "resourceType": "CapabilityStatement",
    "status": "active",
    "date": "2026-01-01",
    "kind": "instance",
    "fhirVersion": "3.0.1",
    "acceptUnknown": "no",
    "format": ["application/fhir+json"],
    "rest": [
        {
            "mode": "server",
            "resource": [
                {"type": "Patient", "interaction": [{"code": "read"}, {"code": "search-type"}], "searchParam": [{"name": "family", "type": "string"}]},
            ],
        }
    ],
}


@dataclass
class Check:
    """One `Then` step of a synthetic scenario: a check and its arguments."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


def run_scenario(
    writer: EvidenceWriter,
    scenario_id: str,
    sent: list[Exchange],
    checks: list[Check],
    *,
    kind: str = "read",
    requirements: tuple[str, ...] = ("CC-READ",),
    tags: tuple[str, ...] = ("patient", "read"),
    waivers: tuple[Waiver, ...] = (),
    started: str = STARTED,
    skip: str | None = None,
) -> dict[str, Any]:
    """Record one scenario as the plugin would: a When step sending `sent`, then a Then step per check.

    The checks judge the first exchange; an argument given as `"$second"` is an interaction of the second.
    """
    evidence = writer.scenario(scenario_id)
    identity = {
        "id": scenario_id,
        "feature": "Synthetic",
        "name": scenario_id.rsplit("/", 1)[-1],
        "tags": list(tags),
        "requirements": list(requirements),
        "started": started,
    }
    evidence.start(identity)
    verdict = Verdict(requirements=requirements, locate=evidence.locate, waivers=waivers)
    steps = StepLog([("When", "when", "the client sends", 3)] + [("Then", "then", f"check {c.name}", 4 + i) for i, c in enumerate(checks)])
    outcome: tuple[str, str] | None = None
    steps.started(0, 0)
    if skip is not None:
        outcome = ("not-applicable", skip)
    else:
        for one in sent:
            evidence.record(one)
        steps.ended("passed", 0, len(sent))
        interaction = Interaction(kind, "Patient", tuple(sent[:1]))  # type: ignore[arg-type]
        for check in checks:
            steps.started(len(verdict.judgements), len(sent))
            arguments = {k: (Interaction(kind, "Patient", (sent[1],)) if v == "$second" else v) for k, v in check.arguments.items()}  # type: ignore[arg-type]
            try:
                verdict.judge(check.name, interaction, **arguments)
            except CheckFailed as failure:
                steps.ended("failed", len(verdict.judgements), len(sent))
                outcome = ("failed", str(failure))
                break
            steps.ended("passed", len(verdict.judgements), len(sent))
    result_outcome, message = outcome or verdict.settled()
    findings = verdict.findings
    result = {
        **identity,
        "outcome": result_outcome,
        "message": message,
        "requirements": list(dict.fromkeys((*requirements, *(r for f in findings for r in f.requirements)))),
        "ended": started,
        "judgements": [j.to_data() for j in verdict.judgements],
        "steps": steps.to_data(result_outcome, len(verdict.judgements), len(sent) if skip is None else 0),
    }
    evidence.finish(result)
    return result


def synthetic_pack(root: Path, *, waivers: tuple[Waiver, ...] = (), complete: bool = True) -> Path:
    """A run of five scenarios: passed, failed (stopping before its last check), warned, not applicable,
    and (when not `complete`) one the run never finished."""
    writer = EvidenceWriter(root)
    writer.update_run(
        target={"name": "synthetic", "base_url": BASE, "profile": {"expectations": {"conformance": "ig"}}}, harness_version="0.1.0", started=STARTED
    )
    capability = writer.scenario("_run/capability")
    capability.record(exchange(STATEMENT, url=f"{BASE}/metadata"))
    known = exchange(patient("p1"), url=f"{BASE}/Patient/p1")
    run_scenario(
        writer,
        "patient/read/known",
        [known],
        [Check("status_code", {"expected": [200]}), Check("resource_type", {"expected": "Patient"})],
        started="2026-01-01T00:00:01",
    )
    unknown = exchange(patient("nope"), url=f"{BASE}/Patient/nope")
    run_scenario(
        writer, "patient/read/unknown", [unknown], [Check("status_code", {"expected": [404]}), Check("resource_type", {"expected": "OperationOutcome"})],
        requirements=("CC-READ-404",), waivers=waivers, started="2026-01-01T00:00:02",
    )  # fmt: skip
    warned = exchange(patient("p1"), url=f"{BASE}/Patient/p1", content_type="application/json+fhir")
    run_scenario(writer, "patient/read/warned", [warned], [Check("fhir_content_type")], started="2026-01-01T00:00:03")
    first = exchange({"resourceType": "Bundle", "type": "searchset", "total": 0}, url=f"{BASE}/Patient?family=X", exchange_id="001")
    baseline = exchange({"resourceType": "Bundle", "type": "searchset", "total": 0}, url=f"{BASE}/Patient?family=X&_count=100", exchange_id="002")
    run_scenario(
        writer, "patient/search/pages", [first, baseline], [Check("same_matches", {"baseline": "$second"})],
        kind="search", requirements=("CC-SEARCH-PATIENT-FAMILY",), tags=("patient", "search"), started="2026-01-01T00:00:04",
    )  # fmt: skip
    run_scenario(
        writer,
        "clinical/condition/by-code",
        [],
        [Check("status_code")],
        requirements=("CC-SEARCH-CONDITION-CODE",),
        tags=("clinical",),
        skip="the server does not declare the SHOULD Condition search parameter code (IG)",
        started="2026-01-01T00:00:05",
    )
    if complete:
        writer.update_run(ended=ENDED, interrupted=False)
    else:
        writer.scenario("clinical/condition/unfinished").start(
            {
                "id": "clinical/condition/unfinished",
                "feature": "Synthetic",
                "name": "unfinished",
                "tags": [],
                "requirements": ["CC-READ"],
                "started": "2026-01-01T00:00:06",
            }
        )
    return root


def seal(root: Path) -> None:
    """Write the pack's manifest, as the end of a run does."""
    write_manifest(root, complete=True, harness_version="0.1.0", created=ENDED)


UNUSED_WAIVER = """waivers:
  - {message: "no finding says this", check: status_code, reason: kept in the pack, owner: qa@x.example, expires: 2999-12-31}
"""


def real_pack(factory: pytest.TempPathFactory, name: str) -> Path:
    """A real `carecheck run --tags patient` against the reference server: `clean`, or `faulty` (birthdate
    ignored in searches, 404 answered as 200, and a waiver file that covers nothing). Made once per test
    session and shared."""
    report_dir = factory.getbasetemp() / "packs" / name
    if (report_dir / "manifest.json").is_file():
        return report_dir
    from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
    from tests.faults import Faults

    app = create_app(auth=SecuritySettings.load())
    extra: list[str] = []
    if name == "faulty":
        app = Faults(app, ignore_params=frozenset({"birthdate"}), status_map={404: 200})
        waivers = factory.getbasetemp() / "packs" / "unused-waivers.yaml"
        waivers.parent.mkdir(parents=True, exist_ok=True)
        waivers.write_text(UNUSED_WAIVER)
        extra = ["--waivers", str(waivers)]
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir), "--tags", "patient", *extra]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == (1 if name == "faulty" else 0), result.stdout + result.stderr
    return report_dir
