"""The FHIR version banner: a server that does not declare STU3 is said so first, with the failures it explains."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import Pack
from carecheck.report import fhir_version_banner
from tests.packs import STATEMENT
from tests.report.test_causes import finding, scenario


def test_an_stu3_server_or_a_pack_without_a_statement_gets_no_banner() -> None:
    assert fhir_version_banner(Pack(Path("."), {}, [], STATEMENT)) is None
    assert fhir_version_banner(Pack(Path("."), {}, [], {**STATEMENT, "fhirVersion": "3.0.2"})) is None
    assert fhir_version_banner(Pack(Path("."), {}, [], None)) is None


def test_another_version_gets_the_banner_with_the_failures_that_follow_from_it() -> None:
    scenarios = [
        scenario("version", finding("expected fhirVersion 3.0.x, got '4.0.1'", check="capability_fhir_version", requirements=("CC-GEN-STU3",))),
        scenario("profile", finding("[structure] unknown element 'encounter'")),
        scenario("search", finding("expected status 200, got 500", check="status_code", requirements=("CC-GEN-REST",))),
    ]
    banner = fhir_version_banner(Pack(Path("."), {}, scenarios, {**STATEMENT, "fhirVersion": "4.0.1"}))
    assert (
        banner
        == "this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x); 2 failure(s) follow from it (the FHIR version and the STU3 Care Connect profiles)"
    )
    unversioned = {key: value for key, value in STATEMENT.items() if key != "fhirVersion"}
    assert str(fhir_version_banner(Pack(Path("."), {}, [], unversioned))).startswith("this server declares no FHIR version; Care Connect is STU3")
