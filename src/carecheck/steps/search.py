"""Search vocabulary: searching with the target's own data, and judging soundness and completeness."""

from pytest_bdd import given, parsers, then, when

from carecheck.checks import Verdict, not_applicable, refused
from carecheck.http import FhirClient, Interaction
from carecheck.probe import ScenarioReferences
from carecheck.testdata import KnownData

TYPE = r"(?P<resource_type>[A-Z][A-Za-z]+)"


def names(text: str) -> list[str]:
    """`name, gender` -> ["name", "gender"] (lists in step text are comma-separated)."""
    return [part.strip() for part in text.split(",")]


@given(parsers.parse("the known {resource_type} record"))
def _(known: KnownData, resource_type: str) -> None:
    known.record(resource_type)


@given(parsers.parse("the server supports searching {resource_type} by {parameters}"))
def _(known: KnownData, resource_type: str, parameters: str) -> None:
    known.require_search(resource_type, names(parameters))


@when(parsers.re(rf'the client searches {TYPE} with "(?P<query>.*)"'), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, query: str) -> Interaction:
    interaction = client.search(resource_type, known.query(query))
    known.require_answered(interaction)
    return interaction


@when(parsers.re(rf"the client searches {TYPE} by (?P<parameters>.+) given as (?P<forms>.+)"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, parameters: str, forms: str) -> Interaction:
    interaction = client.search(resource_type, known.example_query(resource_type, names(parameters), names(forms)))
    known.require_supported(interaction, resource_type, names(parameters), names(forms))
    return interaction


@when(
    parsers.re(rf"the client searches the known patient's {TYPE} by (?P<parameters>.+) given as (?P<forms>.+)"),
    target_fixture="interaction",
)
def _(client: FhirClient, known: KnownData, resource_type: str, parameters: str, forms: str) -> Interaction:
    interaction = client.search(resource_type, known.example_query(resource_type, names(parameters), names(forms), for_patient=True))
    known.require_supported(interaction, resource_type, names(parameters), names(forms))
    return interaction


@when(
    parsers.re(rf"the client searches every patient's {TYPE} by (?P<parameters>.+) given as (?P<forms>.+), (?P<count>\d+) to a page"),
    target_fixture="interaction",
)
def _(client: FhirClient, known: KnownData, resource_type: str, parameters: str, forms: str, count: str) -> Interaction:
    found = client.search(resource_type, [*known.example_query(resource_type, names(parameters), names(forms)), ("_count", count)])
    not_applicable(refused(found))
    known.require_supported(found, resource_type, names(parameters), names(forms))
    return found


@then(parsers.parse("every returned {resource_type} matches the search"))
def _(verdict: Verdict, interaction: Interaction, known: KnownData, references: ScenarioReferences, resource_type: str) -> None:
    related = known.related()
    resolved = references.for_results(interaction, resource_type, related)
    verdict.judge("search_sound", interaction, resource_type=resource_type, related=related, resolved=resolved)


@then(parsers.parse("the known {resource_type} is returned exactly when it matches"))
def _(verdict: Verdict, interaction: Interaction, known: KnownData, references: ScenarioReferences, resource_type: str) -> None:
    record, related = dict(known.record(resource_type)), known.related()
    resolved = references.for_record(interaction, record, related)
    verdict.judge("search_agrees_on_known", interaction, resource=record, related=related, resolved=resolved)


@then(parsers.parse("every one of the known patient's {resource_type} records that matches is returned"))
def _(verdict: Verdict, interaction: Interaction, baseline: Interaction, known: KnownData, resource_type: str) -> None:
    verdict.judge("search_complete", interaction, broader=baseline, resource_type=resource_type, related=known.related())


@then("the known patient is among the results")
def _(verdict: Verdict, interaction: Interaction, known: KnownData) -> None:
    verdict.judge("search_includes", interaction, resource_type="Patient", resource_id=known.value("{patient.id}"))


@then("the known patient is not among the results")
def _(verdict: Verdict, interaction: Interaction, known: KnownData) -> None:
    verdict.judge("search_excludes", interaction, resource_type="Patient", resource_id=known.value("{patient.id}"))


@then(parsers.parse("the search returned no {resource_type}"))
def _(verdict: Verdict, interaction: Interaction, resource_type: str) -> None:
    verdict.judge("search_match_count", interaction, resource_type=resource_type, expected=0)


@when(parsers.re(rf"the client searches the known patient's {TYPE} in pages of (?P<count>\d+)"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, count: str) -> Interaction:
    return client.search(resource_type, [*known.example_query(resource_type, [], [], for_patient=True), ("_count", count)])


@when(parsers.re(rf"the client also searches the known patient's {TYPE} in one page"), target_fixture="baseline")
def _(client: FhirClient, known: KnownData, resource_type: str) -> Interaction:
    return client.search(resource_type, [*known.example_query(resource_type, [], [], for_patient=True), ("_count", "100")])


@when(parsers.re(rf"the client searches the known patient's {TYPE} including (?P<include>\S+)"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str, include: str) -> Interaction:
    known.require_include(resource_type, include, reverse=False)
    interaction = client.search(resource_type, [*known.example_query(resource_type, [], [], for_patient=True), ("_include", include)])
    known.require_supported_include(interaction, "_include", include)
    return interaction


@when(parsers.re(rf"the client searches the known {TYPE} by id including everything that refers to it"), target_fixture="interaction")
def _(client: FhirClient, known: KnownData, resource_type: str) -> Interaction:
    known.require_include(resource_type, "*", reverse=True)
    interaction = client.search(resource_type, [("_id", str(known.record(resource_type).get("id"))), ("_revinclude", "*")])
    known.require_supported_include(interaction, "_revinclude", "*")
    return interaction


@given("the server answers a Patient search by one parameter other than identifier")
def _(known: KnownData) -> None:
    known.require_single_parameter_patient_search()
