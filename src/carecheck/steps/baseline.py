"""Baseline vocabulary: the searches a target's baseline pins, asked again and compared."""

from pytest_bdd import given, then, when

from carecheck.baseline import PinnedSearches, Replay
from carecheck.checks import Verdict
from carecheck.http import FhirClient


@given("the target's baseline")
def _(pinned: PinnedSearches) -> None:
    pinned.require()


@when("the client asks every pinned search again", target_fixture="replay")
def _(client: FhirClient, pinned: PinnedSearches) -> Replay:
    return pinned.replay(client)


@then("every pinned search returns what the baseline pins")
def _(verdict: Verdict, replay: Replay) -> None:
    verdict.judge("baseline_holds", replay.interaction, pins=list(replay.pins), pinned_by=replay.pinned_by)
