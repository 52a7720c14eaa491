"""Tests for carecheck.refserver.store: storing, indexing, reading and paging in SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from carecheck.refserver.params import RESOURCES, SearchParamType
from carecheck.refserver.store import ESTIMATE_CAP, INDEX_TABLES, Clause, Condition, Include, Store
from tests.refserver.samples import SAMPLES


def _patient(patient_id: str, gender: str = "male", family: str = "Smith") -> dict[str, object]:
    return {"resourceType": "Patient", "id": patient_id, "name": [{"family": family}], "gender": gender}


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store(RESOURCES)
    store.add([_patient("a"), _patient("b", "female", "Jones"), _patient("c"), _patient("d", family="Smythe")])
    yield store
    store.close()


def test_read_returns_the_stored_resource(store: Store) -> None:
    assert store.read("Patient", "b") == _patient("b", "female", "Jones")
    assert store.read("Patient", "zzz") is None
    assert store.read("Observation", "a") is None


def test_search_pages_in_storage_order_with_the_total(store: Store) -> None:
    everything = Condition()
    assert [r["id"] for r in store.search("Patient", everything, offset=0, count=10).resources] == ["a", "b", "c", "d"]
    page = store.search("Patient", everything, offset=1, count=2)
    assert page.total == 4
    assert [r["id"] for r in page.resources] == ["b", "c"]
    assert store.search("Patient", everything, offset=9, count=2).resources == []
    assert store.search("Patient", everything, offset=0, count=0).total == 4


@pytest.mark.parametrize(("offset", "count"), [(0, 10), (0, 4), (0, 3), (1, 2), (2, 5), (3, 1), (4, 2), (9, 2), (0, 0), (4, 0)])
def test_every_page_has_the_total_of_all_matches(store: Store, offset: int, count: int) -> None:
    """The total is counted only for a full or empty page; a page ending early ends the matches."""
    page = store.search("Patient", Condition(), offset=offset, count=count)
    assert page.total == 4
    assert [stored.id for stored in page.matches] == ["a", "b", "c", "d"][offset : offset + count]
    assert [stored.type for stored in page.matches] == ["Patient"] * len(page.matches)
    assert page.resources == [json.loads(stored.body) for stored in page.matches]


def _exists(kind: SearchParamType, test: str) -> str:
    return f"EXISTS (SELECT 1 FROM {INDEX_TABLES[kind]} i WHERE i.pk = r.pk AND i.param = ? AND {test})"


def test_index_rows_are_searchable_by_sql(store: Store) -> None:
    male = Condition((Clause(_exists(SearchParamType.TOKEN, "i.code = ?"), ("gender", "male")),))
    assert [r["id"] for r in store.search("Patient", male, offset=0, count=10).resources] == ["a", "c", "d"]
    smith = Condition((Clause(_exists(SearchParamType.STRING, "i.folded = ?"), ("family", "smith")),))
    assert store.search("Patient", smith, offset=0, count=10).total == 2


def _matches(kind: SearchParamType, test: str) -> str:
    return f"SELECT i.pk FROM {INDEX_TABLES[kind]} i WHERE i.type = ? AND i.param = ? AND {test}"


def test_the_clause_with_fewest_matches_drives_the_search() -> None:
    store = Store(RESOURCES)
    store.add([_patient(f"m{number}") for number in range(120)] + [_patient("s", family="Smythe")])
    male = Clause(
        _exists(SearchParamType.TOKEN, "i.code = ?"),
        ("gender", "male"),
        _matches(SearchParamType.TOKEN, "i.code = ?"),
        ("Patient", "gender", "male"),
    )
    smythe = Clause(
        _exists(SearchParamType.STRING, "i.folded = ?"),
        ("family", "smythe"),
        _matches(SearchParamType.STRING, "i.folded = ?"),
        ("Patient", "family", "smythe"),
    )
    plan = "\n".join(store.explain("Patient", Condition((male, smythe))))
    assert "string_by_value" in plan and "token_by_resource" in plan, plan
    page = store.search("Patient", Condition((male, smythe)), offset=0, count=10)
    assert [r["id"] for r in page.resources] == ["s"]
    alone = "\n".join(store.explain("Patient", Condition((male,))))
    assert "token_by_value" in alone, alone
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)  # what the search asks SQLite
    store.search("Patient", Condition((male, smythe)), offset=0, count=10)
    counted = [sql for sql in statements if "LIMIT" in sql and "count(*)" in sql]
    assert len(counted) == 2 and all("LIMIT 51)" in sql for sql in counted), counted  # male not counted to 1000
    statements.clear()
    store.search("Patient", Condition((male, male)), offset=0, count=10)  # neither is rare: counted further
    assert any(f"LIMIT {ESTIMATE_CAP})" in sql for sql in statements), statements
    store.close()


@pytest.fixture(scope="module")
def samples() -> Iterator[Store]:
    store = Store(RESOURCES)
    store.add(SAMPLES)
    yield store
    store.close()


def _ids_of(store: Store, resource_type: str, resource_id: str, *includes: Include) -> list[tuple[str, str]]:
    id_test = _exists(SearchParamType.TOKEN, "i.code = ?")
    condition = Condition((Clause(id_test, ("_id", resource_id)),))
    page = store.search(resource_type, condition, offset=0, count=10, includes=includes)
    return [(r["resourceType"], r["id"]) for r in page.included]


@pytest.mark.parametrize(
    ("resource_type", "resource_id", "include", "expected"),
    [
        ("MedicationRequest", "mr1", Include(False, "MedicationRequest", "medication"), [("Medication", "m1")]),
        ("MedicationRequest", "mr2", Include(False, "MedicationRequest", "medication"), []),
        ("Patient", "p1", Include(False, "Patient", "general-practitioner"), [("Practitioner", "pr1")]),
        ("Patient", "p2", Include(False, "Patient", "general-practitioner"), [("Organization", "o2")]),
        ("Patient", "p2", Include(False, "Patient", "general-practitioner", "Practitioner"), []),
        ("Patient", "p1", Include(False, "Patient", None), [("Organization", "o2"), ("Practitioner", "pr1")]),
        ("Encounter", "e1", Include(True, "Condition", "context"), [("Condition", "c1")]),
        ("Encounter", "e1", Include(True, "Observation", "patient"), []),
        (
            "Encounter",
            "e1",
            Include(True, None, None),
            [("Encounter", "e2"), ("Condition", "c1"), ("Procedure", "pc1"), ("Observation", "ob1"), ("MedicationRequest", "mr1")],
        ),
        ("Organization", "o2", Include(True, "PractitionerRole", "organization"), [("PractitionerRole", "r1")]),
    ],
)
def test_includes_follow_references_from_or_to_the_matches(
    samples: Store, resource_type: str, resource_id: str, include: Include, expected: list[tuple[str, str]]
) -> None:
    assert _ids_of(samples, resource_type, resource_id, include) == expected


def test_revinclude_all_on_a_patient_is_their_record_each_once(samples: Store) -> None:
    record = _ids_of(samples, "Patient", "p1", Include(True, None, None), Include(True, "Observation", "patient"))
    assert len(record) == len(set(record))
    assert {kind for kind, _ in record} == {
        "Encounter", "Condition", "Procedure", "Observation", "AllergyIntolerance", "MedicationStatement",
        "MedicationRequest", "Immunization",
    }  # fmt: skip
    assert ("Observation", "ob2") not in record


@pytest.mark.parametrize(
    "bad",
    [
        {"resourceType": "Basic", "id": "o1"},
        {"resourceType": "Patient"},
        {"id": "x"},
    ],
)
def test_resources_it_cannot_serve_are_refused(store: Store, bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="cannot store"):
        store.add([bad])


def test_a_failed_add_stores_nothing_of_it(store: Store) -> None:
    with pytest.raises(ValueError, match="Patient/a is stored twice"):
        store.add([_patient("e"), _patient("a")])
    assert store.read("Patient", "e") is None
    assert store.search("Patient", Condition(), offset=0, count=10).total == 4


def test_a_malformed_date_in_a_resource_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.add([{"resourceType": "Patient", "id": "x", "birthDate": "June 1927"}])
    assert store.read("Patient", "x") is None


def test_put_replaces_a_record_and_its_index_rows_and_remove_deletes_them(store: Store) -> None:
    male = Condition((Clause(_exists(SearchParamType.TOKEN, "i.code = ?"), ("gender", "male")),))
    assert store.put(_patient("a", "female")) is False, "a replaced record is not new"
    assert store.read("Patient", "a") == _patient("a", "female")
    assert [r["id"] for r in store.search("Patient", male, offset=0, count=10).resources] == ["c", "d"], "the old index rows went with it"
    assert store.put(_patient("e")) is True
    assert store.remove("Patient", "e") is True and store.read("Patient", "e") is None
    assert store.was_deleted("Patient", "e") and not store.was_deleted("Patient", "zzz")
    assert store.remove("Patient", "zzz") is False and not store.was_deleted("Patient", "zzz")
    assert [r["id"] for r in store.search("Patient", male, offset=0, count=10).resources] == ["c", "d"]
    store.put(_patient("e"))
    assert not store.was_deleted("Patient", "e"), "stored again under the same id"


def test_a_put_the_store_cannot_hold_changes_nothing(store: Store) -> None:
    before = store.snapshot()
    with pytest.raises(ValueError, match="unsupported type"):
        store.put({"resourceType": "Nope", "id": "a"})
    assert store.snapshot() == before


def test_snapshot_is_every_record_as_stored(store: Store) -> None:
    snapshot = store.snapshot()
    assert sorted(snapshot) == [("Patient", "a"), ("Patient", "b"), ("Patient", "c"), ("Patient", "d")]
    assert snapshot[("Patient", "b")] == _patient("b", "female", "Jones")
