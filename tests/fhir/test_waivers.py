"""Tests for carecheck.fhir.waivers: loading accepted deviations and marking the issues they cover."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from carecheck.errors import ConfigError
from carecheck.fhir import Issue, RuleKind, Severity, apply_waivers, errors, load_waivers, parse_waivers

GENDER = Issue(Severity.ERROR, RuleKind.BINDING, "Patient.gender", "'banana' is not in the required value set X", "Patient")
NAME = Issue(Severity.ERROR, RuleKind.SLICE, "Patient.name", "slice 'official' has 0 item(s)", "Patient")
WAIVERS = """
waivers:
  - message: "not in the required value set"
    resource_type: Patient
    location: "^Patient\\\\.gender$"
    reason: Supplier maps gender codes in release 4.2
    owner: jane.doe@supplier.example
    expires: 2027-03-31
"""
TODAY = datetime.date(2027, 1, 1)


def test_a_matching_waiver_marks_the_issue_and_errors_leave_it_out() -> None:
    marked = apply_waivers([GENDER, NAME], parse_waivers(WAIVERS), TODAY)
    assert marked[0].waived and marked[0].waiver == "Supplier maps gender codes in release 4.2 (jane.doe@supplier.example, until 2027-03-31)"
    assert not marked[1].waived
    assert errors(marked) == [NAME]


def test_an_expired_waiver_no_longer_applies() -> None:
    waivers = parse_waivers(WAIVERS)
    assert apply_waivers([GENDER], waivers, datetime.date(2027, 3, 31))[0].waived
    assert not apply_waivers([GENDER], waivers, datetime.date(2027, 4, 1))[0].waived


def test_resource_type_must_match() -> None:
    other = Issue(Severity.ERROR, RuleKind.BINDING, "Patient.gender", GENDER.message, "Practitioner")
    assert not apply_waivers([other], parse_waivers(WAIVERS), TODAY)[0].waived


def test_loading_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(WAIVERS, encoding="utf-8")
    assert len(load_waivers(path)) == 1
    with pytest.raises(ConfigError, match="cannot read the waiver file"):
        load_waivers(tmp_path / "missing.yaml")


BASE = {"message": "x", "resource_type": "Patient", "reason": "r", "owner": "o", "expires": "2027-01-01"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"message": None}, "waiver 1: 'message' is required"),
        ({"owner": ""}, "waiver 1: 'owner' is required"),
        ({"expires": "soon"}, "waiver 1: 'expires' must be a date"),
        ({"message": "("}, "waiver 1: 'message' is not a valid regular expression"),
        ({"location": "["}, "waiver 1: 'location' is not a valid regular expression"),
        ({"resource_type": None}, "'resource_type', 'location' or 'check' is required"),
        ({"severity": "error"}, "unknown field 'severity'"),
    ],
)
def test_mistakes_are_one_line_config_errors_naming_the_field(change: dict[str, object], reason: str) -> None:
    entry = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    with pytest.raises(ConfigError, match=reason) as caught:
        parse_waivers(yaml.safe_dump({"waivers": [entry]}), source="w.yaml")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("w.yaml: ")


@pytest.mark.parametrize(("text", "reason"), [("waivers: [", "not valid YAML"), ("- a", "expected a mapping with a 'waivers' list")])
def test_documents_of_the_wrong_shape(text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        parse_waivers(text)


def test_an_empty_document_has_no_waivers() -> None:
    assert parse_waivers("") == []
