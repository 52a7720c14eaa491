"""The manifest: a sha256 for every file of the pack and for its own contents; `verify` finds any change."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.evidence import MANIFEST_FILE, content_digest, verify, write_manifest
from tests.packs import synthetic_pack


def sealed(root: Path) -> dict[str, object]:
    synthetic_pack(root)
    return write_manifest(root, complete=True, harness_version="9.9", created="now")


def test_every_file_is_listed_with_its_digest_and_the_manifest_with_its_own(tmp_path: Path) -> None:
    manifest = sealed(tmp_path)
    files = {entry["path"] for entry in manifest["files"]}  # type: ignore[attr-defined]
    assert "run.json" in files and "evidence/patient/read/known/001-GET-Patient-p1.json" in files
    assert MANIFEST_FILE not in files
    assert manifest["sha256"] == content_digest(manifest)  # type: ignore[arg-type]
    verification = verify(tmp_path)
    assert verification.ok and verification.complete and verification.files == len(files)
    assert "files match manifest.json" in verification.describe()


def test_a_changed_evidence_file_is_detected(tmp_path: Path) -> None:
    sealed(tmp_path)
    evidence = tmp_path / "evidence/patient/read/unknown/001-GET-Patient-nope.json"
    evidence.write_text(evidence.read_text().replace('"status": 200', '"status": 404'))
    verification = verify(tmp_path)
    assert not verification.ok
    assert verification.problems == ("evidence/patient/read/unknown/001-GET-Patient-nope.json: changed since the manifest was written (sha256 differs)",)


def test_a_removed_or_added_file_is_detected(tmp_path: Path) -> None:
    sealed(tmp_path)
    (tmp_path / "evidence/patient/read/known/result.json").unlink()
    (tmp_path / "evidence/patient/read/known/002-GET-extra.json").write_text("{}")
    problems = verify(tmp_path).problems
    assert "evidence/patient/read/known/result.json: missing (the manifest lists it)" in problems
    assert "evidence/patient/read/known/002-GET-extra.json: not in the manifest (added after it was written)" in problems


def test_a_manifest_edited_by_hand_is_detected(tmp_path: Path) -> None:
    sealed(tmp_path)
    path = tmp_path / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    manifest["complete"] = False
    path.write_text(json.dumps(manifest))
    assert verify(tmp_path).problems == ("manifest.json: its sha256 does not match its contents (the manifest was edited)",)


def test_a_pack_without_a_manifest_cannot_be_verified(tmp_path: Path) -> None:
    synthetic_pack(tmp_path)
    verification = verify(tmp_path)
    assert not verification.present and not verification.ok and not verification.problems
    assert "no manifest.json" in verification.describe()


def test_half_written_temporary_files_are_not_covered(tmp_path: Path) -> None:
    sealed(tmp_path)
    (tmp_path / ".summary.json.tmp").write_text("{")
    assert verify(tmp_path).ok
