"""The error, format and property scenarios against a server with six classic faults: each fault fails its
scenario with a readable reason, and nothing else fails.

One faulty server carries them all, each confined to what it breaks: a 500 for a malformed date of birth,
an HTML page for an unknown resource type, `_format=xml` answered in JSON (metadata only), XML that says
another date of birth than the JSON (the known patient's read only), every write performed, and
Observation date searches that drop the records of the boundary day (`ge` on a day read as `gt`), which
only the property suite finds, shrunk to a minimal search.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from carecheck.refserver import EmbeddedServer, SecuritySettings, create_app
from tests.faults import Faults, Query

pytestmark = pytest.mark.e2e

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"
TAGS = "errors or formats or (property and observation)"


def malformed_birthdate(path: str, pairs: Query) -> bool:
    """The server crashes on a date of birth it cannot read, instead of refusing it."""
    for name, value in pairs:
        if path == "/STU3/Patient" and name == "birthdate":
            try:
                dt.date.fromisoformat(re.sub(r"^(eq|ne|gt|lt|ge|le|sa|eb|ap)", "", value))
            except ValueError:
                return True
    return False


def ge_day_as_gt(name: str) -> Callable[[Query], Query]:
    """`date=ge2018-11-29` is read as `gt2018-11-29`: the records of the boundary day are lost."""
    return lambda pairs: [(k, "gt" + v[2:] if k == name and re.fullmatch(r"ge\d{4}-\d{2}-\d{2}", v) else v) for k, v in pairs]


def without_format(pairs: Query) -> Query:
    return [(k, v) for k, v in pairs if k != "_format"]


def another_birth_date(body: bytes) -> bytes:
    return body.replace(b'<birthDate value="1927-06-19"/>', b'<birthDate value="1927-06-20"/>')


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    app = Faults(
        create_app(auth=SecuritySettings.load()),
        crash_on=malformed_birthdate,
        html_errors_under=("/STU3/CarecheckNoSuchType",),
        rewrite_query={"/STU3/metadata": without_format, "/STU3/Observation": ge_day_as_gt("date")},
        rewrite_xml={f"/STU3/Patient/{MEAKIN}": another_birth_date},
        accept_writes=True,
    )
    report_dir = tmp_path_factory.mktemp("faulty")
    with EmbeddedServer(app) as server:
        command = [sys.executable, "-m", "carecheck.cli", "run", "--base-url", server.base_url, "--report-dir", str(report_dir), "--tags", TAGS]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    summary = json.loads((report_dir / "summary.json").read_text())
    return {scenario["id"]: scenario for scenario in summary["scenarios"]}


def failed(report: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {i: s["message"] for i, s in report.items() if s["outcome"] == "failed"}


def one(report: dict[str, dict[str, Any]], pattern: str) -> dict[str, Any]:
    """The scenario whose id starts with `pattern` (a regular expression: long names are cut in ids)."""
    found = [scenario for scenario_id, scenario in report.items() if re.match(pattern, scenario_id)]
    assert found, f"no scenario {pattern}"
    return found[0]


@pytest.mark.parametrize(
    ("fault", "scenario", "reasons"),
    [
        ("500 for a malformed date", "errors/search_parameters/a-patient-search-with-a-thirteenth-month-is-refused",
         [("birthdate=1927-13-19: a server error (500) for a request that is the client's mistake; "
          "expected 400 or 422 (expectations.invalid_parameter_status: 400 or 422)")]),
        ("an HTML error body", "errors/not_found/a-resource-type-no-fhir-server-has-cannot-be-read",
         ["the error body is an HTML page (text/html), not a FHIR OperationOutcome"]),
        ("_format=xml answered with JSON", r"formats/capability_statement_format/the-capability-statement-in-the-format-format-names-.*--application-fhir-json$",
         ["_format=xml (over Accept: application/fhir+json) asks for FHIR XML (application/fhir+xml), but the answer is application/fhir+json"]),
        ("JSON and XML disagreeing on a field", "formats/parity/the-known-patient-reads-the-same-in-json-and-xml",
         [f'Patient/{MEAKIN} differs at /birthDate: Accept: application/fhir+json says "1927-06-19", Accept: application/fhir+xml says "1927-06-20"']),
        ("a write accepted with 200", "errors/read_only/the-read-only-api-refuses-to-put-a-patient",
         ["PUT http", "/STU3/Patient/carecheck-probe-", "the server performed the PUT (200), which must be refused with 405 or 403 or 501 (expectations.write_method_status: 405 or 403 or 501)"]),
        ("a search dropping the boundary day", "properties/search_properties/any-date-splits-the-known-patient-s-observation-records-in-two",
         ["&date=ge2018-11-29: Observation/", "is returned by neither date=ge2018-11-29 nor date=lt2018-11-29",
          "falsified: hypothesis's", "minimal one"]),
    ],
)  # fmt: skip
def test_each_fault_fails_its_scenario_with_a_readable_reason(report: dict[str, dict[str, Any]], fault: str, scenario: str, reasons: list[str]) -> None:
    found = one(report, scenario)
    assert found["outcome"] == "failed", f"{fault} was not caught: {found}"
    for reason in reasons:
        assert reason in found["message"], f"{fault}: {reason!r} not in {found['message']}"
    assert re.match(r"^\[[A-Z][A-Z0-9+\-, ]+\] (GET|POST|PUT|PATCH|DELETE) http", found["message"]), found["message"]
    assert "(evidence: evidence/" in found["message"]


def test_the_shrunk_search_is_the_evidence_the_judgement_names(report: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> None:
    split = one(report, "properties/search_properties/any-date-splits-the-known-patient-s-observation-records-in-two")
    assert split["message"].count("falsified") == 1, "the story is told once"
    evidence = re.search(r"\(evidence: (evidence/[^)]+)\)", split["message"])
    assert evidence and "GET-Observation" in evidence.group(1)


def test_the_boundary_day_escapes_every_hand_written_search(report: dict[str, dict[str, Any]]) -> None:
    hand_written = [i for i in report if i.startswith(("errors/search_parameters/", "formats/")) and "observation" in i]
    assert hand_written and not set(hand_written) & set(failed(report))


def test_nothing_outside_the_faulty_areas_fails(report: dict[str, dict[str, Any]]) -> None:
    allowed = (
        "errors/search_parameters/a-patient-search-with-",  # the crash on a malformed birthdate
        "errors/not_found/a-resource-type-no-fhir-server-has-cannot-be-",  # HTML error pages
        "formats/capability_statement_format/",  # _format ignored on metadata
        "formats/parity/the-known-patient-reads-the-same-in-json-and-xml--patient",
        "errors/read_only/",
        "properties/search_properties/any-date-splits-the-known-patient-s-observation",
        "properties/search_properties/post-search-finds-what-get-finds-for-a-observation",  # POST _search is not rewritten
    )
    unexpected = {i: m for i, m in failed(report).items() if not i.startswith(allowed)}
    assert not unexpected
    assert not [i for i, s in report.items() if s["outcome"] == "error"]
    crashed = [i for i in failed(report) if i.startswith("errors/search_parameters/a-patient-search-with-")]
    assert crashed and all("birthdate" in report[i]["message"] for i in crashed)
    ignored = [i for i in failed(report) if i.startswith("formats/capability_statement_format/")]
    assert len(ignored) == 8 and all("format-names-whatever-accept" in i for i in ignored), "only the _format scenarios fail on metadata"
    lines = [line for i in ignored for line in report[i]["message"].splitlines()]
    assert lines and all(re.search(r"GET \S+/metadata\?_format=\S+: _format=\S+ \(over ", line) for line in lines), "each failing cell names its _format"


def test_a_seed_reaches_the_property_suite(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "carecheck.cli", "run", "--report-dir", str(tmp_path), "--tags", "property and encounter", "--hypothesis-seed", "42"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    scenarios = json.loads((tmp_path / "summary.json").read_text())["scenarios"]
    assert len(scenarios) == 7
    for scenario in scenarios:
        judged = json.loads((tmp_path / scenario["evidence"] / "result.json").read_text())["judgements"][-1]
        assert "seed 42; budget 10 examples or 10 s" in judged["arguments"]["explored"], scenario["id"]
