"""Recording a baseline from an evidence pack: what is pinned, what is left out and why, and which packs are refused."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from carecheck.baseline import record_baseline
from carecheck.checks import CheckFailed, Verdict
from carecheck.errors import EvidenceError
from carecheck.evidence import EvidenceWriter
from carecheck.http import Exchange, Interaction
from tests.exchanges import BASE, exchange, patient, searchset
from tests.packs import ENDED, STARTED, seal


def page(query: str, *resources: dict[str, Any], number: int = 1, total: int | None = None, next_url: str | None = None, status: int = 200) -> Exchange:
    body = searchset(*resources, total=total, next_url=next_url) if status == 200 else {"resourceType": "OperationOutcome"}
    return exchange(body, url=f"{BASE}/Patient?{query}", exchange_id=f"{number:03d}", status=status)


def scenario(writer: EvidenceWriter, scenario_id: str, *searches: tuple[Exchange, ...]) -> None:
    """A scenario whose steps made `searches` (each a chain of pages) and judged each for soundness."""
    evidence = writer.scenario(scenario_id)
    evidence.start({"id": scenario_id, "feature": "Synthetic", "name": scenario_id, "tags": [], "requirements": [], "started": STARTED})
    verdict = Verdict()
    for pages in searches:
        for one in pages:
            evidence.record(one)
        with contextlib.suppress(CheckFailed):  # the refused search fails its check, and is recorded all the same
            verdict.judge("searchset_bundle", Interaction("search", "Patient", pages))
    evidence.finish({"id": scenario_id, "outcome": "passed", "message": "", "ended": STARTED, "judgements": [j.to_data() for j in verdict.judgements]})


def pack(root: Path, *, complete: bool = True) -> Path:
    writer = EvidenceWriter(root)
    writer.update_run(target={"name": "synthetic", "base_url": BASE}, harness_version="0.1.0", started=STARTED)
    two_pages = (
        page("family=m&_count=1", patient("m"), total=2, next_url=f"{BASE}/Patient?family=m&_count=1&_offset=1"),
        page("family=m&_count=1&_offset=1", patient("n"), number=2, total=2),
    )
    scenario(
        writer, "patient/search/known",
        two_pages,
        (page(f"general-practitioner={BASE}/Practitioner/g1", patient("m"), number=3),),
        (page("birthdate=ap1927", patient("m"), number=4),),
        (page("birthdate=13", number=5, status=400),),
        (page("family=unfinished", patient("m"), number=6, next_url=f"{BASE}/Patient?family=unfinished&_offset=1"),),
    )  # fmt: skip
    scenario(
        writer,
        "patient/search/again",
        (page("family=m&_count=1", patient("m"), total=2, next_url=f"{BASE}/Patient?x", number=1), page("x", patient("n"), number=2, total=2)),
    )
    scenario(writer, "patient/search/differs", (page("gender=male", patient("m")),))
    scenario(writer, "patient/search/differs-again", (page("gender=male", patient("q")),))
    scenario(writer, "security/scopes/other-token", (page("family=secret", patient("m")),))
    if complete:
        writer.update_run(ended=ENDED, interrupted=False)
        seal(root)
    return root


def test_every_judged_search_is_pinned_with_its_ids_and_total(tmp_path: Path) -> None:
    baseline = record_baseline(pack(tmp_path), owner="qa@x.example", reason="accepted", recorded="2026-01-02")
    pins = {pin.search: pin for pin in baseline.pins}
    assert pins["Patient?family=m&_count=1"].ids == ("Patient/m", "Patient/n") and pins["Patient?family=m&_count=1"].total == 2
    assert pins["Patient?family=m&_count=1"].scenario in ("patient/search/known", "patient/search/again")  # where it was first seen
    assert pins["Patient?general-practitioner={base}/Practitioner/g1"].ids == ("Patient/m",)
    assert (baseline.owner, baseline.reason, baseline.target, baseline.recorded) == ("qa@x.example", "accepted", "synthetic", "2026-01-02")


def test_a_search_whose_pages_were_not_all_followed_pins_at_least_what_was_seen(tmp_path: Path) -> None:
    pins = {pin.search: pin for pin in record_baseline(pack(tmp_path), owner="qa", reason="r", recorded="now").pins}
    unfinished = pins["Patient?family=unfinished"]
    assert unfinished.ids is None and unfinished.at_least == ("Patient/m",) and unfinished.reason == "the run did not follow every page"


def test_what_is_left_out_is_said(tmp_path: Path) -> None:
    baseline = record_baseline(pack(tmp_path), owner="qa", reason="r", recorded="now")
    searches = {pin.search for pin in baseline.pins}
    assert not {"Patient?birthdate=ap1927", "Patient?birthdate=13", "Patient?family=secret", "Patient?gender=male"} & searches
    assert set(baseline.left_out) == {
        "1 × searches with the ap prefix (STU3 ties its margin to today, so the answer changes day by day)",
        "1 × searches not answered 200 with a searchset Bundle",
        "1 × the security scenarios' searches (made with other credentials, or none)",
        "1 × Patient?gender=male: matched differently in two scenarios of the run",
    }


def test_an_interrupted_or_altered_run_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="interrupted run: not a run to accept"):
        record_baseline(pack(tmp_path / "interrupted", complete=False), owner="qa", reason="r", recorded="now")
    altered = pack(tmp_path / "altered")
    (altered / "run.json").write_text("{}")
    with pytest.raises(EvidenceError, match="does not match its manifest"):
        record_baseline(altered, owner="qa", reason="r", recorded="now")
