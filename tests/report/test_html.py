"""report.html: one self-contained page; opened in a real headless Chromium, it renders, shows the conformance
matrix, and a failure expands to its curl command and response."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from carecheck.report import write_reports
from tests.packs import real_pack, synthetic_pack


def test_the_page_holds_every_section_and_loads_nothing_from_elsewhere(tmp_path: Path) -> None:
    write_reports(synthetic_pack(tmp_path))
    page = (tmp_path / "report.html").read_text()
    for section in ("facts", "totals", "charts", "failures", "matrix", "checklist", "scenarios"):
        assert f"<section id={section}>" in page, section
    assert not re.search(r"<(script|img|iframe)[^>]+src=|<link |@import|url\(", page, re.IGNORECASE)
    assert page.count("<svg") == 2
    assert "FAILED — 1 of 5 scenarios failed or could not run" in page
    assert "Failures (1)" in page and "expected status 404, got 200" in page
    assert "curl -X GET http://fhir.test/STU3/Patient/nope" in page
    assert "<a href='evidence/patient/read/unknown/001-GET-Patient-nope.json'>001-GET-Patient-nope.json</a>" in page
    assert "Search parameters: Patient" in page and "CC-SEARCH-PATIENT-FAMILY" in page


@pytest.mark.e2e
def test_a_real_report_renders_with_its_matrix_and_a_failure_expands(browser: Any, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    root = real_pack(tmp_path_factory, "faulty")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith("file:") else elsewhere.append(request.url))
    page.goto((root / "report.html").as_uri())
    assert page.title() == "carecheck report — reference"
    assert page.locator(".verdict").inner_text().startswith("FAILED")
    matrix = page.locator("#matrix table")
    assert matrix.is_visible()
    assert matrix.locator("tr.resource").count() == 14
    assert matrix.locator("td.cell-fail").count() >= 1 and matrix.locator("td.cell-pass").count() >= 5
    failure = page.locator("details.failure").first
    curl = failure.locator("pre.curl")
    assert not curl.is_visible()
    failure.locator("> summary").click()
    assert curl.is_visible()
    assert curl.inner_text().startswith("curl -X GET 'http://127.0.0.1:")
    assert "Bearer $TOKEN" in curl.inner_text()
    assert failure.locator("pre.response").inner_text().startswith("HTTP/1.1 200")
    page.fill("#filter", "an-unknown-patient")
    assert page.locator("details.scenario:visible").count() == 1
    assert page.locator("#checklist td.st-not-met").count() >= 1
    page.screenshot(path=str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert problems == [] and elsewhere == []
