"""Expectations: what the guide leaves open, set per target; defaults accept every conformant reading, bad values refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from carecheck.config import load_target
from carecheck.config.profile import Expectations
from carecheck.errors import ConfigError
from carecheck.project import data_path

PROFILE = """
name: supplier
base_url: https://fhir.example.nhs.uk/STU3
expectations:
{settings}
"""


def load(tmp_path: Path, settings: str) -> Expectations:
    path = tmp_path / "target.yaml"
    path.write_text(PROFILE.format(settings=settings), encoding="utf-8")
    return load_target(str(path)).expectations


def test_where_the_texts_leave_a_choice_the_defaults_accept_every_reading() -> None:
    defaults = Expectations()
    assert (defaults.unknown_parameter, defaults.invalid_parameter_status, defaults.empty_parameter) == ("ignore", (400, 422), "either")
    assert (defaults.patient_search_minimum, defaults.write_method_status, defaults.unsupported_media_type_status) == ("either", (405, 403, 501), 406)
    assert defaults.error_codes == "fhir" and defaults.conformance == "ig"


def test_every_default_quotes_the_text_it_rests_on() -> None:
    with data_path("careconnect", "expectations.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["setting"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(Expectations.model_fields), "one row of expectations.csv per setting"
    for name, row in rows.items():
        assert row["default"] == Expectations().setting(name).split(": ", 1)[1], f"{name}: the table's default is the model's"
        assert '"' in row["text"] and row["source"] and row["accepts"], f"{name}: quotes its text, names its source and what it accepts"


def test_every_setting_is_documented() -> None:
    assert all(field.description for field in Expectations.model_fields.values())


def test_a_profile_sets_them(tmp_path: Path) -> None:
    settings = "  write_method_status: 501\n  unsupported_media_type_status: 415\n  error_codes: spine\n  patient_search_minimum: two-parameters"
    expectations = load(tmp_path, settings)
    assert (expectations.write_method_status, expectations.unsupported_media_type_status) == ((501,), 415)
    assert expectations.error_codes == "spine" and expectations.patient_search_minimum == "two-parameters"


def test_a_setting_names_itself_for_messages() -> None:
    assert Expectations().setting("write_method_status") == "expectations.write_method_status: 405 or 403 or 501"
    assert Expectations().setting("invalid_parameter_status") == "expectations.invalid_parameter_status: 400 or 422"
    assert Expectations().setting("empty_parameter") == "expectations.empty_parameter: either"


def test_a_status_setting_is_one_status_or_a_list(tmp_path: Path) -> None:
    assert load(tmp_path, "  write_method_status: [405, 501]").statuses("write_method_status") == [405, 501]
    assert Expectations().statuses("unsupported_media_type_status") == [406]
    assert load(tmp_path, "  invalid_parameter_status: 422").statuses("invalid_parameter_status") == [422]


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ("  write_method_status: 200", "expectations.write_method_status"),
        ("  write_method_status: []", "expectations.write_method_status"),
        ("  unknown_parameter: maybe", "expectations.unknown_parameter"),
        ("  error_codes: gp-connect", "expectations.error_codes"),
        ("  no_such_setting: 1", "expectations.no_such_setting: unknown field"),
    ],
)
def test_a_bad_setting_is_a_one_line_error_naming_it(tmp_path: Path, settings: str, field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        load(tmp_path, settings)


def test_the_run_facts_carry_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "target.yaml"
    path.write_text(PROFILE.format(settings="  write_method_status: 501"), encoding="utf-8")
    facts = load_target(str(path)).redacted()
    assert facts["expectations"] == {**Expectations().model_dump(mode="json"), "write_method_status": [501]}
