"""Search vocabulary: searching with test data, and judging soundness and completeness."""

from pytest_bdd import parsers, then, when

from carecheck.checks import Verdict
from carecheck.http import FhirClient, Interaction
from carecheck.run.fixtures import KnownData


@when(parsers.parse('the client searches {resource_type} with "{query}"'), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, query: str) -> Interaction:
    return client.search(resource_type, known.query(query))


@then(parsers.parse("every returned {resource_type} matches the search"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str) -> None:
    verdict.judge("search_sound", interaction, resource_type=resource_type)


@then("the known patient is among the results")
def _(verdict: Verdict, interaction: Interaction, known: KnownData) -> None:
    verdict.judge("search_includes", interaction, resource_type="Patient", resource_id=known.value("{patient.id}"))


@then("the known patient is not among the results")
def _(verdict: Verdict, interaction: Interaction, known: KnownData) -> None:
    verdict.judge("search_excludes", interaction, resource_type="Patient", resource_id=known.value("{patient.id}"))


@then(parsers.parse("the search returned no {resource_type}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str) -> None:
    verdict.judge("search_match_count", interaction, resource_type=resource_type, expected=0)
