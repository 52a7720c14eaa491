"""Tests for carecheck.refserver.security.scopes: SMART scope grammar, what scopes allow, what may be granted."""

from __future__ import annotations

import pytest

from carecheck.refserver.security.scopes import Action, SmartScope, allows, grantable


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("system/Patient.read", SmartScope("system", "Patient", "read")),
        ("user/*.read", SmartScope("user", "*", "read")),
        ("patient/Observation.*", SmartScope("patient", "Observation", "*")),
        ("system/*.write", SmartScope("system", "*", "write")),
    ],
)
def test_smart_scopes_parse(text: str, parsed: SmartScope) -> None:
    assert SmartScope.parse(text) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "profile",
        "openid",
        "launch",
        "system/Patient",
        "system/Patient.rs",
        "admin/Patient.read",
        "system/Pa_t.read",
        "",
    ],
)
def test_other_strings_are_not_smart_scopes(text: str) -> None:
    assert SmartScope.parse(text) is None


@pytest.mark.parametrize(
    ("scopes", "resource_type", "action", "allowed"),
    [
        (["system/*.read"], "Observation", "read", True),
        (["system/*.read"], "Observation", "write", False),
        (["system/Patient.read"], "Patient", "read", True),
        (["system/Patient.read"], "Observation", "read", False),
        (["user/Patient.read"], "Patient", "read", True),
        (["patient/Patient.read"], "Patient", "read", True),
        (["patient/*.*"], "Encounter", "write", True),
        (["system/Patient.write"], "Patient", "read", False),
        (["profile", "openid"], "Patient", "read", False),
        ([], "Patient", "read", False),
        (["system/Patient.read"], "*", "read", False),
        (["user/*.read"], "*", "read", True),
        (["system/Patient.read", "system/Observation.read"], "Observation", "read", True),
    ],
)
def test_allows(scopes: list[str], resource_type: str, action: Action, allowed: bool) -> None:
    assert allows(scopes, resource_type, action) is allowed


@pytest.mark.parametrize(
    ("requested", "registered", "granted"),
    [
        ("system/*.read", ["system/*.read"], True),
        ("system/Patient.read", ["system/*.read"], True),
        ("system/Patient.read", ["system/Patient.*"], True),
        ("system/*.read", ["system/Patient.read"], False),
        ("system/Patient.write", ["system/*.read"], False),
        ("user/Patient.read", ["system/*.read"], False),
        ("profile", ["profile"], True),
        ("openid", ["profile"], False),
        ("system/Patient.rea", ["system/*.read"], False),
    ],
)
def test_grantable(requested: str, registered: list[str], granted: bool) -> None:
    assert grantable(requested, registered) is granted
