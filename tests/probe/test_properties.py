"""The search properties: each acts its example out with the searches it needs and names its check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from carecheck.checks import CHECKS
from carecheck.http import Interaction
from carecheck.probe import PROPERTIES, Plan, Searcher
from tests.probe.conftest import MEAKIN, Recorded, observation_space

pytestmark = pytest.mark.e2e

BASE = (("patient", f"Patient/{MEAKIN}"),)


def test_every_property_names_a_registered_check() -> None:
    assert set(PROPERTIES) == {"answers", "sound", "narrowing", "split", "paging", "post", "repeatable"}
    assert all(prop.check in CHECKS.names() for prop in PROPERTIES.values())


@pytest.mark.parametrize(
    ("name", "plan", "requests", "arguments"),
    [
        ("answers", Plan((*BASE, ("date", "2020-13-01"))), 1, {"error_codes"}),
        ("sound", Plan((*BASE, ("date", "ge2018"))), 1, {"resource_type", "related"}),
        ("narrowing", Plan((*BASE, ("date", "ge2018")), other=BASE), 2, {"wider"}),
        ("split", Plan(BASE, parameter="date", value="2018-11-29"), 3, {"lower", "whole", "parameter", "value", "related"}),
        ("paging", Plan(BASE, count=4), 4, {"other", "relation"}),
        ("post", Plan(BASE), 2, {"other", "relation"}),
        ("repeatable", Plan(BASE), 2, {"other", "relation"}),
    ],
)
def test_each_property_acts_out_one_example(client: Recorded, name: str, plan: Plan, requests: int, arguments: set[str]) -> None:
    prop = PROPERTIES[name]
    interaction, given_arguments = prop.act(Searcher(client, "Observation"), observation_space(client), plan, "fhir")
    assert isinstance(interaction, Interaction) and set(given_arguments) == arguments
    assert len([e for e in client.exchanges if "metadata" not in e.request.url]) - 1 == requests  # less the space's own search
    findings = CHECKS.get(prop.check).run(interaction, **given_arguments)
    assert findings and all(f.outcome.value in ("pass", "warn") for f in findings)


def test_the_split_judges_ge_against_lt_and_the_whole(client: Recorded) -> None:
    interaction, arguments = PROPERTIES["split"].act(
        Searcher(client, "Observation"), observation_space(client), Plan(BASE, parameter="date", value="2018"), "fhir"
    )
    assert interaction.first.request.url.endswith("date=ge2018")
    assert arguments["lower"].first.request.url.endswith("date=lt2018") and "date" not in arguments["whole"].first.request.url.split("?")[1]


def test_plans_describe_themselves() -> None:
    assert Plan((("patient", "Patient/1"),), parameter="date", value="2018").describe() == "patient=Patient/1, split at date=2018"
    assert Plan((("family", "x"),), count=3).describe() == "family=x, _count=3"
    assert Plan((("family", "x"), ("given", "y")), other=(("family", "x"),)).describe() == "family=x&given=y, against family=x"


def test_generated_plans_start_from_the_base(client: Recorded) -> None:
    space = observation_space(client)

    @settings(database=None, derandomize=True, max_examples=25, deadline=None)
    @given(PROPERTIES["narrowing"].plans(space))
    def check(plan: Plan) -> None:
        assert plan.query[: len(space.base)] == space.base and plan.query[: len(plan.other)] == plan.other
        assert len(plan.query) == len(plan.other) + 1

    check()
