"""Fixtures for the reference server's tests: one seeded app and store per session, the samples' store, a client."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fhir.resources.STU3 import get_fhir_model_class
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from carecheck.refserver import create_app
from carecheck.refserver.params import RESOURCES
from carecheck.refserver.query import parse_search
from carecheck.refserver.seed import seed_resources
from carecheck.refserver.sql import search_condition
from carecheck.refserver.store import Store
from tests.refserver.samples import SAMPLES

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient; the project is on httpx, which still works.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["FIXED_NOW", "Search", "TestClient", "assert_stu3"]

FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def app() -> Starlette:
    return create_app()


@pytest.fixture(scope="session")
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def seeded_store() -> Iterator[Store]:
    store = Store(RESOURCES)
    store.add(seed_resources())
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_store() -> Iterator[Store]:
    store = Store(RESOURCES)
    store.add(SAMPLES)
    yield store
    store.close()


Search = Callable[[str, str], set[str]]
"""``search(resource_type, query)``: the ids of the resources of that type a query string matches."""


def _searcher(store: Store) -> Search:
    def search(resource_type: str, query: str) -> set[str]:
        parsed = parse_search(RESOURCES[resource_type], parse_qsl(query, keep_blank_values=True), base_url="http://testserver/STU3")
        condition = search_condition(parsed, now=FIXED_NOW)
        page = store.search(resource_type, condition, offset=0, count=1_000_000)
        return {resource["id"] for resource in page.resources}

    return search


@pytest.fixture(scope="session")
def seeded_search(seeded_store: Store) -> Search:
    """Search the seeded store."""
    return _searcher(seeded_store)


@pytest.fixture(scope="session")
def sample_search(sample_store: Store) -> Search:
    """Search the store of the hand-made samples."""
    return _searcher(sample_store)


def assert_stu3(resource: Mapping[str, Any]) -> None:
    """Fail unless ``resource`` is valid STU3 to fhir.resources, with its keys in FHIR element order.

    Key order matters: the XML writer follows it, and FHIR XML requires definition order.
    """
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    _assert_same_order(resource, model.model_dump(mode="json", by_alias=True, exclude_none=True), "$")


def _assert_same_order(ours: Any, canonical: Any, where: str) -> None:
    if isinstance(ours, Mapping):
        assert list(ours) == [key for key in canonical if key in ours], f"element order at {where}"
        for key, value in ours.items():
            _assert_same_order(value, canonical[key], f"{where}.{key}")
    elif isinstance(ours, list):
        for index, (item, canonical_item) in enumerate(zip(ours, canonical, strict=True)):
            _assert_same_order(item, canonical_item, f"{where}[{index}]")
