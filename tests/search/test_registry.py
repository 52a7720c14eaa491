"""The STU3 search-parameter registry and the Care Connect conformance tables it reads."""

from __future__ import annotations

import ast
import csv
import shutil
import time
from pathlib import Path

import pytest
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models

import carecheck.search
from carecheck.project import data_path
from carecheck.search import (
    CARE_CONNECT_RESOURCES,
    Conformance,
    SearchRegistry,
    UnknownResourceType,
    UnknownSearchParameter,
    default_registry,
)

REGISTRY = default_registry()
PACKAGE_DIR = Path(carecheck.search.__file__).parent
NOT_STU3 = {("Immunization", "vaccination-procedure-code")}  # CORE-only name with no STU3 definition


# (resource, parameter, STU3 type, resource-specific expression, targets)
PARAMETERS = [
    ("Patient", "family", "string", "Patient.name.family", ()),
    ("Practitioner", "family", "string", "Practitioner.name.family", ()),
    ("Patient", "name", "string", "Patient.name", ()),
    ("Patient", "birthdate", "date", "Patient.birthDate", ()),
    ("Patient", "gender", "token", "Patient.gender", ()),
    ("Patient", "email", "token", "Patient.telecom.where(system='email')", ()),
    ("Patient", "address-postalcode", "string", "Patient.address.postalCode", ()),
    ("Patient", "deceased", "token", "Patient.deceased.exists()", ()),
    ("Patient", "death-date", "date", "Patient.deceased.as(dateTime)", ()),
    ("Patient", "_id", "token", "Patient.id", ()),
    ("Observation", "_lastUpdated", "date", "Observation.meta.lastUpdated", ()),
    ("Location", "_profile", "uri", "Location.meta.profile", ()),
    ("Patient", "_text", "string", None, ()),
    ("Observation", "date", "date", "Observation.effective", ()),
    ("Observation", "value-string", "string", "Observation.value.as(string)", ()),
    ("Observation", "code-value-concept", "composite", "Observation", ()),
    ("Procedure", "date", "date", "Procedure.performed", ()),
    ("Encounter", "date", "date", "Encounter.period", ()),
    ("MedicationRequest", "date", "date", "MedicationRequest.dosageInstruction.timing.event", ()),
    ("AllergyIntolerance", "date", "date", "AllergyIntolerance.assertedDate", ()),
    ("AllergyIntolerance", "code", "token", "AllergyIntolerance.code | AllergyIntolerance.reaction.substance", ()),
    ("Organization", "name", "string", "Organization.name | Organization.alias", ()),
    # STU3 pages document `patient` as (Patient); the shared clinical-patient definition lists Patient and Group.
    ("Condition", "patient", "reference", "Condition.subject", ("Patient",)),
    ("Condition", "subject", "reference", "Condition.subject", ("Group", "Patient")),
    ("Observation", "patient", "reference", "Observation.subject", ("Patient",)),
    ("MedicationRequest", "medication", "reference", "MedicationRequest.medication.as(Reference)", ("Medication",)),
    ("MedicationStatement", "code", "token", "MedicationStatement.medication.as(CodeableConcept)", ()),
    ("PractitionerRole", "practitioner", "reference", "PractitionerRole.practitioner", ("Practitioner",)),
    ("Immunization", "notgiven", "token", "Immunization.notGiven", ()),
]


@pytest.mark.parametrize(
    ("resource_type", "name", "kind", "expression", "targets"),
    PARAMETERS,
    ids=[f"{row[0]}.{row[1]}" for row in PARAMETERS],
)
def test_parameter(resource_type: str, name: str, kind: str, expression: str | None, targets: tuple[str, ...]) -> None:
    parameter = REGISTRY.parameter(resource_type, name)
    assert (parameter.resource_type, parameter.name, parameter.type) == (resource_type, name, kind)
    assert parameter.expression == expression
    assert parameter.targets == targets
    assert parameter.url.startswith("http://hl7.org/fhir/SearchParameter/")


