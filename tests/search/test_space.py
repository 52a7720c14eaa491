"""Tests for carecheck.search.space: what a search space holds, and that naming one costs no hypothesis import."""

from __future__ import annotations

import subprocess
import sys

from carecheck.search.space import SearchSpace

OBSERVATION = {"resourceType": "Observation", "id": "o1", "status": "final"}
PATIENT = {"resourceType": "Patient", "id": "p1"}


def test_with_records_adds_records_of_the_type_once() -> None:
    space = SearchSpace("Observation", records=(OBSERVATION,))
    more = space.with_records([OBSERVATION, {**OBSERVATION, "id": "o2"}, PATIENT])
    assert [record["id"] for record in more.records] == ["o1", "o2"]


def test_undeclared_means_every_stu3_parameter_and_declared_only_those() -> None:
    assert {p.name for p in SearchSpace("Observation").searchable()} >= {"code", "date", "patient", "combo-code"}
    assert {p.name for p in SearchSpace("Observation", parameters=("code", "_count")).searchable()} == {"code"}


def test_the_run_command_imports_no_hypothesis() -> None:
    """`carecheck run`'s own process (the owner, the reports) generates no search: hypothesis, a large import, is for
    the pytest process."""
    code = "import sys, carecheck.cli, carecheck.run.session; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
