"""Tests for carecheck.refserver.security.access: what a request needs from a token."""

from __future__ import annotations

import pytest

from carecheck.refserver.security.access import ANY_TYPE, Access, is_search_post, required_access


@pytest.mark.parametrize(
    ("method", "route", "access"),
    [
        ("GET", "/Patient", Access("read", "Patient")),
        ("GET", "/Patient/123", Access("read", "Patient")),
        ("HEAD", "/Observation/1", Access("read", "Observation")),
        ("POST", "/Patient/_search", Access("read", "Patient")),
        ("GET", "/Patient/_search", Access("read", "Patient")),
        ("POST", "/Patient", Access("write", "Patient")),
        ("PUT", "/Patient/1", Access("write", "Patient")),
        ("patch", "/Patient/1", Access("write", "Patient")),
        ("DELETE", "/Patient/1", Access("write", "Patient")),
        ("POST", "", Access("write", "")),
        ("GET", "/", Access("read", "")),
        ("GET", "/_history", Access("read", "_history")),
    ],
)
def test_action_and_type_come_from_method_and_path(method: str, route: str, access: Access) -> None:
    assert required_access(method, route, []) == access


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ([("_revinclude", "Observation:subject")], {"Observation"}),
        ([("_revinclude", "Observation:subject:Patient")], {"Observation"}),
        ([("_include", "MedicationRequest:medication:Medication")], {"Medication"}),
        ([("_include", "MedicationRequest:medication")], {ANY_TYPE}),
        ([("_include", "*")], {ANY_TYPE}),
        ([("_revinclude", "*")], {ANY_TYPE}),
        ([("_include:iterate", "Patient:organization:Organization")], {"Organization"}),
        ([("_revinclude", "Encounter:patient"), ("_revinclude", "Condition:patient")], {"Encounter", "Condition"}),
        ([("_include", ""), ("name", "smith"), ("_includes", "Foo:bar")], set()),
    ],
)
def test_includes_bring_in_types(params: list[tuple[str, str]], included: set[str]) -> None:
    assert required_access("GET", "/Patient", params).included == included


def test_a_write_ignores_includes() -> None:
    assert required_access("DELETE", "/Patient/1", [("_revinclude", "*")]) == Access("write", "Patient")


@pytest.mark.parametrize(
    ("method", "route", "expected"),
    [
        ("POST", "/Patient/_search", True),
        ("post", "/_search/", True),
        ("GET", "/Patient/_search", False),
        ("POST", "/Patient", False),
    ],
)
def test_is_search_post(method: str, route: str, expected: bool) -> None:
    assert is_search_post(method, route) is expected
