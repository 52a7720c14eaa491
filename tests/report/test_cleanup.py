"""What carecheck's writes left on a target, as the reports state it: from the scenarios' clean-up findings only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecheck.evidence import EvidenceWriter, read_pack
from carecheck.report import cleanup_banner, cleanup_line, render_html, summarise, write_cleanup

CLEANED = "clean-up: carecheck deleted Patient/n1, which its POST wrote (DELETE answered 204; a re-read answered 410)"
LEFT = "clean-up: FAILED: Patient/n2, written by carecheck's POST, is still on the server (DELETE answered 405; a re-read answered 200): delete it by hand"


def scenario(writer: EvidenceWriter, name: str, findings: list[dict[str, Any]]) -> None:
    evidence = writer.scenario(name)
    identity = {"id": name, "feature": "F", "name": name, "tags": [], "requirements": ["CC-ERR-READ-ONLY"], "started": name}
    evidence.start(identity)
    judgement = {"check": "write_method_refused", "interaction": {}, "arguments": {}, "findings": findings}
    outcome = "failed" if any(f["outcome"] == "fail" for f in findings) else "passed"
    evidence.finish({**identity, "outcome": outcome, "message": "", "judgements": [judgement]})


def pack(tmp_path: Path, *scenarios: tuple[str, list[dict[str, Any]]]) -> Path:
    writer = EvidenceWriter(tmp_path)
    writer.update_run(target={"name": "t"}, started="t0", ended="t9", interrupted=False)
    for name, findings in scenarios:
        scenario(writer, name, findings)
    return tmp_path


def test_a_run_whose_writes_were_all_refused_reports_nothing(tmp_path: Path) -> None:
    refused = pack(tmp_path, ("errors/put", [{"outcome": "pass", "message": "PUT refused with 405"}]))
    record = write_cleanup(read_pack(refused))
    assert record == {"cleaned": [], "left_behind": []}
    assert cleanup_line(record) is None and cleanup_banner(record) == ""
    assert "id=writes" not in render_html(read_pack(refused), summarise(read_pack(refused)), [], [])


def test_records_deleted_again_and_left_behind_are_listed_by_scenario(tmp_path: Path) -> None:
    performed = pack(
        tmp_path,
        ("errors/post", [{"outcome": "fail", "message": "the server performed the POST (201)"}, {"outcome": "pass", "message": CLEANED}]),
        ("security/post", [{"outcome": "fail", "message": "the server performed the POST (201)"}, {"outcome": "fail", "message": LEFT}]),
    )
    summary = summarise(read_pack(performed))
    record = summary["write_cleanup"]
    assert record == {"cleaned": [{"scenario": "errors/post", "message": CLEANED}], "left_behind": [{"scenario": "security/post", "message": LEFT}]}
    line = cleanup_line(record)
    assert line is not None and line.startswith("CLEAN-UP FAILED: 1 record(s) that carecheck's writes put on the server may still be there: FAILED: Patient/n2")
    html = render_html(read_pack(performed), summary, [], [])
    assert "id=writes" in html and "CLEAN-UP FAILED" in html and "href='#s-security/post'" in html


def test_when_every_record_was_deleted_the_line_says_so(tmp_path: Path) -> None:
    record = write_cleanup(read_pack(pack(tmp_path, ("errors/post", [{"outcome": "pass", "message": CLEANED}]))))
    assert cleanup_line(record) == "the server performed carecheck's writes; carecheck deleted all 1 record(s) they wrote"
    assert "#ef6c00" in cleanup_banner(record)
