"""Tests for carecheck.fhir.conformance on profiles changed for the test (closed slicing, maxLength, choice types)."""

from __future__ import annotations

import copy
import json
from typing import Any

from carecheck.fhir.bindings import terminology
from carecheck.fhir.conformance import check_profile
from carecheck.fhir.issues import RuleKind, Severity
from carecheck.fhir.profiles import ProfileSet
from carecheck.project import data_path
from tests.fhir.samples import STU3, broken, patient

PATIENT_URL = STU3 + "CareConnect-Patient-1"


def _entries(*parts: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in json.loads(data_path(*parts).read_text(encoding="utf-8"))["entry"]]


DEFINITIONS = _entries("profiles", "structuredefinitions.json")
DATATYPES = _entries("fhir-stu3", "datatypes.json")
TARGETS: dict[str, str] = json.loads(data_path("profiles", "profile-types.json").read_text(encoding="utf-8"))


def changed_patient_profile(element_id: str, **changes: Any) -> ProfileSet:
    """The profile set with one element of CareConnect-Patient-1 changed."""
    definitions = copy.deepcopy(DEFINITIONS)
    profile = next(d for d in definitions if d["url"] == PATIENT_URL)
    element = next(e for e in profile["snapshot"]["element"] if e["id"] == element_id)
    element.update(changes)
    return ProfileSet(definitions, DATATYPES, TARGETS)


def judge(profiles: ProfileSet, resource: dict[str, Any]) -> set[tuple[RuleKind, str, Severity]]:
    compiled = profiles.get(PATIENT_URL)
    assert compiled is not None
    return {(i.kind, i.location, i.severity) for i in check_profile(resource, compiled, profiles, terminology())}


def test_an_unknown_extension_where_the_profile_closes_slicing_is_an_error() -> None:
    profiles = changed_patient_profile("Patient.extension", slicing={"discriminator": [{"type": "value", "path": "url"}], "rules": "closed"})
    resource = broken(patient(), "extension.0.url", "http://example.org/unknown")
    assert (RuleKind.EXTENSION, "Patient.extension[0]", Severity.ERROR) in judge(profiles, resource)


def test_closed_slicing_rejects_an_item_matching_no_slice() -> None:
    slicing = {"discriminator": [{"type": "value", "path": "system"}], "rules": "closed"}
    profiles = changed_patient_profile("Patient.identifier", slicing=slicing)
    assert (RuleKind.SLICE, "Patient.identifier[1]", Severity.ERROR) in judge(profiles, patient())


def test_max_length() -> None:
    profiles = changed_patient_profile("Patient.name:official.family", maxLength=5)
    assert (RuleKind.LENGTH, "Patient.name[0].family", Severity.ERROR) in judge(profiles, patient())


def test_a_choice_type_the_profile_does_not_allow() -> None:
    profiles = changed_patient_profile("Patient.deceased[x]", type=[{"code": "boolean"}])
    resource = broken(patient(), "deceasedDateTime", "2020-01-01")
    assert (RuleKind.TYPE, "Patient.deceasedDateTime", Severity.ERROR) in judge(profiles, resource)


def test_a_pattern_value() -> None:
    profiles = changed_patient_profile("Patient.maritalStatus", patternCodeableConcept={"coding": [{"code": "M"}]})
    assert (RuleKind.FIXED, "Patient.maritalStatus", Severity.ERROR) in judge(profiles, patient())


def test_the_unchanged_profile_accepts_the_sample() -> None:
    assert judge(ProfileSet(DEFINITIONS, DATATYPES, TARGETS), patient()) == set()


def test_extension_with_both_value_and_children_breaks_ext_1() -> None:
    extension = dict(patient()["extension"][0], extension=[{"url": "x", "valueString": "y"}])
    resource = broken(patient(), "extension.0", extension)
    assert (RuleKind.INVARIANT, "Patient.extension[0]", Severity.ERROR) in judge(ProfileSet(DEFINITIONS, DATATYPES, TARGETS), resource)


def test_contained_references_resolve_to_the_contained_type() -> None:
    resource = broken(patient(), "contained", [{"resourceType": "Practitioner", "id": "gp"}])
    resource = broken(resource, "managingOrganization", {"reference": "#gp"})
    found = judge(ProfileSet(DEFINITIONS, DATATYPES, TARGETS), resource)
    assert (RuleKind.TYPE, "Patient.managingOrganization.reference", Severity.ERROR) in found
