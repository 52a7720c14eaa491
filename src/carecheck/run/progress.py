"""Progress of running targets: a live line on a terminal, plain lines otherwise.

The pytest plugin appends one JSON line per event to each run's `progress.jsonl` (`{"collected": N}`
once, then `{"id": ..., "outcome": ...}` per finished scenario), after any `{"banner": ...}` the run's
preflight wrote (a server that is not STU3); this watches those files.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

__all__ = ["PROGRESS_FILE", "Progress"]

PROGRESS_FILE = "progress.jsonl"
_FAILING = frozenset({"failed", "error"})


@dataclass
class _Count:
    name: str
    path: Path
    collected: int | None = None
    done: int = 0
    failing: int = 0
    offset: int = 0
    banners: list[str] = field(default_factory=list)

    def read(self) -> list[str]:
        """New events since the last read; returns the ids of newly failing scenarios."""
        if not self.path.is_file():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        failed = []
        for line in complete.splitlines():
            event = json.loads(line)
            if "banner" in event:
                self.banners.append(str(event["banner"]))
                continue
            if "collected" in event:
                self.collected = int(event["collected"])
                continue
            self.done += 1
            if event.get("outcome") in _FAILING:
                self.failing += 1
                failed.append(str(event.get("id")))
        return failed

    def line(self) -> str:
        total = "?" if self.collected is None else str(self.collected)
        return f"{self.name}: {self.done}/{total} scenarios, {self.failing} failing"


class Progress:
    """Shows how far each target has got while a run goes on."""

    def __init__(self, *, stream: TextIO, interval: float = 0.5, tty: bool | None = None) -> None:
        self._stream = stream
        self._interval = interval
        self._tty = stream.isatty() if tty is None else tty
        self._printed_at: dict[str, int] = {}
        self._last = ""

    @contextmanager
    def watching(self, runs: Sequence[tuple[str, Path]]) -> Iterator[None]:
        counts = [_Count(name, path) for name, path in runs]
        stop = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(counts, stop), daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()
            self._update(counts, final=True)

    def _watch(self, counts: list[_Count], stop: threading.Event) -> None:
        while not stop.wait(self._interval):
            self._update(counts, final=False)

    def _update(self, counts: list[_Count], *, final: bool) -> None:
        for count in counts:
            failures = count.read()
            while count.banners:
                self._write(f"{'' if not self._tty else chr(13) + chr(27) + '[K'}carecheck: WARNING: {count.name}: {count.banners.pop(0)}\n")
            for failed in failures:
                self._write(f"{'' if not self._tty else chr(13) + chr(27) + '[K'}failing: {count.name}: {failed}\n")
        if not any(count.collected is not None or count.done for count in counts):
            return  # nothing has started (or the run never got past its preflight): nothing to show
        status = " | ".join(count.line() for count in counts)
        if self._tty:
            self._write(f"\r\x1b[K{status}" + ("\n" if final else ""))
        elif (final or self._due(counts)) and status != self._last:
            self._last = status
            self._write(status + "\n")

    def _due(self, counts: list[_Count]) -> bool:
        """Plain output: a line when a target has done another tenth of its scenarios."""
        due = False
        for count in counts:
            step = max(1, (count.collected or 100) // 10)
            if count.done // step > self._printed_at.get(count.name, 0):
                self._printed_at[count.name] = count.done // step
                due = True
        return due

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
