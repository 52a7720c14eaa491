"""A run's report folder: a new or empty folder, or a previous run's pack, which the new run replaces whole.

A pack is sealed by a manifest of every file in its folder, and `run.json` is updated by merging: a run writing into
a previous run's folder would seal the old run's evidence as its own and carry its facts over. So the previous pack
is removed before the new one is opened (only once the new run has reached its target: a run that cannot start
leaves the old pack as it was), and a folder holding anything else is refused before anything runs, never emptied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from carecheck.errors import ConfigError
from carecheck.evidence.manifest import MANIFEST_FILE
from carecheck.evidence.writer import EVIDENCE_DIR, RUN_FILE

__all__ = ["check_report_dir", "is_pack", "replace_previous_pack"]


def is_pack(folder: Path) -> bool:
    """True when the folder holds a carecheck run's pack (complete or not)."""
    return any((folder / name).exists() for name in (RUN_FILE, MANIFEST_FILE, EVIDENCE_DIR))


def check_report_dir(folder: Path) -> None:
    """ConfigError when the folder exists and holds files that are not a carecheck run's pack."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--report-dir {folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not is_pack(folder):
        raise ConfigError(f"--report-dir {folder} is not empty and holds no carecheck run: choose a new or empty folder (a previous run's folder is replaced)")


def replace_previous_pack(folder: Path) -> None:
    """Remove a previous run's pack from the folder, entry by entry (the folder itself stays: it may be a mount)."""
    if not folder.is_dir() or not is_pack(folder):
        return
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
