"""The run's facts travel whole between carecheck's processes: the profile with its secrets, the statement, the test
data and the tokens come back as they went, and nothing else is taken for them."""

from __future__ import annotations

import base64
import pickle

import pytest

from carecheck.config import Target
from carecheck.run.facts import HANDOVER, Handover, RunFacts
from carecheck.testdata import Known

PROFILE = {
    "name": "t",
    "base_url": "https://fhir.test/STU3",
    "auth": {"type": "client-credentials", "client_id": "c", "client_secret": "s3cret-value", "token_url": "https://fhir.test/token"},
}


def test_facts_come_back_as_they_went_secrets_and_tokens_included() -> None:
    target = Target.model_validate(PROFILE)
    facts = RunFacts(
        target=target,
        base_url="https://fhir.test/STU3",
        statement={"resourceType": "CapabilityStatement", "fhirVersion": "3.0.1"},
        known=Known(target.testdata, patient={"resourceType": "Patient", "id": "p1"}).dump(),
        tokens={"auth": ("token-value", 250.0, None)},
        hypothesis_seed=7,
    )
    again = RunFacts.loads(facts.dumps())
    assert again == facts
    assert again.target.auth.client_secret is not None and again.target.auth.client_secret.get_secret_value() == "s3cret-value"
    assert again.known_data().patient == {"resourceType": "Patient", "id": "p1"} and again.capabilities.fhir_version == "3.0.1"


def test_anything_else_is_refused() -> None:
    with pytest.raises(TypeError, match="not a run's facts: dict"):
        RunFacts.loads(base64.b64encode(pickle.dumps({"target": "x"})))


def test_pytest_registers_the_hand_over_under_its_name() -> None:
    facts = RunFacts(target=Target.model_validate(PROFILE), base_url="https://fhir.test/STU3", statement={}, known={})
    handover = Handover(facts)
    assert handover.__name__ == HANDOVER and handover.facts is facts
