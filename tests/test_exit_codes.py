"""The exit codes, defined once, and the worst of several targets' by severity rather than by number."""

from __future__ import annotations

from carecheck.exit_codes import ExitCode, worst


def test_each_code_keeps_its_documented_number() -> None:
    assert [int(code) for code in ExitCode] == [0, 1, 2, 3, 4]
    assert ExitCode.UNTESTED == 4 and ExitCode.UNREACHABLE == 3


def test_the_worst_code_is_by_severity_not_by_number() -> None:
    assert worst([]) is ExitCode.PASSED
    assert worst([0, 4]) is ExitCode.UNTESTED
    assert worst([4, 1]) is ExitCode.FAILED, "a failure outweighs untested requirements although 4 > 1"
    assert worst([1, 2, 4]) is ExitCode.USAGE
    assert worst([3, 2, 1]) is ExitCode.UNREACHABLE
