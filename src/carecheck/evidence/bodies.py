"""Content-addressed bodies: every distinct body of more than a few kilobytes is kept once, as received.

A 4 MB CapabilityStatement fetched 80 times is one file, `evidence/_bodies/sha256-<digest>.json`, that 80
exchange files refer to by digest (`{"sha256": ..., "bytes": ..., "file": ...}`). The file holds the
bytes as received (after redaction), so any body is stored faithfully whatever it holds (NUL bytes, text
that is not UTF-8), and at most once: a pack's size follows what is distinct. Smaller bodies stay inline
in their exchange file, readable there. Reading a pack back gives one `bytes` object per digest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from carecheck.errors import EvidenceError

__all__ = ["BODIES_DIR", "INLINE_BYTES", "Bodies"]

BODIES_DIR = "evidence/_bodies"
"""Where distinct bodies are kept, relative to the report folder."""
INLINE_BYTES = 4096
"""Bodies up to this size stay inline in their exchange file."""


def _suffix(body: bytes) -> str:
    start = body.lstrip()[:1]
    return ".json" if start in (b"{", b"[") else ".xml" if start == b"<" else ".bin"


class Bodies:
    """The distinct bodies of one report folder: `store` keeps one (once) and refers to it; `load` reads it back."""

    def __init__(self, report_dir: Path) -> None:
        self.report_dir = report_dir
        self._stored: set[str] = set()
        self._shown: set[str] = set()
        self._loaded: dict[str, bytes] = {}

    def store(self, body: bytes) -> dict[str, Any] | None:
        """A reference to `body`, written under `_bodies/` unless it is already there; None for a body kept inline."""
        if len(body) <= INLINE_BYTES:
            return None
        digest = hashlib.sha256(body).hexdigest()
        relative = f"{BODIES_DIR}/sha256-{digest}{_suffix(body)}"
        if digest not in self._stored:
            path = self.report_dir / relative
            if not path.is_file():
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # parallel workers may store the same body
                temporary.write_bytes(body)
                os.replace(temporary, path)
            self._stored.add(digest)
        return {"sha256": digest, "bytes": len(body), "file": relative}

    def first_sight(self, reference: dict[str, Any]) -> bool:
        """True the first time this process is shown a reference (Allure attaches each distinct body once)."""
        digest = str(reference.get("sha256"))
        if digest in self._shown:
            return False
        self._shown.add(digest)
        return True

    def load(self, reference: dict[str, Any]) -> bytes:
        """The body a reference stands for, checked against its digest (EvidenceError if missing or changed)."""
        digest = str(reference.get("sha256"))
        if digest not in self._loaded:
            path = self.report_dir / BODIES_DIR / Path(str(reference.get("file"))).name  # never outside the pack
            try:
                body = path.read_bytes()
            except OSError as error:
                raise EvidenceError(f"{path}: the body an exchange refers to cannot be read ({error.strerror})") from None
            if hashlib.sha256(body).hexdigest() != digest:
                raise EvidenceError(f"{path}: the body does not match its sha256 {digest}")
            self._loaded[digest] = body
        return self._loaded[digest]