# STU3 search.html: modifiers per type; date, number and quantity take the nine prefixes.
MODIFIERS = [
    ("string", ("missing", "exact", "contains"), ()),
    ("token", ("missing", "text", "not", "above", "below", "in", "not-in"), ()),
    ("reference", ("missing",), ()),
    ("uri", ("missing", "above", "below"), ()),
    ("date", ("missing",), ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")),
    ("number", ("missing",), ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")),
    ("quantity", ("missing",), ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")),
    ("composite", ("missing",), ()),
]


@pytest.mark.parametrize(("kind", "modifiers", "comparators"), MODIFIERS, ids=[row[0] for row in MODIFIERS])
def test_modifiers_and_comparators_follow_the_type(kind: str, modifiers: tuple[str, ...], comparators: tuple[str, ...]) -> None:
    found = [p for rt in CARE_CONNECT_RESOURCES for p in REGISTRY.parameters(rt) if p.type == kind]
    assert found
    assert {(p.modifiers, p.comparators) for p in found} == {(modifiers, comparators)}


@pytest.mark.parametrize("resource_type", CARE_CONNECT_RESOURCES)
def test_every_expression_is_rooted_at_its_resource_and_runs_on_fhirpathpy(resource_type: str) -> None:
    parameters = REGISTRY.parameters(resource_type)
    names = [p.name for p in parameters]
    assert names == sorted(names)
    assert {"_id", "_lastUpdated"} <= set(names)
    empty = {"resourceType": resource_type, "id": "x"}
    for parameter in parameters:
        if parameter.expression is None:
            assert parameter.name in {"_text", "_content", "_query"}
            continue
        for part in parameter.expression.split(" | "):
            assert part == resource_type or part.startswith(resource_type + "."), parameter
        compile_fhirpath(parameter.expression, models["stu3"])(empty, {})


@pytest.mark.parametrize(
    ("resource_type", "name", "error", "message"),
    [
        ("Patient", "nope", UnknownSearchParameter, "Patient has no STU3 search parameter 'nope'"),
        ("Patient", "patient", UnknownSearchParameter, "Patient has no STU3 search parameter 'patient'"),
        ("Group", "name", UnknownResourceType, "'Group' is not a Care Connect resource type"),
    ],
    ids=["unknown-name", "name-of-another-type", "unknown-type"],
)
def test_unknown_lookups_raise_clear_key_errors(resource_type: str, name: str, error: type[KeyError], message: str) -> None:
    with pytest.raises(error) as raised:
        REGISTRY.parameter(resource_type, name)
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith(message)
    assert not REGISTRY.has_parameter(resource_type, name)


# The IG and CORE columns of the requirements file §2.1 (CORE MUST written as SHALL).
CONFORMANCE = [
    ("Patient", "identifier", "SHALL", "SHALL"),
    ("Patient", "family", "SHALL", "SHALL"),
    ("Patient", "given", "SHALL", "SHALL"),
    ("Patient", "name", "SHALL", "SHALL"),
    ("Patient", "gender", "SHALL", "SHALL"),
    ("Patient", "birthdate", "SHALL", "SHALL"),
    ("Patient", "email", "MAY", None),
    ("Patient", "phone", "MAY", None),
    ("Patient", "address-postalcode", "MAY", None),
    ("Patient", "active", None, None),
    ("AllergyIntolerance", "patient", "SHALL", "SHALL"),
    ("AllergyIntolerance", "verification-status", None, "SHALL"),
    ("Condition", "category", "SHOULD", "SHOULD"),
    ("Condition", "patient.identifier", "MAY", "SHOULD"),
    ("Procedure", "date", "SHALL", "SHALL"),
    ("Procedure", "subject", "MAY", None),
    ("Observation", "category", "SHOULD", None),
    ("Encounter", "patient", "MAY", "SHALL"),
    ("Medication", "code", "SHALL", None),
    ("MedicationRequest", "code", None, "MAY"),
    ("Immunization", "vaccination-procedure-code", None, "SHOULD"),
    ("Practitioner", "address-postalcode", "MAY", None),
    ("PractitionerRole", "practitioner", "SHALL", "SHALL"),
    ("Organization", "address-city", None, "SHOULD"),
    ("Location", "identifier", "MAY", "SHALL"),
]


@pytest.mark.parametrize(("resource_type", "name", "ig", "core"), CONFORMANCE, ids=[f"{r[0]}.{r[1]}" for r in CONFORMANCE])
def test_conformance(resource_type: str, name: str, ig: str | None, core: str | None) -> None:
    found = REGISTRY.conformance(resource_type, name)
    assert (found.ig, found.core) == (ig, core)


def test_misspelt_ig_parameter_is_recorded_under_its_stu3_name() -> None:
    assert "adddress-postcode" in REGISTRY.conformance("Practitioner", "address-postalcode").note
    assert "adddress-postcode" in REGISTRY.conformance("Location", "address-postalcode").note


def test_conformance_of_a_name_neither_stu3_nor_care_connect_knows_raises() -> None:
    with pytest.raises(UnknownSearchParameter):
        REGISTRY.conformance("Patient", "adddress-postcode")


def _rows(name: str) -> list[dict[str, str]]:
    with data_path("careconnect", name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _rows("search-parameters.csv"), ids=lambda row: f"{row['resource']}.{row['parameter']}")
def test_every_conformance_row_names_an_stu3_parameter_of_that_type(row: dict[str, str]) -> None:
    assert row["ig"] or row["core"], "a row names a parameter in the IG or CORE"
    name = row["parameter"].split(".", 1)[0]
    if (row["resource"], name) in NOT_STU3:
        assert "not a FHIR STU3 parameter" in row["note"]
        return
    assert REGISTRY.parameter(row["resource"], name).type == row["type"]


def test_every_resource_has_conformance_rows() -> None:
    assert {row["resource"] for row in _rows("search-parameters.csv")} == set(CARE_CONNECT_RESOURCES)


COMBINATIONS = [
    ("Patient", ("name", "gender"), "SHALL", "SHALL"),
    ("Patient", ("name", "birthdate"), "SHALL", "SHALL"),
    ("Patient", ("family", "gender"), "SHALL", "SHALL"),
    ("Patient", ("given", "gender"), "SHALL", "SHALL"),
    ("Procedure", ("patient", "date"), "SHALL", "SHALL"),
    ("Condition", ("patient", "clinical-status"), "SHOULD", "SHOULD"),
    ("Condition", ("patient", "category"), "SHOULD", "SHOULD"),
    ("Observation", ("patient", "category"), "SHOULD", None),
    ("Observation", ("patient", "category", "date"), "SHOULD", None),
    ("Observation", ("patient", "category", "code"), "SHOULD", None),
    ("Observation", ("patient", "category", "code", "date"), "SHOULD", None),
    ("Observation", ("patient", "date"), None, "SHALL"),
    ("Encounter", ("patient", "status"), None, "SHALL"),
    ("Immunization", ("patient", "notgiven"), None, "SHALL"),
]


@pytest.mark.parametrize(
    ("resource_type", "parameters", "ig", "core"),
    COMBINATIONS,
    ids=[f"{r[0]}.{'+'.join(r[1])}" for r in COMBINATIONS],
)
def test_combination(resource_type: str, parameters: tuple[str, ...], ig: str | None, core: str | None) -> None:
    found = {c.parameters: c.conformance for c in REGISTRY.combinations(resource_type)}
    assert (found[parameters].ig, found[parameters].core) == (ig, core)


@pytest.mark.parametrize("resource_type", CARE_CONNECT_RESOURCES)
def test_combinations_name_known_parameters(resource_type: str) -> None:
    for combination in REGISTRY.combinations(resource_type):
        assert combination.resource_type == resource_type
        for name in combination.parameters:
            assert REGISTRY.has_parameter(resource_type, name) or (resource_type, name) in NOT_STU3


@pytest.mark.parametrize(
    ("resource_type", "name", "requirement"),
    [
        ("Patient", "birthdate", "CC-SEARCH-PATIENT-BIRTHDATE"),
        ("Patient", "address-postalcode", "CC-SEARCH-PATIENT-ADDRESS-POSTALCODE"),
        ("AllergyIntolerance", "clinical-status", "CC-SEARCH-ALLERGYINTOLERANCE-CLINICAL-STATUS"),
        ("Observation", "_lastUpdated", "CC-SEARCH-OBSERVATION-_LASTUPDATED"),
        ("Condition", "patient.identifier", "CC-SEARCH-CONDITION-PATIENT.IDENTIFIER"),
        ("Immunization", "vaccination-procedure-code", "CC-SEARCH-IMMUNIZATION-VACCINATION-PROCEDURE-CODE"),
    ],
    ids=str,
)
def test_requirement_id(resource_type: str, name: str, requirement: str) -> None:
    assert REGISTRY.requirement_id(resource_type, name) == requirement


def test_requirement_ids_of_unknown_names_and_of_combinations() -> None:
    with pytest.raises(UnknownSearchParameter):
        REGISTRY.requirement_id("Patient", "nope")
    with pytest.raises(UnknownResourceType):
        REGISTRY.requirement_id("Basic", "code")
    first = REGISTRY.combinations("Patient")[0]
    assert first.requirement_id == "CC-SEARCH-PATIENT-NAME+GENDER"


def test_load_is_fast_and_default_registry_is_shared() -> None:
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        SearchRegistry.load()
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[1] < 0.1
    assert default_registry() is default_registry()


def test_registry_is_immutable() -> None:
    with pytest.raises(AttributeError):
        REGISTRY._parameters = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        REGISTRY._parameters["Patient"]["x"] = REGISTRY.parameter("Patient", "name")  # type: ignore[index]


def _fixture_copy(tmp_path: Path) -> Path:
    for folder in ("fhir-stu3", "careconnect"):
        (tmp_path / folder).mkdir()
    shutil.copy(data_path("fhir-stu3", "search-parameters.json"), tmp_path / "fhir-stu3")
    for name in ("search-parameters.csv", "search-combinations.csv"):
        shutil.copy(data_path("careconnect", name), tmp_path / "careconnect")
    return tmp_path


def test_load_from_another_fixtures_folder(tmp_path: Path) -> None:
    base = _fixture_copy(tmp_path)
    table = base / "careconnect" / "search-parameters.csv"
    table.write_text("resource,parameter,type,ig,core,note\nPatient,family,string,SHOULD,,x\n", encoding="utf-8")
    registry = SearchRegistry.load(base)
    assert registry.conformance("Patient", "family") == Conformance("SHOULD", None, "x")
    assert registry.conformance("Patient", "given") == Conformance(None, None)


@pytest.mark.parametrize(
    ("row", "error"),
    [("Patient,family,string,MUST,,", ValueError), ("Group,name,string,MAY,,", UnknownResourceType)],
    ids=["bad-level", "bad-resource"],
)
def test_load_rejects_bad_rows(tmp_path: Path, row: str, error: type[Exception]) -> None:
    base = _fixture_copy(tmp_path)
    (base / "careconnect" / "search-parameters.csv").write_text(f"resource,parameter,type,ig,core,note\n{row}\n", encoding="utf-8")
    with pytest.raises(error):
        SearchRegistry.load(base)


def test_package_exports_a_sorted_public_surface() -> None:
    assert carecheck.search.__all__ == sorted(carecheck.search.__all__)
    for name in carecheck.search.__all__:
        assert hasattr(carecheck.search, name), name


@pytest.mark.parametrize("module", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_modules_stay_independent_of_the_reference_server(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(("carecheck.refserver", "carecheck.checks"))]
    assert ast.get_docstring(tree), "every module says what it is for"
    assert len(module.read_text(encoding="utf-8").splitlines()) <= 400
