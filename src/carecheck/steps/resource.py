"""Resource vocabulary: reading resources and judging what came back."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict
from carecheck.http import FhirClient, Interaction
from carecheck.testdata import KnownData

CARE_CONNECT_PROFILES = "https://fhir.hl7.org.uk/STU3/StructureDefinition/"


@given(parsers.parse("the server declares {resource_type}"))
def _(known: KnownData, resource_type: str) -> None:
    known.require_resource(resource_type)


@when(parsers.parse('the client reads {resource_type} "{resource_id}"'), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, resource_id: str) -> Interaction:
    return client.read(resource_type, known.value(resource_id))


@when(parsers.parse("the client reads the known {resource_type}"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str) -> Interaction:
    return client.read(resource_type, str(known.record(resource_type).get("id")))


@then("the response is the resource that was asked for")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("read_matches_request", interaction)


@then(parsers.parse("every returned {resource_type} claims the Care Connect profile {profile}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str, profile: str) -> None:
    verdict.judge("meta_profile", interaction, resource_type=resource_type, profile=CARE_CONNECT_PROFILES + profile)


@then(parsers.parse("every returned {resource_type} claims its Care Connect profile"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str) -> None:
    verdict.judge("meta_profile", interaction, resource_type=resource_type, profile=f"{CARE_CONNECT_PROFILES}CareConnect-{resource_type}-1")


@then("every returned resource conforms to its Care Connect profile")
def _(verdict: Verdict, interaction: Interaction) -> None:
    verdict.judge("profile_valid", interaction)
