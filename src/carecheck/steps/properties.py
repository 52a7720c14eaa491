"""Property vocabulary: hypothesis explores generated searches against the target, within a budget, and the
minimal failing search (or the last that held) is judged by the Then step that names its property."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict
from carecheck.config import Target
from carecheck.http import FhirClient
from carecheck.probe import Budget, Exploration, ScenarioReferences, explore
from carecheck.testdata import KnownData


@given(parsers.parse("hypothesis tries each property on up to {examples:d} generated searches within {seconds:d} seconds"), target_fixture="budget")
def _(examples: int, seconds: int, exploration_seed: int | str | None) -> Budget:
    return Budget(examples=examples, seconds=seconds, seed=exploration_seed)


@when(parsers.parse("hypothesis sends generated {resource_type} searches, malformed ones included"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, target: Target, budget: Budget, resource_type: str) -> Exploration:
    return explore("answers", client, known.search_space(resource_type), budget, error_codes=target.expectations.error_codes)


@when(parsers.parse("hypothesis sends generated {resource_type} searches built from the known records"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("sound", client, known.search_space(resource_type), budget)


@when(parsers.parse("hypothesis adds a generated criterion to generated {resource_type} searches"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("narrowing", client, known.search_space(resource_type), budget)


@when(parsers.parse("hypothesis splits the known patient's {resource_type} records at generated dates"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("split", client, known.search_space(resource_type), budget)


@when(parsers.parse("hypothesis pages generated {resource_type} searches by generated page sizes"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("paging", client, known.search_space(resource_type), budget)


@when(parsers.parse("hypothesis sends generated {resource_type} searches by GET and by POST _search"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("post", client, known.search_space(resource_type), budget)


@when(parsers.parse("hypothesis sends every generated {resource_type} search twice"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("repeatable", client, known.search_space(resource_type), budget)


@then("no generated search was answered with a server error, and every refusal was an OperationOutcome")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("no_server_error", exploration.interaction, **exploration.arguments_for("answers", "no_server_error"))


@then("every resource a generated search returned satisfies it")
def _(verdict: Verdict, exploration: Exploration, references: ScenarioReferences) -> None:
    arguments = exploration.arguments_for("sound", "generated_search_sound")
    resolved = references.for_results(exploration.interaction, arguments["resource_type"], arguments["related"])
    verdict.judge("generated_search_sound", exploration.interaction, **arguments, resolved=resolved)


@then("no added criterion widened a search")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("narrower_results", exploration.interaction, **exploration.arguments_for("narrowing", "narrower_results"))


@then("every record with a date was found by ge or by lt, and only one reaching across the date by both")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("date_split", exploration.interaction, **exploration.arguments_for("split", "date_split"))


@then("every page size gave the same matches as the default pages")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("same_results", exploration.interaction, **exploration.arguments_for("paging", "same_results"))


@then("every POST _search found what its GET found")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("same_results", exploration.interaction, **exploration.arguments_for("post", "same_results"))


@then("every search asked twice gave the same matches both times")
def _(verdict: Verdict, exploration: Exploration) -> None:
    verdict.judge("same_results", exploration.interaction, **exploration.arguments_for("repeatable", "same_results"))
