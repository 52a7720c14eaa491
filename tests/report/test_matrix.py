"""The conformance matrix: declared in the CapabilityStatement vs observed in the scenarios that exercised it."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import EvidenceWriter, capture_capability_statement, read_pack
from carecheck.report import MatrixRow, conformance_matrix
from tests.exchanges import BASE, exchange, patient
from tests.packs import Check, run_scenario, synthetic_pack


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


def searched(tmp_path: Path, name: str, entry: dict[str, object], *, same: bool = True) -> MatrixRow:
    """One Patient?family= scenario: its search judged (the same matches as a baseline, or not), then the profile of
    what it returned."""
    writer = EvidenceWriter(tmp_path)
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": 1, "entry": [{"resource": entry, "search": {"mode": "match"}}]}
    other = {"resourceType": "Bundle", "type": "searchset", "total": 0}
    first = exchange(bundle, url=f"{BASE}/Patient?family=X", exchange_id="001")
    second = exchange(bundle if same else other, url=f"{BASE}/Patient?family=X&_count=100", exchange_id="002")
    result = run_scenario(
        writer, f"patient/search/{name}", [first, second], [Check("same_matches", {"baseline": "$second"}), Check("profile_valid")],
        kind="search", requirements=("CC-SEARCH-PATIENT-FAMILY",), tags=("patient", "search"),
    )  # fmt: skip
    assert result["outcome"] == "failed", result["message"]
    return {(row.resource_type, row.name): row for row in conformance_matrix(read_pack(tmp_path))}["Patient", "family"]


def test_a_search_that_worked_is_not_red_because_what_it_returned_failed_its_profile(tmp_path: Path) -> None:
    invalid = {**patient("p1"), "birthDate": "not a date"}
    row = searched(tmp_path / "profile", "profile-only", invalid)
    assert (row.observed.status, row.observed.counts) == ("passed", {"passed": 1})
    broken = searched(tmp_path / "search", "search-too", invalid, same=False)
    assert (broken.observed.status, broken.observed.counts) == ("failed", {"failed": 1}), "the search's own finding failed"
