"""Judging what a server we did not write answers, end to end on loopback: a chained search answered with other
patients' records fails (the harness reads the patients the results point at), R4-shaped XML and JSON are
compared as written (never reported absent), and re-judging the pack offline gives the same verdicts.

One faulty reference server carries both, each confined to one resource: AllergyIntolerance searches drop
the chained `patient.identifier` yet claim in their self link to have used it (so every patient's allergies come
back as matches: a server that says it ignored the chain, as STU3 lets it, would be not applicable instead), and
Condition searches answer `clinicalStatus` in R4's CodeableConcept shape in JSON and XML alike.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from carecheck.evidence import rejudge
from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from carecheck.report import write_reports
from tests.faults import Faults, Query

pytestmark = pytest.mark.e2e

TAGS = "allergyintolerance or (formats and search)"
CHAINED = "clinical/allergy_intolerance/find-a-patient-s-allergies-by-the-patient-reference-given-as-identifier--patient-identifier"
PARITY = "formats/parity/the-known-patient-s-condition-records-are-the-same-in-json-and-xml--condition"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def ignore_chain(pairs: Query) -> Query:
    """The server drops `patient.identifier`: every patient's allergies are returned."""
    return [(key, value) for key, value in pairs if not key.startswith("patient.")]


def claim_the_chain(bundle: dict[str, Any]) -> dict[str, Any]:
    """...while its self link says the chain was used (a search with no patient criterion left had one)."""
    for link in bundle.get("link") or []:
        if link.get("relation") == "self" and "patient" not in link["url"]:
            link["url"] += f"{'&' if '?' in link['url'] else '?'}patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873"
    return bundle


def r4_json(bundle: dict[str, Any]) -> dict[str, Any]:
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") or {}
        if isinstance(resource.get("clinicalStatus"), str):
            resource["clinicalStatus"] = {"coding": [{"system": CLINICAL, "code": resource["clinicalStatus"]}]}
    return bundle


def r4_xml(body: bytes) -> bytes:
    shape = f'<clinicalStatus><coding><system value="{CLINICAL}"/><code value="\\1"/></coding></clinicalStatus>'
    return re.sub(rb'<clinicalStatus value="([a-z-]+)"\s*/>', shape.encode(), body)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = Faults(
        create_app(auth=SecuritySettings.load()),
        rewrite_query={"/STU3/AllergyIntolerance": ignore_chain},
        rewrite_body={"/STU3/Condition": r4_json, "/STU3/AllergyIntolerance": claim_the_chain},
        rewrite_xml={"/STU3/Condition": r4_xml},
    )
    report_dir = tmp_path_factory.mktemp("judging")
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir), "--tags", TAGS]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    return report_dir


def scenarios(report_dir: Path) -> dict[str, dict[str, Any]]:
    summary = json.loads((report_dir / "summary.json").read_text())
    return {scenario["id"]: scenario for scenario in summary["scenarios"]}


def test_a_chained_search_answered_with_other_patients_records_fails(pack: Path) -> None:
    chained = scenarios(pack)[CHAINED]
    assert chained["outcome"] == "failed", chained
    assert "does not satisfy patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9658218873" in chained["message"]
    result = json.loads((pack / chained["evidence"] / "result.json").read_text())
    reads = [name for name in result["exchanges"] if "-GET-Patient-" in name]
    assert reads, "the patients the results point at are read, and recorded in the scenario's evidence"
    sound = next(j for j in result["judgements"] if j["check"] == "search_sound")
    recorded = {read["evidence"] for read in sound["arguments"]["resolved"] if read["status"] == 200}
    assert recorded and recorded <= {f"{chained['evidence']}/{name}" for name in reads}


def test_r4_shaped_content_is_compared_as_written_and_never_reported_absent(pack: Path) -> None:
    parity = scenarios(pack)[PARITY]
    assert parity["outcome"] == "passed", parity
    assert "(absent)" not in parity["message"]
    assert "<clinicalStatus> is a code in STU3" in parity["message"]


def test_nothing_else_fails(pack: Path) -> None:
    found = scenarios(pack)
    bad = {i: s["message"][:200] for i, s in found.items() if s["outcome"] in ("failed", "error") and "allergy" not in i}
    assert not bad


def test_rejudging_offline_uses_the_recorded_reads_and_agrees(pack: Path, tmp_path: Path) -> None:
    outcome = rejudge(pack, tmp_path / "rejudged")  # no server runs now: a network read would fail the replay
    assert outcome.differences == ()
    write_reports(tmp_path / "rejudged")
    assert scenarios(tmp_path / "rejudged")[CHAINED]["outcome"] == "failed"
