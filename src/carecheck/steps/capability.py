"""Capability vocabulary: asking for the CapabilityStatement and judging what it declares."""

from pytest_bdd import parsers, then, when

from carecheck.checks import Verdict
from carecheck.config import Target
from carecheck.http import FhirClient, Interaction


@when("the client asks for the capability statement", target_fixture="interaction")
def _(client: FhirClient) -> Interaction:
    return client.capabilities()


@then(parsers.parse("the capability statement declares FHIR version {version}"))
def _(verdict: Verdict, interaction: Interaction, version: str) -> None:
    verdict.judge("capability_fhir_version", interaction, version=version)


@then("the capability statement declares JSON or XML, and should declare both")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("capability_formats", interaction)


@then(parsers.parse("the capability statement declares {resource_type} with the interactions {interactions}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str, interactions: str) -> None:
    codes = [code.strip() for code in interactions.split(",")]
    verdict.judge("capability_declares_interactions", interaction, resource_type=resource_type, interactions=codes)


@then(parsers.parse("the capability statement declares every {level} search parameter of {resource_type}"))
def _(verdict: Verdict, interaction: Interaction, target: Target, level: str, resource_type: str) -> None:
    verdict.judge(
        "capability_declares_search_params",
        interaction,
        resource_type=resource_type,
        level=level,
        conformance=target.expectations.conformance,
    )
