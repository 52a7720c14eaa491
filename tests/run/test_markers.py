"""Tests for carecheck.run.markers: every tag a scenario may carry is a registered marker, carecheck's with what it
selects and a supplier's own as theirs, so a session under --strict-markers runs both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from carecheck.project import SUITES
from carecheck.run.markers import tag_descriptions
from carecheck.run.selection import suite_scenarios


def markers(*options: str) -> str:
    command = [sys.executable, "-m", "pytest", str(SUITES), "--markers", *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def test_every_tag_of_carecheck_features_is_described() -> None:
    used = {marker for scenario in suite_scenarios() for marker in scenario.markers}
    assert used <= tag_descriptions().keys()
    assert all(text.strip() for text in tag_descriptions().values())


def test_the_session_registers_carecheck_tags_and_the_suppliers_own(tmp_path: Path) -> None:
    (tmp_path / "ours.feature").write_text(
        '@acme\nFeature: ours\n  @req:ACME-1 @nightly-only\n  Scenario: read\n    When the client reads Patient "x"\n    Then the response status is 200\n',
        encoding="utf-8",
    )
    plain = markers()
    assert "@pytest.mark.capability: capability statement scenarios" in plain
    assert "acme" not in plain
    theirs = markers("--features", str(tmp_path))
    assert "@pytest.mark.acme: a tag of the supplier's own scenarios (--features)" in theirs
    assert "@pytest.mark.nightly-only: a tag of the supplier's own scenarios (--features)" in theirs
    assert "req:ACME-1" not in theirs  # a requirement, not a marker
