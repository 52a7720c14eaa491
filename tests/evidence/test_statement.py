"""The target's CapabilityStatement, taken from the recorded exchange into a file of its own."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.evidence import CAPABILITY_FILE, EvidenceWriter, capture_capability_statement, read_pack
from tests.exchanges import BASE, exchange
from tests.packs import STATEMENT, synthetic_pack


def test_the_statement_is_written_as_the_server_answered_it(tmp_path: Path) -> None:
    synthetic_pack(tmp_path)
    assert capture_capability_statement(tmp_path) == STATEMENT
    assert json.loads((tmp_path / CAPABILITY_FILE).read_text()) == STATEMENT
    assert read_pack(tmp_path).capability_statement == STATEMENT


def test_no_readable_statement_writes_nothing(tmp_path: Path) -> None:
    writer = EvidenceWriter(tmp_path)
    assert capture_capability_statement(tmp_path) is None
    writer.scenario("_run/capability").record(exchange({"resourceType": "OperationOutcome"}, status=401, url=f"{BASE}/metadata"))
    assert capture_capability_statement(tmp_path) is None
    assert not (tmp_path / CAPABILITY_FILE).exists()
