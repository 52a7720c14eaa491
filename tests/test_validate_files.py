"""`carecheck validate`: files judged against the profiles, with waivers, one line per issue."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from carecheck.errors import ConfigError
from carecheck.project import data_path
from carecheck.validate_files import validate_files

PATIENT = json.loads(data_path("testdata", "interopen-patients.json").read_text())[0]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(PATIENT))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(PATIENT).replace("9658218873", "9658218874"))
    html = tmp_path / "page.xml"
    html.write_text("<html><body>not FHIR</body></html>")
    return {"good": good, "bad": bad, "html": html}


def test_a_valid_file_has_no_errors(files: dict[str, Path]) -> None:
    report = validate_files([files["good"]])
    assert report.errors == 0 and report.files == 1


def test_an_invalid_file_is_reported_with_path_rule_and_location(files: dict[str, Path]) -> None:
    report = validate_files([files["good"], files["bad"], files["html"]])
    assert report.errors == 2
    assert any(line.startswith(f"{files['bad']}: error [nhs-number] Patient.identifier[0].value") for line in report.lines)
    assert any(line.startswith(f"{files['html']}: error [structure] not a FHIR resource") for line in report.lines)


def test_a_waiver_accepts_a_known_deviation_until_it_expires(files: dict[str, Path], tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - message: not a valid NHS number\n    resource_type: Patient\n    reason: test data\n    owner: qa\n    expires: 2030-01-01\n"
    )
    assert validate_files([files["bad"]], waivers=waivers, today=datetime.date(2029, 1, 1)).errors == 0
    assert validate_files([files["bad"]], waivers=waivers, today=datetime.date(2030, 1, 2)).errors == 1


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        validate_files([tmp_path / "absent.json"])


def test_xml_that_is_not_stu3_is_reported_in_the_reader_s_words(tmp_path: Path) -> None:
    path = tmp_path / "r4.xml"
    path.write_text(
        '<Location xmlns="http://hl7.org/fhir"><id value="l"/><name value="Ward"/>'
        '<type><text value="ward"/></type><type><text value="clinic"/></type><mode value="instance"/></Location>'
    )
    lines = [line for line in validate_files([path]).lines if "Location.type" in line]
    assert lines == [f"{path}: error [structure] Location.type: <type> appears 2 times; STU3 allows at most one CodeableConcept here"]
