"""The assurance checklist: each catalogue requirement met, not met, waived or not tested, with its evidence."""

from __future__ import annotations

from pathlib import Path

from carecheck.evidence import read_pack
from carecheck.fhir import parse_waivers
from carecheck.report import ChecklistItem, assurance_checklist, write_checklist
from carecheck.requirements import catalogue
from tests.packs import synthetic_pack

WAIVERS = """waivers:
  - {message: "expected status 404", check: status_code, reason: Accepted, owner: qa@x.example, expires: 2999-12-31}
  - {message: ".*", check: resource_type, reason: Accepted, owner: qa@x.example, expires: 2999-12-31}
"""


def items(root: Path) -> dict[str, ChecklistItem]:
    return {item.requirement.id: item for section in assurance_checklist(read_pack(root)) for item in section.items}


def test_each_requirement_gets_a_status_a_note_and_its_evidence(tmp_path: Path) -> None:
    found = items(synthetic_pack(tmp_path))
    assert set(catalogue()) <= set(found)
    not_met = found["CC-READ-404"]
    assert not_met.status == "not met" and "expected status 404, got 200" in not_met.note
    assert not_met.evidence == ("evidence/patient/read/unknown/001-GET-Patient-nope.json",)
    met = found["CC-GEN-FORMAT"]
    assert (met.status, met.note) == ("met", "1 scenario(s) passed; 1 warning(s)")
    assert met.evidence == ("evidence/patient/read/warned",)
    na = found["CC-SEARCH-CONDITION-CODE"]
    assert (na.status, na.level) == ("not applicable", None)
    assert na.note == "not a requirement at the IG conformance level in force (CORE: SHOULD)"
    gender = found["CC-SEARCH-PATIENT-GENDER"]
    assert (gender.status, gender.level, gender.category) == ("not tested", "SHALL", "not in this run")
    assert gender.note == "not in this run: no scenario of this run names it (the run recorded no scope)"


def test_a_waived_failure_makes_its_requirement_waived(tmp_path: Path) -> None:
    found = items(synthetic_pack(tmp_path, waivers=tuple(parse_waivers(WAIVERS))))
    assert found["CC-READ-404"].status == "waived" and "waived: Accepted" in found["CC-READ-404"].note


def test_sections_follow_the_catalogue_and_the_markdown_links_the_evidence(tmp_path: Path) -> None:
    root = synthetic_pack(tmp_path)
    sections = assurance_checklist(read_pack(root))
    titles = [section.title for section in sections]
    assert titles[0] == "Server prerequisites" and "Search parameters: Patient" in titles and "Read" in titles
    text = write_checklist(read_pack(root)).read_text()
    assert text.startswith("# Care Connect assurance checklist — synthetic")
    assert "| **CC-READ-404** Reading a resource that does not exist returns 404 Not Found. | SHALL | **not met** |" in text
    assert "[001-GET-Patient-nope.json](evidence/patient/read/unknown/001-GET-Patient-nope.json)" in text


def test_a_search_that_worked_is_met_while_the_profile_its_result_broke_is_not_met(tmp_path: Path) -> None:
    """Issue 13, item 10: each requirement for what it is, though the same scenario fails."""
    from carecheck.evidence import EvidenceWriter
    from tests.exchanges import BASE, exchange, patient, searchset
    from tests.packs import Check, run_scenario

    writer = EvidenceWriter(tmp_path)
    writer.update_run(target={"name": "t", "profile": {}}, started="2026-01-01T00:00:00.000+00:00", ended="2026-01-01T00:01:00.000+00:00")
    searched = exchange(searchset(patient(gender="banana")), url=f"{BASE}/Patient?family=X")
    result = run_scenario(
        writer, "patient/search/family", [searched], [Check("status_code", {"expected": [200]}), Check("searchset_bundle"), Check("profile_valid")],
        kind="search", requirements=("CC-SEARCH-PATIENT-FAMILY",), tags=("patient", "search"),
    )  # fmt: skip
    assert result["outcome"] == "failed"
    found = items(tmp_path)
    search = found["CC-SEARCH-PATIENT-FAMILY"]
    assert search.status == "met"
    assert search.note == "held in 1 scenario(s); 1 of them failed on other requirements (CC-GEN-META-PROFILE, CC-PROFILE-VALID)"
    profile = found["CC-PROFILE-VALID"]
    assert profile.status == "not met" and profile.note.startswith("patient/search/family: [profile-claim] missing meta.profile")
    text = write_checklist(read_pack(tmp_path)).read_text()
    assert "| **CC-SEARCH-PATIENT-FAMILY** " in text and "| SHALL | met | held in 1 scenario(s)" in text
