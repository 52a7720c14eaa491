"""The index of a run over several targets: one line per target, linking its report folder."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["INDEX_HTML", "INDEX_JSON", "write_index"]

INDEX_HTML = "index.html"
INDEX_JSON = "index.json"


def write_index(root: Path, entries: Sequence[dict[str, Any]]) -> Path:
    """Write `index.json` and a self-contained `index.html` under `root`; returns the HTML path.

    Each entry has `target`, `report_dir`, `status` (its one-line summary) and `exit_code`.
    """
    root.mkdir(parents=True, exist_ok=True)
    listed = [{**entry, "link": os.path.relpath(entry["report_dir"], root)} for entry in entries]
    (root / INDEX_JSON).write_text(json.dumps({"targets": listed}, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(
        f'<tr class="{"ok" if e["exit_code"] == 0 else "bad"}"><td>{html.escape(e["target"])}</td>'
        f'<td><a href="{html.escape(e["link"])}/">{html.escape(e["link"])}</a></td><td>{html.escape(e["status"])}</td></tr>'
        for e in listed
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>carecheck runs</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left}}
tr.ok td:first-child{{border-left:4px solid #2a7}}tr.bad td:first-child{{border-left:4px solid #c33}}</style></head>
<body><h1>carecheck: {len(listed)} targets</h1>
<table><thead><tr><th>target</th><th>report</th><th>status</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""
    path = root / INDEX_HTML
    path.write_text(page, encoding="utf-8")
    return path
