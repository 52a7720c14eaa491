"""Reading what a CapabilityStatement declares."""

from __future__ import annotations

from carecheck.capability import Capabilities

STATEMENT = {
    "resourceType": "CapabilityStatement",
    "rest": [
        {"mode": "client", "resource": [{"type": "Location"}]},
        {
            "mode": "server",
            "resource": [
                {
                    "type": "Patient",
                    "interaction": [{"code": "read"}, {"code": "search-type"}],
                    "searchParam": [{"name": "family"}, {"name": "birthdate"}],
                    "searchInclude": ["Patient:general-practitioner"],
                    "searchRevInclude": ["Condition:patient"],
                },
                {"type": "Condition", "searchParam": [{"name": "patient"}]},
            ],
        },
    ],
}


def test_declared_types_interactions_and_parameters() -> None:
    declared = Capabilities(STATEMENT)
    assert declared.resource_types() == ("Patient", "Condition")
    assert declared.declares("Patient") and not declared.declares("Location"), "client-mode entries do not count"
    assert declared.interactions("Patient") == {"read", "search-type"}
    assert declared.search_parameters("Patient") == {"family", "birthdate"}
    assert declared.includes("Patient") == {"Patient:general-practitioner", "Condition:patient"}


def test_chained_and_modified_parameters_count_by_their_name() -> None:
    declared = Capabilities(STATEMENT)
    assert declared.declares_search("Condition", "patient.identifier")
    assert declared.declares_search("Patient", "family:exact")
    assert not declared.declares_search("Patient", "gender")


def test_an_empty_or_odd_statement_declares_nothing() -> None:
    odd = Capabilities({"rest": [{"mode": "server", "resource": ["not a mapping", {"type": 7}]}]})
    assert odd.resource_types() == () and odd.interactions("Patient") == frozenset()


def test_includes_and_revincludes_are_read_apart() -> None:
    declared = Capabilities(STATEMENT)
    assert declared.search_includes("Patient", reverse=False) == {"Patient:general-practitioner"}
    assert declared.search_includes("Patient", reverse=True) == {"Condition:patient"}
    assert declared.declares_include("Patient", "Condition:patient", reverse=True)
    assert declared.declares_include("Patient", "Condition.patient", reverse=True), "Type.param is how some servers spell it"
    assert not declared.declares_include("Patient", "*", reverse=True), "* is declared only when listed"
    assert not declared.declares_include("Patient", "Condition:patient", reverse=False)
    assert (
        Capabilities({"rest": [{"mode": "server", "resource": [{"type": "Patient", "searchRevInclude": "*"}]}]}).search_includes("Patient", reverse=True)
        == frozenset()
    )
