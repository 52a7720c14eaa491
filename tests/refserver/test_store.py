"""Tests for carecheck.refserver.store: storing, indexing, reading and paging in SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carecheck.refserver.params import RESOURCES, SearchParamType
from carecheck.refserver.store import INDEX_TABLES, Condition, Store


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


def _exists(kind: SearchParamType, test: str) -> str:
    return f"EXISTS (SELECT 1 FROM {INDEX_TABLES[kind]} i WHERE i.pk = r.pk AND i.param = ? AND {test})"


def test_index_rows_are_searchable_by_sql(store: Store) -> None:
    male = Condition(_exists(SearchParamType.TOKEN, "i.code = ?"), ("gender", "male"))
    assert [r["id"] for r in store.search("Patient", male, offset=0, count=10).resources] == ["a", "c", "d"]
    smith = Condition(_exists(SearchParamType.STRING, "i.folded = ?"), ("family", "smith"))
    assert store.search("Patient", smith, offset=0, count=10).total == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"resourceType": "Observation", "id": "o1"},
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
