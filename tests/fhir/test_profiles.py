"""Tests for carecheck.fhir.profiles: compiling snapshots into rule trees."""

from __future__ import annotations

import pytest

from carecheck.errors import ConfigError
from carecheck.fhir.profiles import CARECONNECT_BASE, compile_profile, profile_set

CARECONNECT_TYPES = (
    "AllergyIntolerance Condition Encounter Immunization Location Medication MedicationRequest MedicationStatement "
    "Observation Organization Patient Practitioner PractitionerRole Procedure"
).split()


@pytest.mark.parametrize("resource_type", CARECONNECT_TYPES)
def test_every_care_connect_type_has_its_profile(resource_type: str) -> None:
    url = profile_set().careconnect_profile(resource_type)
    assert url == f"{CARECONNECT_BASE}CareConnect-{resource_type}-1"
    compiled = profile_set().get(url)
    assert compiled is not None and compiled.type == resource_type


def test_slices_carry_their_discriminator_values() -> None:
    compiled = profile_set().get(CARECONNECT_BASE + "CareConnect-Patient-1")
    assert compiled is not None
    identifier = compiled.root.child("identifier")
    assert identifier is not None and identifier.slicing is not None
    (nhs,) = identifier.slicing.slices
    assert (nhs.name, nhs.values, nhs.rule.minimum, nhs.rule.maximum) == (
        "nhsNumber",
        (("system", "https://fhir.nhs.uk/Id/nhs-number"),),
        0,
        1,
    )
    extension = nhs.rule.child("extension")
    assert extension is not None and extension.slicing is not None
    assert extension.slicing.slices[0].values == (("url", CARECONNECT_BASE + "Extension-CareConnect-NHSNumberVerificationStatus-1"),)


def test_renamed_choice_elements_become_concrete_children() -> None:
    ethnic = profile_set().get(CARECONNECT_BASE + "Extension-CareConnect-EthnicCategory-1")
    assert ethnic is not None
    value = ethnic.root.child("valueCodeableConcept")
    assert value is not None and not value.choice and value.binding is not None
    assert (value.minimum, value.binding.strength) == (1, "required")


def test_a_definition_without_a_snapshot_is_refused() -> None:
    with pytest.raises(ConfigError, match="has no snapshot"):
        compile_profile({"url": "http://example.org/sd", "differential": {"element": []}})


def test_invariants_fhirpathpy_cannot_run_are_counted_as_skipped() -> None:
    evaluated, skipped = profile_set().invariant_counts()
    assert (evaluated, skipped) == (58, 3)  # skipped: txt-1, txt-2 (htmlchecks) and mps-1 (resolve)
