"""The exceptions carecheck raises for problems of use, not for problems of the server under test.

A server that answers wrongly produces Findings, never an exception. These are for the harness's
own inputs and environment::

    CarecheckError
    ├── ConfigError         a bad target profile, option or data file       (CLI exit code 2)
    │   └── TestDataMissing test data the profile pins that the target does not hold (exit code 2)
    ├── TargetUnreachable   the target server cannot be reached at all      (CLI exit code 3)
    │   └── WrongServer     it answers, but not as a FHIR STU3 server       (CLI exit code 3)
    ├── AuthError           no access token could be obtained with the profile's credentials (exit code 2)
    └── EvidenceError       an evidence pack that cannot be read or written

Only ``carecheck.cli`` turns them into one line on stderr and an exit code.
"""

from __future__ import annotations

__all__ = ["AuthError", "CarecheckError", "ConfigError", "EvidenceError", "TargetUnreachable", "TestDataMissing", "WrongServer"]


class CarecheckError(Exception):
    """Base of every error carecheck raises about its own use."""


class ConfigError(CarecheckError):
    """A target profile, command-line option or data file is invalid."""


class TestDataMissing(ConfigError):
    """Test data the target profile pins (a patient, a record) cannot be found on the target."""

    __test__ = False  # not a pytest test class


class TargetUnreachable(CarecheckError):
    """The target server could not be reached (connection refused, DNS, TLS, timeout)."""


class WrongServer(TargetUnreachable):
    """The base URL answers, but `[base]/metadata` is no FHIR CapabilityStatement, or the server declares a FHIR
    version other than STU3 and the profile says to stop: nothing there can be tested as Care Connect."""


class EvidenceError(CarecheckError):
    """An evidence pack is missing, unreadable or inconsistent."""


class AuthError(CarecheckError):
    """No access token could be obtained: the token endpoint refused the credentials or answered wrongly."""
