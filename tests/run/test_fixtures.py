"""The fixtures' own logic: a scenario that sends no Accept at all. (Every fixture is built from the run's facts and
used by every end-to-end run: tests/run/test_owner.py counts what a run obtains, and how often.)"""

from __future__ import annotations

import httpx

from carecheck.run.fixtures import _omit_empty_accept


def test_an_empty_accept_is_left_out_and_others_kept() -> None:
    empty = httpx.Request("GET", "http://fhir.test/STU3/metadata", headers={"Accept": ""})
    chosen = httpx.Request("GET", "http://fhir.test/STU3/metadata", headers={"Accept": "application/fhir+xml"})
    _omit_empty_accept(empty)
    _omit_empty_accept(chosen)
    assert "accept" not in empty.headers and chosen.headers["accept"] == "application/fhir+xml"
