"""Property vocabulary: hypothesis explores generated searches against the target, within a budget, and the
minimal failing search (or the last that held) is judged."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict
from carecheck.config import Target
from carecheck.http import FhirClient
from carecheck.probe import Budget, Exploration, explore
from carecheck.run.fixtures import KnownData
from carecheck.run.references import ScenarioReferences


@given(parsers.parse("hypothesis tries each property on up to {examples:d} generated searches within {seconds:d} seconds"), target_fixture="budget")
def _(examples: int, seconds: int, exploration_seed: int | str | None) -> Budget:
    return Budget(examples=examples, seconds=seconds, seed=exploration_seed)


@when(parsers.parse("hypothesis sends generated {resource_type} searches, malformed ones included"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, target: Target, budget: Budget, resource_type: str) -> Exploration:
    return explore("answers", client, known.search_space(resource_type, "answers"), budget, error_codes=target.expectations.error_codes)


@when(parsers.parse("hypothesis sends generated {resource_type} searches built from the known records"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("sound", client, known.search_space(resource_type, "sound"), budget)


@when(parsers.parse("hypothesis adds a generated criterion to generated {resource_type} searches"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("narrowing", client, known.search_space(resource_type, "narrowing"), budget)


@when(parsers.parse("hypothesis splits the known patient's {resource_type} records at generated dates"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("split", client, known.search_space(resource_type, "split"), budget)


@when(parsers.parse("hypothesis pages generated {resource_type} searches by generated page sizes"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("paging", client, known.search_space(resource_type, "paging"), budget)


@when(parsers.parse("hypothesis sends generated {resource_type} searches by GET and by POST _search"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("post", client, known.search_space(resource_type, "post"), budget)


@when(parsers.parse("hypothesis sends every generated {resource_type} search twice"), target_fixture="exploration")
def _(client: FhirClient, known: KnownData, budget: Budget, resource_type: str) -> Exploration:
    return explore("repeatable", client, known.search_space(resource_type, "repeatable"), budget)


@then("no generated search was answered with a server error, and every refusal was an OperationOutcome")
@then("every resource a generated search returned satisfies it")
@then("no added criterion widened a search")
@then("every record with a date was found by ge or by lt, and only one reaching across the date by both")
@then("every page size gave the same matches as the default pages")
@then("every POST _search found what its GET found")
@then("every search asked twice gave the same matches both times")
def _(verdict: Verdict, exploration: Exploration, references: ScenarioReferences) -> None:
    arguments = dict(exploration.arguments)
    if "resource_type" in arguments and "related" in arguments:  # a soundness judgement: read what chains point at
        arguments["resolved"] = references.for_results(exploration.interaction, arguments["resource_type"], arguments["related"])
    verdict.judge(exploration.check, exploration.interaction, **arguments)
