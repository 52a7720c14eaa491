"""Formats vocabulary: asking in a chosen format (Accept, `_format`, both, neither) and comparing JSON with XML."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict
from carecheck.http import FhirClient, Interaction
from carecheck.probe import negotiated, negotiated_each, search_with
from carecheck.testdata import KnownData

MEDIA_TYPES = {"JSON": "application/fhir+json", "XML": "application/fhir+xml"}
NHS_NUMBER_SEARCH = "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"


@given(parsers.parse("the server offers the {format} format"))
def _(known: KnownData, format: str) -> None:
    known.require_format(format.lower())


@when(parsers.parse("the client asks for the capability statement with Accept {accept} and _format {format}"), target_fixture="interaction")
def _(client: FhirClient, accept: str, format: str) -> Interaction:
    return negotiated(client, "metadata", accept=accept, format=format)


@when(parsers.parse("the client asks for the known {resource_type} with Accept {accept} and _format {format}"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, accept: str, format: str) -> Interaction:
    return negotiated(client, f"{resource_type}/{known.record(resource_type).get('id')}", accept=accept, format=format)


@when(parsers.parse("the client searches Patient by NHS number with Accept {accept} and _format {format}"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, accept: str, format: str) -> Interaction:
    return negotiated(client, "Patient", params=known.query(NHS_NUMBER_SEARCH), accept=accept, format=format)


@when(parsers.parse("the client asks for the capability statement with Accept {accept} under every _format"), target_fixture="interaction")
def _(client: FhirClient, accept: str) -> Interaction:
    return negotiated_each(client, "metadata", accept=accept)


@when(parsers.parse("the client asks for the known {resource_type} with Accept {accept} under every _format"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, accept: str) -> Interaction:
    return negotiated_each(client, f"{resource_type}/{known.record(resource_type).get('id')}", accept=accept)


@when(parsers.parse("the client searches Patient by NHS number with Accept {accept} under every _format"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, accept: str) -> Interaction:
    return negotiated_each(client, "Patient", params=known.query(NHS_NUMBER_SEARCH), accept=accept)


@then(parsers.parse("each answer is a {resource_type} in the format its _format names"))
def _(verdict: Verdict, interaction: Interaction, known: KnownData, resource_type: str) -> None:
    verdict.judge("format_parameter_wins", interaction, resource_type=resource_type, offered=list(known.formats()))


@then(parsers.parse("the answer is a {resource_type} in {expected}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str, expected: str) -> None:
    verdict.judge("negotiated_format", interaction, expected=expected, resource_type=resource_type)


@when(parsers.parse("the known {resource_type} is read as {format}"), target_fixture="interaction")
@when(parsers.parse("the known {resource_type} is read again as {format}"), target_fixture="other_format")
def _(client: FhirClient, known: KnownData, resource_type: str, format: str) -> Interaction:
    return negotiated(client, f"{resource_type}/{known.record(resource_type).get('id')}", accept=MEDIA_TYPES[format])


@when(parsers.parse("the known patient's {resource_type} records are searched as {format}"), target_fixture="interaction")
@when(parsers.parse("the known patient's {resource_type} records are searched again as {format}"), target_fixture="other_format")
def _(client: FhirClient, known: KnownData, resource_type: str, format: str) -> Interaction:
    query = known.example_query(resource_type, [], [], for_patient=True)
    return search_with(client, resource_type, query, headers=[("Accept", MEDIA_TYPES[format])])


@then("both answers hold the same resources with the same content")
def _(verdict: Verdict, interaction: Interaction, other_format: Interaction) -> None:
    verdict.judge("format_parity", interaction, other=other_format)
