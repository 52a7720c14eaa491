"""Exploring properties against live servers: holding on the reference server, falsified and shrunk on a
faulty one, deterministic unless seeded, and bounded by the budget."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest

from carecheck.checks import CHECKS, NotApplicable, Outcome
from carecheck.probe import Budget, explore, unexplorable
from carecheck.refserver import EmbeddedServer, create_app
from carecheck.search.strategies import SearchSpace
from tests.faults import Faults, Query
from tests.probe.conftest import Recorded, observation_space

pytestmark = pytest.mark.e2e


def ge_day_as_gt(pairs: Query) -> Query:
    """The day-boundary bug: `date=geYYYY-MM-DD` is read as `gt`, so the records of that day are lost."""
    return [(k, "gt" + v[2:] if k == "date" and re.fullmatch(r"ge\d{4}-\d{2}-\d{2}", v) else v) for k, v in pairs]


def crashes_on_bad_dates(path: str, pairs: Query) -> bool:
    """The server crashes on a date it cannot read, instead of refusing it."""
    date = re.compile(r"(eq|ne|gt|lt|ge|le|sa|eb|ap)?\d{4}(-\d{2}(-\d{2}(T[0-9:.+Z-]+)?)?)?")
    return path == "/STU3/Observation" and any(k == "date" and not date.fullmatch(v) for k, v in pairs)


@pytest.fixture(scope="module")
def faulty_url() -> Iterator[str]:
    app = Faults(create_app(), rewrite_query={"/STU3/Observation": ge_day_as_gt}, crash_on=crashes_on_bad_dates)
    with EmbeddedServer(app) as server:
        yield server.base_url


def urls(client: Recorded) -> list[str]:
    return [exchange.request.url for exchange in client.exchanges]


def test_a_property_that_holds_is_judged_on_its_last_example(client: Recorded) -> None:
    exploration = explore("split", client, observation_space(client), Budget(examples=10, seconds=30))
    assert not exploration.falsified and 1 <= exploration.tried <= 10 and exploration.check == "date_split"
    assert exploration.describe().startswith("held for all") and "derandomized; budget 10 examples or 30 s" in exploration.describe()
    findings = CHECKS.get(exploration.check).run(exploration.interaction, **exploration.arguments)
    assert Outcome.FAIL not in {f.outcome for f in findings}
    assert exploration.interaction.first in client.exchanges, "the judged example is recorded evidence"


def test_the_boundary_day_is_found_and_the_minimal_search_is_judged(faulty_url: str) -> None:
    with Recorded(faulty_url) as client:
        exploration = explore("split", client, observation_space(client), Budget(examples=20, seconds=30))
    assert exploration.falsified
    judged = exploration.interaction.first.request.url
    assert re.search(r"date=ge\d{4}-\d{2}-\d{2}$", judged), judged
    assert exploration.describe().startswith("falsified: hypothesis's") and "minimal one" in exploration.describe()
    findings = CHECKS.get(exploration.check).run(exploration.interaction, **exploration.arguments)
    failures = [f for f in findings if f.outcome is Outcome.FAIL]
    assert failures and "is returned by neither" in failures[0].message and failures[0].message.endswith(exploration.describe())


def test_a_crash_on_malformed_input_is_found(faulty_url: str) -> None:
    with Recorded(faulty_url) as client:
        exploration = explore("answers", client, observation_space(client), Budget(examples=60, seconds=30), error_codes="fhir")
    assert exploration.falsified and exploration.check == "no_server_error"
    assert exploration.interaction.first.status == 500 and "date=" in exploration.interaction.first.request.url
    assert "falsified" in exploration.describe()


def test_the_same_data_gives_the_same_searches(client: Recorded, reference_url: str) -> None:
    explore("sound", client, observation_space(client), Budget(examples=8, seconds=30))
    with Recorded(reference_url) as again:
        explore("sound", again, observation_space(again), Budget(examples=8, seconds=30))
    assert urls(client) == urls(again)


def test_a_seed_gives_other_searches_and_the_same_ones_again(client: Recorded, reference_url: str) -> None:
    derandomized = explore("sound", client, observation_space(client), Budget(examples=8, seconds=30))
    with Recorded(reference_url) as seeded, Recorded(reference_url) as reseeded:
        first = explore("sound", seeded, observation_space(seeded), Budget(examples=8, seconds=30, seed=12345))
        second = explore("sound", reseeded, observation_space(reseeded), Budget(examples=8, seconds=30, seed=12345))
        assert urls(seeded) == urls(reseeded) and urls(seeded) != urls(client)
    assert "seed 12345" in first.describe() and "seed 12345" in second.describe() and "derandomized" in derandomized.describe()


def test_the_time_budget_stops_new_searches(client: Recorded) -> None:
    exploration = explore("post", client, observation_space(client), Budget(examples=50, seconds=0))
    assert exploration.tried == 1


def test_an_empty_space_cannot_be_explored_and_its_scenario_is_not_applicable(client: Recorded) -> None:
    empty = SearchSpace("Observation", records=({"resourceType": "Observation", "id": "x", "status": "final"},), parameters=("code", "date"))
    assert unexplorable("split", empty) == "the known Observation records hold no value of a declared date search parameter"
    assert unexplorable("sound", empty) == "the known Observation records hold no value of a declared search parameter"
    with pytest.raises(NotApplicable, match="hold no value of a declared date search parameter"):
        explore("split", client, empty, Budget(examples=5, seconds=5))
    assert client.exchanges == [], "nothing is sent for a property that cannot be explored"


def test_a_then_step_gets_the_arguments_only_of_the_property_the_when_explored(client: Recorded) -> None:
    exploration = explore("paging", client, observation_space(client), Budget(examples=3, seconds=30))
    assert exploration.arguments_for("paging", "same_results") == exploration.arguments
    with pytest.raises(ValueError, match="judges property 'post' with check 'same_results', but the When step explored 'paging'"):
        exploration.arguments_for("post", "same_results")
    with pytest.raises(ValueError, match="the scenario's steps do not match"):
        exploration.arguments_for("paging", "narrower_results")


def test_a_criterion_the_server_ignores_and_says_so_in_its_self_link_is_not_judged() -> None:
    """STU3 lets a server ignore what it does not support; its self link then leaves the parameter out."""
    ignoring_code = Faults(create_app(), rewrite_query={"/STU3/Observation": lambda pairs: [(k, v) for k, v in pairs if k.split(":")[0] != "code"]})
    with EmbeddedServer(ignoring_code) as server, Recorded(server.base_url) as client:
        space = observation_space(client)
        exploration = explore("sound", client, dataclasses.replace(space, parameters=("code",)), Budget(examples=8, seconds=30))
    assert not exploration.falsified, exploration.describe()
    assert exploration.refused == exploration.tried > 0 and "had a criterion ignored" in exploration.describe()
