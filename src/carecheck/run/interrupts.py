"""Interruptions: SIGTERM and SIGHUP end a run the way Ctrl-C (SIGINT) does, so its pack is always sealed.

CI cancellation, `timeout` and a container stop send SIGTERM, a closed terminal SIGHUP, to `carecheck run`
alone or to its whole process group. In the pytest process and in each xdist worker the first of these
signals raises KeyboardInterrupt, as SIGINT does: pytest stops the scenario under way, and the session's end
writes the reports and a manifest marked incomplete. Later signals are ignored meanwhile, so a second one
cannot cut the pack in half. `carecheck run` passes every signal on to its pytest processes, waits for them
(at most `GRACE` seconds, then kills them) and seals the pack itself.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

__all__ = ["FINISHED", "GRACE", "SIGNALS", "Children", "interrupt_like_ctrl_c"]

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that interrupt a run (those of them the platform has: Windows has no SIGHUP)."""
GRACE = 60.0
"""Seconds `carecheck run` waits for an interrupted pytest to record what it finished before it kills it."""
FINISHED = frozenset({pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED})
"""How pytest ends when it ran what it was given; anything else (Ctrl-C, SIGTERM, an internal error, a lost worker,
a killed process) stopped the run early, and the pack says so."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def interrupt_like_ctrl_c() -> None:
    """In a pytest process: the first SIGINT, SIGTERM or SIGHUP raises KeyboardInterrupt; later ones are ignored."""
    if not _in_main_thread():
        return

    def interrupt(number: int, frame: FrameType | None) -> None:
        for each in SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise KeyboardInterrupt(f"interrupted by {signal.Signals(number).name}")

    for each in SIGNALS:
        signal.signal(each, interrupt)


class Children:
    """The pytest processes `carecheck run` started; an interrupting signal is passed on to every one of them."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.RLock()  # the handler runs in the main thread, which may hold it
        self.interrupted_at: float | None = None

    @property
    def interrupted(self) -> bool:
        return self.interrupted_at is not None

    @contextmanager
    def forwarding(self) -> Iterator[Children]:
        """While inside (from the main thread), SIGINT, SIGTERM and SIGHUP are passed on instead of ending the process."""
        if not _in_main_thread():
            yield self
            return
        previous = {each: signal.getsignal(each) for each in SIGNALS}
        for each in SIGNALS:
            signal.signal(each, self._pass_on)
        try:
            yield self
        finally:
            for each, handler in previous.items():
                signal.signal(each, handler)

    def wait(self, child: subprocess.Popen[bytes]) -> int:
        """The child's exit code; once the run is interrupted, it has `GRACE` seconds before it is killed."""
        with self._lock:
            self._running.add(child)
        try:
            while True:
                try:
                    return child.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    if self.interrupted_at is not None and time.monotonic() - self.interrupted_at > GRACE:
                        child.kill()
                        return child.wait()
        finally:
            with self._lock:
                self._running.discard(child)

    def _pass_on(self, number: int, frame: FrameType | None) -> None:
        if self.interrupted_at is None:
            self.interrupted_at = time.monotonic()
        with self._lock:
            running = list(self._running)
        for child in running:
            if child.poll() is None:
                child.send_signal(number)
