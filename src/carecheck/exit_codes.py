"""The exit codes of the `carecheck` command, defined once: the CLI, the run and the README all read them here.

    0  PASSED       every scenario passed (or was waived or not applicable)
    1  FAILED       a scenario failed or errored, or the run was interrupted (`validate`: a resource has errors;
                    `rejudge`, `compare`: new failures; `verify`: the pack is not the one its manifest describes)
    2  USAGE        a bad option, target profile, tag expression, suite or waiver file, a selection that runs no
                    scenario, or credentials the token endpoint refuses
    3  UNREACHABLE  the target cannot be reached, `[base]/metadata` is not a FHIR CapabilityStatement, or the
                    server declares a FHIR version other than STU3 and the profile says `other_fhir_version: stop`
    4  UNTESTED     sign-off mode: no scenario failed, but not every SHALL requirement was tested

Several targets in one run exit with the worst target's code, in the order of `SEVERITY` (not numerically).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

__all__ = ["SEVERITY", "ExitCode", "worst"]


class ExitCode(IntEnum):
    PASSED = 0
    FAILED = 1
    USAGE = 2
    UNREACHABLE = 3
    UNTESTED = 4


SEVERITY = (ExitCode.PASSED, ExitCode.UNTESTED, ExitCode.FAILED, ExitCode.USAGE, ExitCode.UNREACHABLE)
"""From the least to the most severe: a failure outweighs untested requirements; a target that could not be
run at all outweighs any result."""


def worst(codes: Iterable[int]) -> ExitCode:
    """The most severe of the codes (PASSED for none)."""
    return max((ExitCode(code) for code in codes), key=SEVERITY.index, default=ExitCode.PASSED)
