"""`manifest.json`: the sha256 of every file of a report folder, and of the manifest's own contents.

Written last, whenever the reports are written (at the end of a run, also an interrupted one, and by
`rejudge`), so it covers the evidence and every view of it. `verify` finds any file changed, removed or
added since, and a manifest edited by hand (its own digest no longer matches). It proves the pack is the
one the harness wrote, not who wrote it: the manifest is not signed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carecheck.errors import EvidenceError
from carecheck.evidence.writer import write_json

__all__ = ["MANIFEST_FILE", "MANIFEST_FORMAT", "Verification", "content_digest", "file_digests", "verify", "write_manifest"]

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "carecheck-evidence-manifest/1"


def _sha256(path: Path) -> tuple[str, int]:
    """Digest and size; evidence files are small (bodies are capped), so each is read whole."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def content_digest(manifest: dict[str, Any]) -> str:
    """The sha256 of the manifest's contents: every member but `sha256`, as canonical JSON."""
    contents = {key: value for key, value in manifest.items() if key != "sha256"}
    canonical = json.dumps(contents, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _covered(report_dir: Path) -> list[str]:
    """Every file the manifest covers, relative and sorted: all but the manifest and half-written temporary files."""
    found = []
    for folder, _, names in os.walk(report_dir):
        relative = Path(folder).relative_to(report_dir)
        found += [(relative / name).as_posix() for name in names if name != MANIFEST_FILE and not name.startswith(".")]
    return sorted(found)


def file_digests(report_dir: Path) -> dict[str, tuple[str, int]]:
    """The sha256 and size of every file the manifest covers, as they are now, by path relative to the folder."""
    return {relative: _sha256(report_dir / relative) for relative in _covered(report_dir)}


def write_manifest(report_dir: Path, *, complete: bool, harness_version: str, created: str) -> dict[str, Any]:
    """Hash every file under `report_dir` and write `manifest.json`."""
    files = [{"path": path, "sha256": sha, "bytes": size} for path, (sha, size) in sorted(file_digests(report_dir).items())]
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "harness": {"name": "carecheck", "version": harness_version},
        "created": created,
        "complete": complete,
        "files": files,
    }
    manifest["sha256"] = content_digest(manifest)
    write_json(report_dir / MANIFEST_FILE, manifest)
    return manifest


@dataclass(frozen=True)
class Verification:
    """What checking a pack against its manifest found. `problems` is empty when every file matches;
    `paths` are the files they are about (the manifest itself when it was edited)."""

    report_dir: Path
    present: bool
    problems: tuple[str, ...]
    files: int = 0
    sha256: str | None = None
    complete: bool | None = None
    paths: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.present and not self.problems

    def describe(self) -> str:
        """One line: what matched, or the first problem and how many more."""
        if not self.present:
            return f"{self.report_dir}: no {MANIFEST_FILE}: the pack cannot be verified"
        if self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            return f"{self.report_dir}: {self.problems[0]}{more}"
        state = "complete run" if self.complete else "incomplete run (interrupted: not every scenario ran)"
        return f"{self.report_dir}: {self.files} files match {MANIFEST_FILE} (sha256 {self.sha256}), {state}"


def verify(report_dir: Path) -> Verification:
    """Check every file of the pack against its manifest."""
    path = report_dir / MANIFEST_FILE
    if not path.is_file():
        return Verification(report_dir, present=False, problems=())
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(entry["path"]): str(entry["sha256"]) for entry in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EvidenceError(f"{path}: not a readable manifest ({error})") from None
    found: dict[str, str] = {}
    if content_digest(manifest) != manifest.get("sha256"):
        found[MANIFEST_FILE] = "its sha256 does not match its contents (the manifest was edited)"
    present = file_digests(report_dir)
    for relative, expected in listed.items():
        if relative not in present:
            found[relative] = "missing (the manifest lists it)"
        elif present[relative][0] != expected:
            found[relative] = "changed since the manifest was written (sha256 differs)"
    found.update({relative: "not in the manifest (added after it was written)" for relative in present if relative not in listed})
    problems = tuple(f"{relative}: {problem}" for relative, problem in found.items())
    return Verification(report_dir, True, problems, len(listed), manifest.get("sha256"), bool(manifest.get("complete")), tuple(found))
