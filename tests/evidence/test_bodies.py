"""Content-addressed bodies: kept once as received, read back checked against their digest, never from outside the pack."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from carecheck.errors import EvidenceError
from carecheck.evidence import BODIES_DIR, INLINE_BYTES, Bodies

BIG = b'{"resourceType": "CapabilityStatement", "description": "' + b"x" * (INLINE_BYTES * 4) + b'"}'


def test_a_small_body_stays_inline(tmp_path: Path) -> None:
    assert Bodies(tmp_path).store(b"x" * INLINE_BYTES) is None
    assert not (tmp_path / BODIES_DIR).exists()


def test_a_larger_body_is_kept_once_by_its_digest(tmp_path: Path) -> None:
    bodies = Bodies(tmp_path)
    references = [bodies.store(BIG) for _ in range(80)]
    digest = hashlib.sha256(BIG).hexdigest()
    assert references[0] == {"sha256": digest, "bytes": len(BIG), "file": f"{BODIES_DIR}/sha256-{digest}.json"}
    assert all(reference == references[0] for reference in references)
    assert [path.name for path in (tmp_path / BODIES_DIR).iterdir()] == [f"sha256-{digest}.json"]
    assert Bodies(tmp_path).store(BIG) == references[0], "another process storing the same body finds it there"


def test_any_bytes_are_kept_as_received(tmp_path: Path) -> None:
    odd = b"\x00\xed\xa0\x80\xff<not text>" * 1000
    reference = Bodies(tmp_path).store(odd)
    assert reference is not None and reference["file"].endswith(".bin")
    assert (tmp_path / reference["file"]).read_bytes() == odd
    assert Bodies(tmp_path).load(reference) == odd


def test_a_body_read_back_is_one_object_however_many_exchanges_refer_to_it(tmp_path: Path) -> None:
    reference = Bodies(tmp_path).store(BIG)
    assert reference is not None
    reader = Bodies(tmp_path)
    assert reader.load(reference) is reader.load(dict(reference))


def test_a_changed_or_missing_body_is_an_evidence_error(tmp_path: Path) -> None:
    reference = Bodies(tmp_path).store(BIG)
    assert reference is not None
    (tmp_path / reference["file"]).write_bytes(BIG.replace(b"x", b"y"))
    with pytest.raises(EvidenceError, match="does not match its sha256"):
        Bodies(tmp_path).load(reference)
    (tmp_path / reference["file"]).unlink()
    with pytest.raises(EvidenceError, match="cannot be read"):
        Bodies(tmp_path).load(reference)


def test_a_reference_never_reads_outside_the_pack(tmp_path: Path) -> None:
    secret = tmp_path / "outside.json"
    secret.write_bytes(BIG)
    digest = hashlib.sha256(BIG).hexdigest()
    with pytest.raises(EvidenceError, match="cannot be read"):
        Bodies(tmp_path / "pack").load({"sha256": digest, "file": "../../outside.json"})


def test_each_body_is_first_seen_once(tmp_path: Path) -> None:
    bodies = Bodies(tmp_path)
    reference = bodies.store(BIG)
    assert reference is not None
    assert bodies.first_sight(reference) and not bodies.first_sight(reference)
