"""Bundle vocabulary: the shape of search results, paging and includes."""

from pytest_bdd import parsers, then

from carecheck.checks import Verdict
from carecheck.http import Interaction
from carecheck.testdata import KnownData


@then("the response is a searchset Bundle")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("fhir_content_type", interaction)
    verdict.judge("searchset_bundle", interaction)


@then("the search succeeds with a searchset Bundle")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("status_code", interaction, expected=[200])
    verdict.judge("fhir_content_type", interaction)
    verdict.judge("searchset_bundle", interaction)


@then(parsers.parse("no page holds more than {count:d} matches"))
def _(verdict: Verdict, interaction: Interaction, count: int) -> None:
    verdict.judge("page_size", interaction, count=count)


@then("every page link answers and none loops")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("paging_links", interaction)


@then("the pages hold the same matches as the unpaged search")
def _(verdict: Verdict, interaction: Interaction, baseline: Interaction) -> None:
    verdict.judge("same_matches", interaction, baseline=baseline)


@then(parsers.parse("every resource the matches refer to through {include} is included"))
def _(verdict: Verdict, interaction: Interaction, include: str) -> None:
    verdict.judge("include_resolved", interaction, include=include)


@then(parsers.parse("the known records that refer to the {resource_type} are included"))
def _(verdict: Verdict, interaction: Interaction, known: KnownData, resource_type: str) -> None:
    verdict.judge("revinclude_contains", interaction, resources=known.records_referring_to(resource_type))
