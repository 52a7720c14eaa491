"""Waiver warnings: a waiver naming no check, an expired one, and one that matched nothing are each said so."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import read_pack
from carecheck.fhir import parse_waivers
from carecheck.report import waiver_warnings
from tests.packs import synthetic_pack

WAIVERS = """waivers:
  - {message: "expected status 404", check: status_code, reason: Applied, owner: qa@x.example, expires: 2999-12-31}
  - {message: ".*", check: status_kode, reason: Typo, owner: qa@x.example, expires: 2999-12-31}
  - {message: ".*", resource_type: Patient, reason: Old, owner: qa@x.example, expires: 2025-12-31}
  - {message: "nothing says this", check: status_code, reason: Fixed, owner: qa@x.example, expires: 2999-12-31}
"""


def test_each_waiver_that_cannot_apply_or_did_not_is_a_warning(tmp_path: Path) -> None:
    root = synthetic_pack(tmp_path, waivers=tuple(parse_waivers(WAIVERS)))
    (root / "waivers.yaml").write_text(WAIVERS)
    warnings = waiver_warnings(read_pack(root))
    assert [(w.kind, w.message) for w in warnings] == [
        (
            "unknown-check",
            "waiver 2 (Typo; qa@x.example) names check 'status_kode', which is no check of carecheck (see `carecheck list checks`): it can never apply",
        ),
        ("expired", "waiver 3 (Old; qa@x.example) expired on 2025-12-31: it no longer applies, and what it covered fails again"),
        ("unused", "waiver 4 (Fixed; qa@x.example) matched no finding in this run: the deviation may be fixed, or the waiver mistyped"),
    ]


def test_a_run_without_waivers_or_with_an_unreadable_copy(tmp_path: Path) -> None:
    root = synthetic_pack(tmp_path)
    assert waiver_warnings(read_pack(root)) == []
    (root / "waivers.yaml").write_text("waivers: 3\n")
    assert [w.kind for w in waiver_warnings(read_pack(root))] == ["unreadable"]
