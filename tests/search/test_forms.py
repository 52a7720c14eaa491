"""How strongly Care Connect asks for each form of a search parameter."""

from __future__ import annotations

import csv

import pytest

from carecheck.project import data_path
from carecheck.search import default_registry
from carecheck.search.examples import FORMS
from carecheck.search.forms import form_levels

LEVELS = form_levels(default_registry())


@pytest.mark.parametrize(
    ("resource_type", "parameter", "form", "ig", "core"),
    [
        ("Patient", "birthdate", "value", "SHALL", "SHALL"),
        ("Patient", "birthdate", "year", "SHALL", "SHALL"),
        ("Patient", "birthdate", "ge", "SHALL", "SHOULD"),
        ("Patient", "birthdate", "gt", None, "SHOULD"),
        ("Patient", "birthdate", "sa", None, None),
        ("Patient", "name", "accents-folded", "SHALL", "SHALL"),
        ("Patient", "name", "contains", None, None),
        ("Patient", "identifier", "not", None, None),
        ("Procedure", "date", "gt", None, "SHALL"),
        ("Condition", "patient", "typed", None, None),
        ("Procedure", "subject", "typed", "MAY", None),
        ("AllergyIntolerance", "patient", "identifier", "MAY", "SHOULD"),
        ("Immunization", "date", "ge", "SHOULD", "SHOULD"),
    ],
)
def test_a_form_is_asked_for_as_its_row_says(resource_type: str, parameter: str, form: str, ig: str | None, core: str | None) -> None:
    assert LEVELS.level(resource_type, parameter, form, "ig") == ig
    assert LEVELS.level(resource_type, parameter, form, "core") == core


def test_every_form_a_scenario_can_ask_for_has_a_row_with_its_source() -> None:
    for kind, forms in FORMS.items():
        for form in forms:
            assert LEVELS.rules.get((kind, "", form)) is not None, f"{kind} form {form} has no row in search-forms.csv"
            assert LEVELS.rules[(kind, "", form)].source


def test_rows_name_known_parameters_and_forms() -> None:
    with data_path("careconnect", "search-forms.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["form"] in FORMS[row["type"]], row
            if row["resource"]:
                assert default_registry().parameter(row["resource"], row["parameter"]).type == row["type"], row
