"""HTTP vocabulary: statuses, media types and error bodies of the last response."""

from pytest_bdd import parsers, then

from carecheck.checks import Verdict
from carecheck.http import Interaction


@then(parsers.parse("the response status is {status:d}"))
def _(verdict: Verdict, interaction: Interaction, status: int) -> None:
    verdict.judge("status_code", interaction, expected=[status])


@then(parsers.parse("the response is a FHIR resource of type {resource_type}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str) -> None:
    verdict.judge("fhir_content_type", interaction)
    verdict.judge("resource_type", interaction, expected=resource_type)


@then("the response is an OperationOutcome explaining the error")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("operation_outcome", interaction)
