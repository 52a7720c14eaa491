"""Interruptions in real processes: the first SIGTERM or SIGHUP interrupts like Ctrl-C and later ones are ignored;
`carecheck run` passes every signal on to its pytest processes and kills one that outstays the grace period."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def python(code: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout, check=False)


def test_the_first_sigterm_or_sighup_raises_keyboard_interrupt_and_later_ones_are_ignored() -> None:
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        result = python(f"""
            import os, signal, time
            from carecheck.run.interrupts import interrupt_like_ctrl_c
            interrupt_like_ctrl_c()
            try:
                os.kill(os.getpid(), signal.{name})
                time.sleep(5)
            except KeyboardInterrupt as interrupt:
                print("interrupted:", interrupt, flush=True)
            for again in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                os.kill(os.getpid(), again)
            time.sleep(0.2)
            print("recorded what it had")
        """)
        assert result.stdout.splitlines() == [f"interrupted: interrupted by {name}", "recorded what it had"], result.stderr


CHILD = """
import signal, sys, time
{handler}
print("ready", flush=True)
time.sleep(30)
"""
PARENT = """
import os, signal, subprocess, sys, threading
from carecheck.run import interrupts
interrupts.GRACE = 0.5
child = subprocess.Popen([sys.executable, "-c", {child!r}], stdout=subprocess.PIPE, text=True)
child.stdout.readline()
children = interrupts.Children()
with children.forwarding():
    threading.Timer(0.2, os.kill, (os.getpid(), signal.{signal})).start()
    code = children.wait(child)
print(code, children.interrupted, child.stdout.read().strip() or "-")
"""


def test_a_signal_to_carecheck_run_is_passed_on_to_its_pytest_and_waited_for() -> None:
    child = CHILD.format(handler="signal.signal(signal.SIGTERM, lambda *_: (print('child recorded and sealed', flush=True), sys.exit(2)))")
    result = python(PARENT.format(child=child, signal="SIGTERM"))
    assert result.stdout.strip() == "2 True child recorded and sealed", result.stderr


def test_a_pytest_that_outstays_the_grace_period_is_killed() -> None:
    child = CHILD.format(handler="signal.signal(signal.SIGHUP, signal.SIG_IGN)")
    result = python(PARENT.format(child=child, signal="SIGHUP"))
    assert result.stdout.strip() == "-9 True -", result.stderr


def test_without_a_signal_the_child_s_own_exit_code_comes_back() -> None:
    result = python("""
        import subprocess, sys
        from carecheck.run.interrupts import Children
        children = Children()
        with children.forwarding():
            print(children.wait(subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"])), children.interrupted)
    """)
    assert result.stdout.strip() == "1 False", result.stderr
