"""The multi-target index: one line per target, linking its report folder relatively."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.report import write_index


def test_the_index_links_each_target_with_its_status(tmp_path: Path) -> None:
    entries = [
        {"target": "reference", "report_dir": str(tmp_path / "reference" / "t1"), "status": "318 passed", "exit_code": 0},
        {"target": "supplier <b>", "report_dir": str(tmp_path / "supplier" / "t1"), "status": "3 failed", "exit_code": 1},
    ]
    page = write_index(tmp_path, entries).read_text()
    data = json.loads((tmp_path / "index.json").read_text())
    assert [t["link"] for t in data["targets"]] == ["reference/t1", "supplier/t1"]
    assert 'href="reference/t1/"' in page and "318 passed" in page
    assert "supplier &lt;b&gt;" in page and "supplier <b>" not in page
    assert page.count('class="bad"') == 1 and page.count('class="ok"') == 1
