"""The conformance matrix: declared in the CapabilityStatement vs observed in the scenarios that exercised it."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import capture_capability_statement, read_pack
from carecheck.report import MatrixRow, conformance_matrix
from tests.packs import synthetic_pack


def rows(tmp_path: Path, *, statement: bool = True) -> dict[tuple[str, str], MatrixRow]:
    synthetic_pack(tmp_path)
    if statement:
        capture_capability_statement(tmp_path)
    return {(row.resource_type, row.name): row for row in conformance_matrix(read_pack(tmp_path))}


def test_interactions_are_observed_from_the_judged_interactions(tmp_path: Path) -> None:
    matrix = rows(tmp_path)
    read = matrix["Patient", "read"]
    assert (read.kind, read.ig, read.core, read.declared) == ("interaction", "SHALL", "SHALL", True)
    assert read.observed.status == "failed" and read.observed.counts == {"passed": 2, "failed": 1}
    assert matrix["Patient", "search-type"].observed.scenarios == ("patient/search/pages",)


def test_parameters_are_observed_through_their_requirement_ids(tmp_path: Path) -> None:
    matrix = rows(tmp_path)
    family = matrix["Patient", "family"]
    assert (family.kind, family.ig, family.declared, family.requirement) == ("parameter", "SHALL", True, "CC-SEARCH-PATIENT-FAMILY")
    assert family.observed.status == "passed"
    gender = matrix["Patient", "gender"]
    assert (gender.declared, gender.observed.status) == (False, "not-tested")
    code = matrix["Condition", "code"]
    assert (code.ig, code.core, code.declared, code.observed.status) == (None, "SHOULD", False, "not-applicable")
    combination = matrix["Patient", "name+gender"]
    assert (combination.kind, combination.requirement, combination.declared) == ("combination", "CC-SEARCH-PATIENT-NAME+GENDER", False)


def test_every_resource_has_its_interactions_and_every_named_parameter(tmp_path: Path) -> None:
    matrix = rows(tmp_path)
    resources = {resource for resource, _ in matrix}
    assert len(resources) == 14
    assert all((resource, "read") in matrix and (resource, "search-type") in matrix for resource in resources)
    assert ("AllergyIntolerance", "verification-status") in matrix, "CORE-only parameters are listed too"


def test_without_a_capability_statement_nothing_is_said_about_declarations(tmp_path: Path) -> None:
    assert {row.declared for row in rows(tmp_path, statement=False).values()} == {None}
