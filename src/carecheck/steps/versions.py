"""Versions vocabulary: vread of the version a read gave, ETag and Last-Modified, and HEAD beside GET."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict, head_unsupported, not_applicable, version_headers_missing, version_of
from carecheck.http import FhirClient, Interaction
from carecheck.testdata import KnownData


@given(parsers.parse("the CapabilityStatement declares {interaction} for {resource_type}"))
def _(known: KnownData, interaction: str, resource_type: str) -> None:
    known.require_interaction(resource_type, interaction)


@when(parsers.parse("the client reads that version of the known {resource_type}"), target_fixture="vread")
def _(client: FhirClient, known: KnownData, interaction: Interaction, resource_type: str) -> Interaction:
    version = version_of(interaction)
    if version is None:
        not_applicable(f"the read of {resource_type}/{known.record(resource_type).get('id')} gave no version (no meta.versionId, no ETag)")
    return Interaction("read", resource_type, (client.send("GET", f"{resource_type}/{known.record(resource_type).get('id')}/_history/{version}"),))


@when(parsers.parse('the client reads version "{version}" of the known {resource_type}'), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, version: str, resource_type: str) -> Interaction:
    return Interaction("read", resource_type, (client.send("GET", f"{resource_type}/{known.record(resource_type).get('id')}/_history/{version}"),))


@when("the client asks for the same with HEAD", target_fixture="head")
def _(client: FhirClient, interaction: Interaction) -> Interaction:
    head = Interaction("request", interaction.resource_type, (client.send("HEAD", interaction.first.request.url),))
    not_applicable(head_unsupported(head, interaction))
    return head


@then("the version read is the version the read gave")
def _(verdict: Verdict, vread: Interaction, interaction: Interaction) -> None:
    verdict.judge("vread_is_version", vread, read=interaction, version=version_of(interaction))


@then("the ETag and Last-Modified of the read agree with its meta")
def _(verdict: Verdict, interaction: Interaction) -> None:
    not_applicable(version_headers_missing(interaction))
    verdict.judge("version_headers_agree", interaction)


@then("HEAD is answered as GET was, without a body")
def _(verdict: Verdict, head: Interaction, interaction: Interaction) -> None:
    verdict.judge("head_like_get", head, get=interaction)
