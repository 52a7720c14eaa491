"""Tests for carecheck.fhir.validate: each rule kind catching a deliberately broken resource, good ones passing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from carecheck.errors import ConfigError
from carecheck.fhir import Issue, RuleKind, Severity, errors, parse_document, validate
from tests.fhir.samples import STU3, broken, condition, organization, patient, practitioner

GOOD = [patient(), practitioner(), organization(), condition()]
MEDICATION = {
    "resourceType": "Medication",
    "meta": {"profile": [STU3 + "CareConnect-Medication-1"]},
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "39720311000001101", "display": "Paracetamol"}]},
    "form": {"coding": [{"system": "http://example.org/forms", "code": "tab", "display": "Tablet"}]},
}


def kinds(issues: list[Issue], severity: Severity = Severity.ERROR) -> set[tuple[RuleKind, str]]:
    return {(issue.kind, issue.location) for issue in issues if issue.severity is severity}


@pytest.mark.parametrize("resource", GOOD, ids=[r["resourceType"] for r in GOOD])
def test_good_resources_have_no_errors(resource: dict[str, Any]) -> None:
    assert errors(validate(resource)) == []


BROKEN: list[tuple[str, dict[str, Any], RuleKind, str, Severity]] = [
    ("missing required element", broken(patient(), "name.0.family", None), RuleKind.CARDINALITY, "Patient.name[0].family", Severity.ERROR),
    ("element the profile forbids", broken(patient(), "animal", {"species": {"text": "dog"}}), RuleKind.CARDINALITY, "Patient.animal", Severity.ERROR),
    ("wrong fixed system", MEDICATION, RuleKind.FIXED, "Medication.form.coding[0].system", Severity.ERROR),
    ("bad code in a required binding", broken(patient(), "gender", "banana"), RuleKind.BINDING, "Patient.gender", Severity.ERROR),
    (
        "bad code in a required binding inside an extension",
        broken(patient(), "extension.0.valueCodeableConcept.coding.0.code", "ZZ"),
        RuleKind.BINDING,
        "Patient.extension[0].valueCodeableConcept",
        Severity.ERROR,
    ),
    ("unknown extension url", broken(patient(), "extension.0.url", "http://example.org/unknown"), RuleKind.EXTENSION, "Patient.extension[0]", Severity.WARNING),
    (
        "slice cardinality broken (two NHS numbers)",
        broken(patient(), "identifier.1", patient()["identifier"][0]),
        RuleKind.SLICE,
        "Patient.identifier",
        Severity.ERROR,
    ),
    ("required slice missing (no official name)", broken(patient(), "name.0.use", "usual"), RuleKind.SLICE, "Patient.name", Severity.ERROR),
    (
        "wrong reference target type",
        broken(patient(), "managingOrganization", {"reference": "Practitioner/g1"}),
        RuleKind.TYPE,
        "Patient.managingOrganization.reference",
        Severity.ERROR,
    ),
    ("invalid NHS number", broken(patient(), "identifier.0.value", "9658218874"), RuleKind.NHS_NUMBER, "Patient.identifier[0].value", Severity.ERROR),
    (
        "NHS number not verified",
        broken(patient(), "identifier.0.extension.0.valueCodeableConcept.coding.0.code", "02"),
        RuleKind.NHS_NUMBER,
        "Patient.identifier[0].extension",
        Severity.WARNING,
    ),
    (
        "invariant (period start after end)",
        broken(patient(), "name.0.period", {"start": "2020-01-02", "end": "2020-01-01"}),
        RuleKind.INVARIANT,
        "Patient.name[0].period",
        Severity.ERROR,
    ),
    ("string where a boolean is due", broken(patient(), "active", "true"), RuleKind.STRUCTURE, "Patient.active", Severity.ERROR),
    ("unknown element", broken(patient(), "favouriteColour", "blue"), RuleKind.STRUCTURE, "Patient.favouriteColour", Severity.ERROR),
    ("missing meta.profile", broken(patient(), "meta", None), RuleKind.PROFILE_CLAIM, "Patient.meta.profile", Severity.ERROR),
    ("extensible binding", broken(condition(), "category.0.coding.0.code", "bogus"), RuleKind.BINDING, "Condition.category[0]", Severity.WARNING),
]


@pytest.mark.parametrize(("resource", "kind", "location", "severity"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_each_rule_kind_catches_a_broken_resource(resource: dict[str, Any], kind: RuleKind, location: str, severity: Severity) -> None:
    assert (kind, location) in kinds(validate(resource), severity)


def test_the_non_stu3_profile_url_is_read_as_stu3_with_a_warning() -> None:
    resource = broken(patient(), "meta.profile", ["https://fhir.hl7.org.uk/StructureDefinition/CareConnect-Patient-1"])
    issues = validate(resource)
    assert errors(issues) == []
    assert (RuleKind.PROFILE_CLAIM, "Patient.meta.profile[0]") in kinds(issues, Severity.WARNING)


def test_a_profile_of_another_type_is_an_error_and_the_right_profile_still_applies() -> None:
    resource = broken(patient(), "meta.profile", [STU3 + "CareConnect-Organization-1"])
    resource = broken(resource, "gender", "banana")
    found = kinds(validate(resource))
    assert (RuleKind.PROFILE_CLAIM, "Patient.meta.profile[0]") in found
    assert (RuleKind.PROFILE_CLAIM, "Patient.meta.profile") in found
    assert (RuleKind.BINDING, "Patient.gender") in found


def test_an_unknown_profile_is_information_only_for_types_outside_care_connect() -> None:
    outcome = {
        "resourceType": "OperationOutcome",
        "meta": {"profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/Spine-OperationOutcome-1"]},
        "issue": [{"severity": "error", "code": "not-found", "diagnostics": "no such patient"}],
    }
    assert [issue.severity for issue in validate(outcome)] == [Severity.INFORMATION]


def test_operation_outcome_is_validated_structurally() -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "error"}]}
    assert kinds(validate(outcome)) == {(RuleKind.STRUCTURE, "OperationOutcome.issue[0].code")}


def test_bundle_entries_are_validated_with_their_location() -> None:
    bad = broken(patient(), "gender", "banana")
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"fullUrl": "http://x/Patient/p1", "resource": GOOD[0]}, {"fullUrl": "http://x/Patient/p2", "resource": bad}],
    }
    issues = errors(validate(bundle))
    assert [(i.kind, i.location, i.resource_type) for i in issues] == [(RuleKind.BINDING, "Bundle.entry[1].resource.gender", "Patient")]


def test_bundle_references_resolve_through_full_urls() -> None:
    wrong = broken(patient(), "managingOrganization", {"reference": "urn:uuid:abc"})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:p", "resource": wrong}, {"fullUrl": "urn:uuid:abc", "resource": practitioner()}],
    }
    assert (RuleKind.TYPE, "Bundle.entry[0].resource.managingOrganization.reference") in kinds(validate(bundle))


def test_a_forced_profile_skips_the_claim_rules() -> None:
    assert errors(validate(broken(patient(), "meta", None), profile=STU3 + "CareConnect-Patient-1")) == []


def test_an_unknown_forced_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not one carecheck holds"):
        validate(patient(), profile="http://example.org/StructureDefinition/Nope")


def test_a_body_without_a_resource_type_gets_structural_issues_only() -> None:
    assert [i.kind for i in validate({"id": "x"})] == [RuleKind.STRUCTURE]


def test_a_forced_profile_in_a_bundle_applies_to_entries_of_its_type() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": broken(patient(), "meta", None)}, {"resource": broken(practitioner(), "meta", None)}],
    }
    found = kinds(validate(bundle, profile=STU3 + "CareConnect-Patient-1"))
    assert found == {(RuleKind.PROFILE_CLAIM, "Bundle.entry[1].resource.meta.profile")}


def test_xml_bodies_validate_like_json() -> None:
    body = (
        b'<Patient xmlns="http://hl7.org/fhir"><meta><profile value="' + (STU3 + "CareConnect-Patient-1").encode() + b'"/></meta>'
        b'<name><use value="official"/><family value="Smith"/></name><gender value="banana"/></Patient>'
    )
    assert kinds(validate(parse_document(body, "application/fhir+xml"))) == {(RuleKind.BINDING, "Patient.gender")}


def test_validation_leaves_the_resource_unchanged() -> None:
    resource = broken(patient(), "name.0.period", {"start": "2020-01-02", "end": "2020-01-01"})
    before = copy.deepcopy(resource)
    validate(resource)
    assert resource == before
