"""Bundle vocabulary: the shape of search results."""

from pytest_bdd import then

from carecheck.checks import Verdict
from carecheck.http import Interaction


@then("the response is a searchset Bundle")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("fhir_content_type", interaction)
    verdict.judge("searchset_bundle", interaction)
