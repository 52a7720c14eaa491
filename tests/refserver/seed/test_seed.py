"""Tests for carecheck.refserver.seed: the whole seed, and the facts its docstring promises a target profile."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fhir.resources.STU3 import get_fhir_model_class

from carecheck.refserver import seed as seed_package
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.seed import DEFAULT_POPULATION, FIRST_VERSION, SEEDED_AT, seed_resources
from carecheck.refserver.store import Store
from tests.refserver.conftest import Search

SEED = list(seed_resources())
BY_ID = {(resource["resourceType"], resource["id"]): resource for resource in SEED}
MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"
BURROWS = "2305a166-45ca-4716-8be6-e1a57eda55b0"
SCT = "http://snomed.info/sct"


def test_the_default_seed_holds_the_examples_the_population_and_their_records() -> None:
    counts = Counter(resource["resourceType"] for resource in SEED)
    assert DEFAULT_POPULATION == 100 and counts["Patient"] == 106 + 100
    assert set(counts) == set(RESOURCES)
    assert len(BY_ID) == len(SEED)
    assert [resource["id"] for resource in SEED[:2]] == [MEAKIN, BURROWS]


def test_every_resource_is_valid_stu3_and_claims_its_care_connect_profile() -> None:
    for resource in SEED:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert RESOURCES[resource["resourceType"]].profile in resource["meta"]["profile"]


def test_every_relative_reference_resolves() -> None:
    for resource in SEED:
        for reference in _references(resource):
            if not reference.startswith("http"):
                assert tuple(reference.split("/")) in BY_ID, (resource["id"], reference)


def test_a_bigger_population_only_adds() -> None:
    bigger = {(r["resourceType"], r["id"]): r for r in seed_resources(DEFAULT_POPULATION + 2)}
    assert all(bigger[key] == resource for key, resource in BY_ID.items())
    assert ("Patient", "pop-102") in bigger and ("Observation", "pop-102-observation-3") in bigger


def test_meakin_has_his_interopen_records_and_synthetic_ones_of_every_type(seeded_search: Search) -> None:
    patient = BY_ID[("Patient", MEAKIN)]
    assert (patient["identifier"][0]["value"], patient["gender"], patient["birthDate"]) == ("9658218873", "male", "1927-06-19")
    assert patient["generalPractitioner"] == [{"reference": "Practitioner/14f93146-93b8-4bcd-94bf-5ed0a2493205", "display": "Miss Nichole Gilbert"}]
    assert BY_ID[("Practitioner", "14f93146-93b8-4bcd-94bf-5ed0a2493205")]["identifier"][0]["value"] == "G13579135"
    assert BY_ID[("Organization", "0a9af0b8-a351-4243-8863-b8e3e6febda4")]["identifier"][0]["value"] == "A20047"
    condition = BY_ID[("Condition", "780d64f8-c06a-4b9a-bd0a-f987f0f8e34b")]
    assert condition["code"]["coding"][0]["code"] == "217133004" and condition["clinicalStatus"] == "active"
    assert condition["assertedDate"].startswith("2018-11-29")
    on_the_day = seeded_search("Observation", f"patient={MEAKIN}&date=2018-11-29")
    assert len(on_the_day) == 8
    assert seeded_search("Observation", f"patient={MEAKIN}&code={SCT}|364075005") >= {"ef9ea056-e166-4f81-91c9-042070ad79f5"}
    assert "780d64f8-c06a-4b9a-bd0a-f987f0f8e34b" in seeded_search("Condition", f"patient={MEAKIN}&category=encounter-diagnosis")
    encounters = seeded_search("Encounter", f"patient={MEAKIN}&date=ge2018-11-29")
    assert encounters >= {"fb72c4ac-e0eb-450c-b3eb-5efbb631a93a", "f93b0d23-1b7e-4db0-b7a8-ca583bb9f243", "4842a34b-8757-47fd-93f0-c69ca1e64f78"}
    assert seeded_search("Encounter", f"patient={MEAKIN}&date=2018-11-29") == {"f93b0d23-1b7e-4db0-b7a8-ca583bb9f243"}
    assert "end" not in BY_ID[("Encounter", "fb72c4ac-e0eb-450c-b3eb-5efbb631a93a")]["period"]
    assert BY_ID[("Encounter", "f93b0d23-1b7e-4db0-b7a8-ca583bb9f243")]["partOf"] == {"reference": "Encounter/fb72c4ac-e0eb-450c-b3eb-5efbb631a93a"}
    for kind in ("AllergyIntolerance", "Condition", "Procedure", "Observation", "Encounter", "MedicationStatement", "MedicationRequest", "Immunization"):
        assert seeded_search(kind, f"patient={MEAKIN}"), kind


@pytest.mark.parametrize(("kind", "fewest"), [
    ("encounter", 2), ("condition", 2), ("procedure", 2), ("medicationstatement", 2), ("medicationrequest", 2),
    ("immunization", 2), ("observation", 3), ("allergy", 1),
])  # fmt: skip
def test_every_patient_has_records_with_predictable_ids(kind: str, fewest: int) -> None:
    resource_type = {"allergy": "AllergyIntolerance", "medicationstatement": "MedicationStatement",
                     "medicationrequest": "MedicationRequest"}.get(kind, kind.capitalize())  # fmt: skip
    for patient in (resource for resource in SEED if resource["resourceType"] == "Patient"):
        for number in range(1, fewest + 1):
            record = BY_ID[(resource_type, f"{patient['id']}-{kind}-{number}")]
            assert (record.get("subject") or record.get("patient")) == {"reference": f"Patient/{patient['id']}"}


def test_the_medicines_and_directory_facts() -> None:
    requests = [r for r in SEED if r["resourceType"] == "MedicationRequest" and r["subject"]["reference"] == f"Patient/{BURROWS}"]
    interopen = [r for r in requests if not r["id"].startswith(BURROWS)]
    codes = {BY_ID[tuple(r["medicationReference"]["reference"].split("/"))]["code"]["coding"][0]["code"] for r in interopen}
    assert codes == {"30268411000001107", "103069003", "259659006"}
    assert BY_ID[("Procedure", "bfa7cdba-92d0-46f5-a71b-4dd0402c2599")]["code"]["coding"][0]["code"] == "386465007"
    assert BY_ID[("Medication", "medication-1")]["code"]["coding"][0]["code"] == "319781007"
    assert ("Medication", "medication-12") in BY_ID and ("Medication", "medication-13") not in BY_ID
    assert BY_ID[("Organization", "ods-c81010")]["name"] == "The Moir Medical Centre"
    assert BY_ID[("Organization", "ods-rtg")]["identifier"][0]["value"] == "RTG"
    assert BY_ID[("Location", "site-rtg08")]["identifier"][0]["value"] == "RTG08"
    assert BY_ID[("Practitioner", "sds-g8133438")]["identifier"][0]["value"] == "G8133438"
    assert BY_ID[("PractitionerRole", "sds-g8133438-role")]["code"][0]["coding"][0]["code"] == "R0260"
    first = BY_ID[("Patient", "pop-1")]
    assert [identifier["value"] for identifier in first["identifier"]] == ["9990000018", "PAS0000001"]
    assert BY_ID[("Patient", "pop-2")]["identifier"][0]["value"] == "9990000026"
    assert BY_ID[("Patient", "1")]["name"][0]["family"] == "Kanfeld"


def test_only_open_periods_reach_past_2025(seeded_search: Search) -> None:
    for kind, param in (("Encounter", "date"), ("Procedure", "date"), ("MedicationStatement", "effective")):
        later = seeded_search(kind, f"{param}=gt2026-01-01")
        assert later
        for resource_id in later:
            resource = BY_ID[(kind, resource_id)]
            period = resource.get("period") or resource.get("performedPeriod") or resource.get("effectivePeriod")
            assert period is not None and "end" not in period


@pytest.mark.parametrize("resource_type", list(RESOURCES))
def test_every_search_parameter_has_matching_and_non_matching_data(seeded_search: Search, resource_type: str) -> None:
    everything = seeded_search(resource_type, "")
    for param in RESOURCES[resource_type].params:
        values = (_search_value(element.datatype, found) for r in SEED if r["resourceType"] == resource_type
                  for element, found in param.values(r))  # fmt: skip
        value = next((value for value in values if value), None)
        if (resource_type, param.name) == ("MedicationRequest", "code"):
            assert value is None  # Care Connect allows only medicationReference; `medication.code` finds these
            continue
        assert value is not None, param.name
        found = seeded_search(resource_type, f"{param.name}={quote(value, safe='|/:,')}")
        assert found and found != everything, (param.name, value)


def _search_value(datatype: str, element: Any) -> str | None:
    """A search value that matches ``element`` (of FHIR ``datatype``), or None if none can be made from it."""
    if datatype == "Period":
        return f"ge{element['start']}" if "start" in element else None
    if datatype == "Reference":
        reference = element.get("reference", "")
        return None if reference.startswith("http") else reference
    if datatype in ("HumanName", "Address"):
        text = element.get("family") or element.get("city")
        return text.replace(",", "\\,") if text else None
    if datatype == "ContactPoint":
        return str(element["value"])
    if datatype == "Identifier":
        return f"{element['system']}|{element['value']}"
    if datatype == "CodeableConcept":
        coding = element["coding"][0]
        return f"{coding['system']}|{coding['code']}"
    if isinstance(element, bool):
        return str(element).lower()
    return str(element).replace(",", "\\,")


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [reference for value in node.values() for reference in _references(value)]
    if isinstance(node, list):
        return [reference for value in node for reference in _references(value)]
    return []


def test_the_store_takes_the_whole_seed(seeded_store: Store) -> None:
    assert seeded_store.read("Patient", MEAKIN) == BY_ID[("Patient", MEAKIN)]


def test_every_resource_is_at_version_1_last_updated_at_a_fixed_instant() -> None:
    for resource in SEED:
        meta = resource["meta"]
        assert meta["versionId"] == FIRST_VERSION, resource["id"]
        assert list(resource)[:3] == ["resourceType", "id", "meta"] and list(meta)[:2] == ["versionId", "lastUpdated"]
    assert BY_ID[("Patient", MEAKIN)]["meta"]["lastUpdated"] == "2018-11-14T16:25:58.346+00:00"  # the example's own
    assert BY_ID[("Patient", "pop-1")]["meta"]["lastUpdated"] == SEEDED_AT


def test_meakin_has_contact_details_to_search_by() -> None:
    patient = BY_ID[("Patient", MEAKIN)]
    assert [(t["system"], t["value"]) for t in patient["telecom"]] == [("phone", "0113 496 0234"), ("email", "mike.meakin@example.com")]
    assert patient["address"][0]["postalCode"] == "LS1 4HR"
    assert list(patient).index("telecom") == list(patient).index("name") + 1


_DIGEST = (
    "import hashlib, json; from carecheck.refserver.seed import seed_resources; "
    "print(hashlib.sha256(json.dumps(list(seed_resources(20))).encode()).hexdigest())"
)


def test_the_seed_is_the_same_in_every_process_whatever_the_hash_seed() -> None:
    """Ids, dates, versions and lastUpdated depend on the population only: not on the process, the day or the run."""
    digests = {
        subprocess.run([sys.executable, "-c", _DIGEST], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_no_seed_module_reads_the_clock() -> None:
    """A seed that read today's date would change what searches return from one day to the next."""
    for module in (Path(seed_package.__file__).parent).glob("*.py"):
        calls = [node.func for node in ast.walk(ast.parse(module.read_text())) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
        clock = [ast.unparse(call) for call in calls if call.attr in ("now", "today", "utcnow") or ast.unparse(call) == "time.time"]
        assert not clock, f"{module.name} reads the clock: {clock}"
