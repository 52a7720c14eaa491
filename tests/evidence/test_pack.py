"""Reading a pack back: run facts, scenarios in the order they started, their exchanges, the run's own exchanges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carecheck.errors import EvidenceError
from carecheck.evidence import EvidenceWriter, read_pack
from tests.exchanges import BASE, exchange
from tests.packs import synthetic_pack


def test_scenarios_are_read_in_the_order_they_started(tmp_path: Path) -> None:
    pack = read_pack(synthetic_pack(tmp_path))
    assert [s.id for s in pack.scenarios] == [
        "patient/read/known", "patient/read/unknown", "patient/read/warned", "patient/search/pages", "clinical/condition/by-code",
    ]  # fmt: skip
    assert pack.complete and pack.run["target"]["name"] == "synthetic"
    unknown = pack.scenarios[1]
    assert unknown.outcome == "failed" and unknown.area == "patient" and unknown.finished
    assert unknown.tagged == ("CC-READ-404",) and "CC-GEN-REST" in unknown.requirements
    assert [j["check"] for j in unknown.judgements] == ["status_code"]
    assert [s["outcome"] for s in unknown.steps] == ["passed", "failed", "not-run"]
    assert unknown.summary_record()["evidence"] == "evidence/patient/read/unknown"


def test_exchanges_are_read_with_their_evidence_paths(tmp_path: Path) -> None:
    pack = read_pack(synthetic_pack(tmp_path))
    records = pack.exchanges(pack.scenarios[3])
    assert [r.path for r in records] == ["evidence/patient/search/pages/001-GET-Patient.json", "evidence/patient/search/pages/002-GET-Patient.json"]
    assert records[1].exchange.request.url.endswith("_count=100")
    assert pack.exchanges(pack.scenarios[4]) == []
    assert [r.path for r in pack.session_exchanges()["capability"]] == ["evidence/_run/capability/001-GET-metadata.json"]


def test_a_scenario_the_run_never_finished_reads_as_an_error_and_the_run_as_incomplete(tmp_path: Path) -> None:
    pack = read_pack(synthetic_pack(tmp_path, complete=False))
    unfinished = pack.scenarios[-1]
    assert not pack.complete
    assert (unfinished.outcome, unfinished.finished) == ("error", False)
    assert unfinished.message == "the run was interrupted before this scenario finished"


def test_a_missing_folder_or_a_broken_file_is_an_evidence_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="no such report folder"):
        read_pack(tmp_path / "nowhere")
    synthetic_pack(tmp_path)
    (tmp_path / "evidence/patient/read/known/result.json").write_text("{not json")
    with pytest.raises(EvidenceError, match=r"known/result.json: not valid JSON"):
        read_pack(tmp_path)


def test_bodies_kept_apart_are_read_back_whole_and_shared(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    statement = {"resourceType": "CapabilityStatement", "description": "x" * 50_000}
    for number in (1, 2):
        writer.scenario(f"capability/statement/s{number}").start({"id": f"capability/statement/s{number}", "started": f"2026-01-01T00:00:0{number}"})
        writer.scenario(f"capability/statement/s{number}").record(exchange(statement, url=f"{BASE}/metadata"))
    pack = read_pack(tmp_path)
    first, second = (pack.exchanges(scenario)[0].exchange.response for scenario in pack.scenarios)
    assert first is not None and second is not None
    assert json.loads(first.body) == statement
    assert first.body is second.body, "one body in memory, however many exchanges refer to it"


def test_an_exchange_whose_body_is_missing_is_an_evidence_error(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    scenario = writer.scenario("capability/statement/s1")
    scenario.start({"id": "capability/statement/s1"})
    reference = scenario.record(exchange({"resourceType": "Basic", "text": "x" * 10_000}))["response"]["body"]
    (tmp_path / reference["file"]).unlink()
    pack = read_pack(tmp_path)
    with pytest.raises(EvidenceError, match="the body an exchange refers to cannot be read"):
        pack.exchanges(pack.scenarios[0])
