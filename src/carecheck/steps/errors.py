"""Errors vocabulary: requests a server must refuse, and how it refuses them, as the target's expectations say."""

from pytest_bdd import parsers, then, when

from carecheck.checks import Verdict
from carecheck.config import Target
from carecheck.http import FhirClient, Interaction
from carecheck.probe import WriteProbes, negotiated, search_with, sent_as
from carecheck.testdata import KnownData

NO_SUCH_TYPE = "CarecheckNoSuchType"
"""A resource type no FHIR version defines."""
TYPE = r"(?P<resource_type>[A-Z][A-Za-z]+)"


def statuses(text: str) -> list[int]:
    """`404 or 400` -> [404, 400]."""
    return [int(status) for status in text.split(" or ")]


@when("the client reads a resource of a type no FHIR server has", target_fixture="interaction")
def _(client: FhirClient) -> Interaction:
    return client.read(NO_SUCH_TYPE, "1")


@when("the client searches a type no FHIR server has", target_fixture="interaction")
def _(client: FhirClient) -> Interaction:
    return client.search(NO_SUCH_TYPE, [("name", "carecheck")])


@when(parsers.re(rf'the client also searches {TYPE} with "(?P<query>.*)"'), target_fixture="baseline")
def _(client: FhirClient, known: KnownData, resource_type: str, query: str) -> Interaction:
    return client.search(resource_type, known.query(query))


@when(parsers.re(rf'the client searches {TYPE} with "(?P<query>.*)" under Prefer: handling=strict'), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, query: str) -> Interaction:
    return search_with(client, resource_type, known.query(query), headers=[("Prefer", "handling=strict")])


@when(parsers.parse("the client tries to {method} a {resource_type} of carecheck's own"), target_fixture="interaction")
def _(write_probes: WriteProbes, method: str, resource_type: str) -> Interaction:
    return write_probes.send(method, resource_type)


@when(parsers.parse("the client asks for the known {resource_type} accepting only {accept}"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, accept: str) -> Interaction:
    return negotiated(client, f"{resource_type}/{known.record(resource_type).get('id')}", accept=accept)


@when(parsers.parse("the client searches {resource_type} by POST _search with a {media_type} body"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, media_type: str) -> Interaction:
    return sent_as(client, "POST", f"{resource_type}/_search", media_type, known.value("identifier={patient.nhs_number}").encode())


@then(parsers.parse("the request is refused with {wanted}"))
def _(verdict: Verdict, interaction: Interaction, wanted: str) -> None:
    verdict.judge("refused", interaction, expected=statuses(wanted))


@then("the write is refused as the expectations' write_method_status says")
def _(verdict: Verdict, interaction: Interaction, target: Target, write_probes: WriteProbes) -> None:
    expectations = target.expectations
    expected, setting = expectations.statuses("write_method_status"), expectations.setting("write_method_status")
    verdict.judge("write_method_refused", interaction, expected=expected, setting=setting, cleanup=write_probes.cleanup_of(interaction))


@then(parsers.parse("the request is refused as the expectations' {setting} says"))
def _(verdict: Verdict, interaction: Interaction, target: Target, setting: str) -> None:
    verdict.judge("refused", interaction, expected=target.expectations.statuses(setting), setting=target.expectations.setting(setting))


@then(parsers.parse("the search is answered or refused as the expectations' {setting} says"))
def _(verdict: Verdict, interaction: Interaction, target: Target, setting: str) -> None:
    expectations = target.expectations
    verdict.judge(
        "handled_as_expected",
        interaction,
        handling=getattr(expectations, setting),
        statuses=expectations.statuses("invalid_parameter_status"),
        setting=expectations.setting(setting),
    )


@then(parsers.parse("the parameter is ignored or refused as the expectations' {setting} says"))
def _(verdict: Verdict, interaction: Interaction, baseline: Interaction, target: Target, setting: str) -> None:
    expectations = target.expectations
    verdict.judge(
        "handled_as_expected",
        interaction,
        handling=getattr(expectations, setting),
        statuses=expectations.statuses("invalid_parameter_status"),
        setting=expectations.setting(setting),
        baseline=baseline,
    )


@then("any error answer is an OperationOutcome in the target's error convention")
def _(verdict: Verdict, interaction: Interaction, target: Target) -> None:
    verdict.judge("explained_errors", interaction, error_codes=target.expectations.error_codes)
