"""The evidence writer: one file per exchange as it happens, results and run facts written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.evidence import BODIES_DIR, EvidenceWriter, write_json, write_text
from tests.exchanges import BASE, exchange, patient


def test_exchanges_and_results_land_in_the_scenario_folder(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    scenario = writer.scenario("patient/patient_read/a-known-patient")
    first = exchange(patient("abc"), url=f"{BASE}/Patient/abc")
    assert scenario.locate(first) == "evidence/patient/patient_read/a-known-patient/001-GET-Patient-abc.json"
    assert scenario.record(first) == json.loads((tmp_path / scenario.locate(first)).read_text())
    second = exchange(None, url=f"{BASE}/metadata", exchange_id="002", error="refused")
    scenario.record(second)
    scenario.finish({"id": "patient/patient_read/a-known-patient", "outcome": "passed"})
    result = json.loads((scenario.path / "result.json").read_text())
    assert result["evidence"] == "evidence/patient/patient_read/a-known-patient"
    assert result["exchanges"] == ["001-GET-Patient-abc.json", "002-GET-metadata.json"]
    assert json.loads((scenario.path / "002-GET-metadata.json").read_text())["error"] == "refused"
    assert not list(tmp_path.rglob("*.tmp"))


def test_run_facts_are_merged(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    writer.update_run(started="s", target={"name": "t"})
    writer.update_run(ended="e")
    assert writer.run_facts() == {"started": "s", "target": {"name": "t"}, "ended": "e"}


def test_the_waiver_file_the_run_applies_is_kept_in_the_pack(tmp_path: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text("waivers: []\n")
    writer = EvidenceWriter(tmp_path / "run")
    writer.keep_waivers(source)
    writer.keep_waivers(tmp_path / "missing.yaml")
    assert (tmp_path / "run" / "waivers.yaml").read_text() == "waivers: []\n"
    assert not list((tmp_path / "run").glob(".*"))


def test_text_that_is_not_text_is_written_escaped_and_reads_back_the_same(tmp_path: Path) -> None:
    """A lone surrogate (from a `\\ud800` in a server's JSON) and a NUL cannot stop the run: JSON escapes them."""
    data = {"message": "id \x00\ud800 was not the one asked for", "plain": "Müller"}
    write_json(tmp_path / "result.json", data)
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8")) == data
    write_text(tmp_path / "report.html", "<p>\ud800 Müller</p>")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "<p>\\ud800 Müller</p>"


def test_a_larger_body_is_stored_once_however_often_it_was_received(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    statement = {"resourceType": "CapabilityStatement", "description": "x" * 50_000}
    for number in range(1, 4):
        scenario = writer.scenario(f"capability/statement/scenario-{number}")
        data = scenario.record(exchange(statement, url=f"{BASE}/metadata"))
        assert set(data["response"]["body"]) == {"sha256", "bytes", "file"}
    stored = list((tmp_path / BODIES_DIR).iterdir())
    assert len(stored) == 1 and json.loads(stored[0].read_bytes()) == statement
    assert sum(path.stat().st_size for path in tmp_path.rglob("*.json")) < 60_000 + 3 * 2_000
