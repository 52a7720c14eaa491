"""What a run says about itself, end to end: bad selections stop before any report exists, every report states
the run's scope and its untested SHALL requirements, sign-off mode fails such a run (exit 4), failures come
grouped by cause, a server that is not STU3 gets its banner, and a base URL that is not FHIR is said to be so."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.responses import HTMLResponse
from starlette.types import Receive, Scope, Send

from carecheck.cli import main
from carecheck.project import data_path
from carecheck.refserver import EmbeddedServer
from tests.faults import Faults
from tests.test_cli import carecheck, secured, summary

pytestmark = pytest.mark.e2e

WAIVERS = """waivers:
  - {message: "nothing ever says this", check: status_code, reason: Fixed long ago, owner: qa@x.example, expires: 2999-12-31}
  - {message: ".*", check: status_kode, reason: Typo, owner: qa@x.example, expires: 2999-12-31}
"""


def profile(tmp_path: Path, name: str, **settings: Any) -> Path:
    """The reference profile as a file of the user's: its test data trimmed to the patient, plus `settings`."""
    text = data_path("targets", "reference.yaml").read_text(encoding="utf-8")
    text = text.replace("../keys/", f"{data_path('keys')}/").replace("name: reference", f"name: {name}")
    text = text.split("  records:\n", 1)[0] + "  discover: false\n"
    path = tmp_path / f"{name}.yaml"
    path.write_text(text + "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items()), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ("--tags", "shall and and"),
            "carecheck: configuration error: --tags 'shall and and' is not a valid tag expression: at column 11: expected not OR left parenthesis OR identifier; got and",
        ),
        (("--tags", "("), "carecheck: configuration error: --tags '(' is not a valid tag expression: at column 2:"),
        (("--tags", "smoke or"), "carecheck: configuration error: --tags 'smoke or' is not a valid tag expression: at column 9:"),
        (("--suite", "nope"), "carecheck: configuration error: no suite named 'nope'"),
        (("--suite", "smoke", "--tags", "observation"), "carecheck: configuration error: --suite smoke --tags 'observation' selects no scenario of the "),
    ],
)
def test_each_bad_selection_is_exit_2_with_no_report_folder_and_no_latest_link(arguments: tuple[str, ...], line: str, tmp_path: Path) -> None:
    result = subprocess.run([*carecheck_command(), "run", *arguments], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(line) and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "reports").exists(), "no report folder, no reports/latest"


def carecheck_command() -> list[str]:
    from tests.test_cli import CARECHECK

    return CARECHECK


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    report_dir = tmp_path_factory.mktemp("smoke")
    return carecheck("run", "--suite", "smoke", "--report-dir", str(report_dir)), report_dir


def test_a_smoke_run_states_its_scope_and_its_untested_shall_requirements(smoke: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, report_dir = smoke
    assert result.returncode == 0, result.stdout + result.stderr
    report = summary(report_dir)
    scope = report["scope"]
    assert scope["suite"] == "smoke" and scope["scenarios"]["selected"] == report["totals"]["scenarios"] == 5
    assert scope["scenarios"]["in_suite"] > 500 and scope["workers"] == {"asked": 1, "used": 1} and scope["sign_off"] is False
    assert scope["base_url"]["profile"] == "embedded" and scope["base_url"]["override"] is None
    assert json.loads((report_dir / "run.json").read_text())["scope"]["suite"] == "smoke"
    shall = report["coverage"]["levels"]["SHALL"]
    assert 0 < shall["tested"] < shall["applicable"] and shall["untested"] == len([u for u in report["coverage"]["untested"] if u["level"] == "SHALL"])
    assert {u["category"] for u in report["coverage"]["untested"]} == {"not selected"}
    headline = report["headline"]
    assert headline["status"] == "PASSED, NOT FULLY TESTED"
    assert f"suite smoke: 5 of {scope['scenarios']['in_suite']} scenarios of the full suite" in headline["text"]
    assert f"SHALL requirements tested: {shall['tested']} of {shall['applicable']}" in headline["text"]
    html = (report_dir / "report.html").read_text()
    assert headline["text"] in html.replace("&#x27;", "'") and "Requirement coverage" in html and "Sign-off mode" in html
    assert f"**{headline['text']}**" in (report_dir / "checklist.md").read_text()
    last = result.stdout.splitlines()[-1]
    assert last.startswith(f"carecheck: 5 of {scope['scenarios']['in_suite']} (suite smoke) scenarios against reference: 5 passed; SHALL requirements tested: ")
    assert "— PASSED, NOT FULLY TESTED — report: " in last


def test_sign_off_mode_fails_a_run_that_left_shall_requirements_untested_with_exit_4(tmp_path: Path) -> None:
    result = carecheck("run", "--suite", "smoke", "--sign-off", "--report-dir", str(tmp_path))
    assert result.returncode == 4, result.stdout + result.stderr
    assert summary(tmp_path)["headline"]["status"] == "NOT SIGNED OFF"
    assert "— NOT SIGNED OFF — report: " in result.stdout.splitlines()[-1]


def test_a_mostly_not_applicable_run_says_what_it_left_untested_and_why(tmp_path: Path) -> None:
    """A profile whose clinical records are unknown: every clinical scenario is not applicable, the run is no
    green PASSED, and the profile's own `sign_off: true` fails it."""
    sparse = profile(tmp_path, "sparse", sign_off=True)
    result = carecheck("run", "--target", str(sparse), "--tags", "clinical and shall", "--report-dir", str(tmp_path / "run"))
    assert result.returncode == 4, result.stdout + result.stderr
    report = summary(tmp_path / "run")
    assert report["totals"]["not-applicable"] == report["totals"]["scenarios"] > 20
    untested = {u["id"]: u for u in report["coverage"]["untested"] if u["level"] == "SHALL"}
    assert untested["CC-SEARCH-CONDITION-PATIENT"]["category"] == "no test data"
    assert "no known Condition record" in untested["CC-SEARCH-CONDITION-PATIENT"]["reason"]
    assert report["headline"]["status"] == "NOT SIGNED OFF" and report["scope"]["sign_off"] is True
    assert "carecheck: " in result.stdout and "CC-SEARCH-CONDITION-PATIENT: no test data: " in result.stdout
    assert "| CC-SEARCH-CONDITION-PATIENT " not in (tmp_path / "run" / "checklist.md").read_text()


@pytest.fixture
def profile_broken_server() -> Iterator[str]:
    """Answers every Patient search with patients whose gender is no administrative gender: the searches still
    work (the oracle reads the gender as given), the profile does not."""

    def nonsense(bundle: dict[str, Any]) -> dict[str, Any]:
        for entry in bundle.get("entry") or []:
            if (entry.get("resource") or {}).get("resourceType") == "Patient":
                entry["resource"]["gender"] = "nonsense"
        return bundle

    with EmbeddedServer(Faults(secured(), rewrite_body={"/STU3/Patient": nonsense})) as server:
        yield server.base_url


def test_failures_come_grouped_by_cause_and_each_requirement_is_judged_for_what_it_is(profile_broken_server: str, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS)
    result = carecheck(
        "run", "--base-url", profile_broken_server, "--tags", "patient and search and shall", "--waivers", str(waivers), "--report-dir", str(tmp_path / "run")
    )
    report_dir = tmp_path / "run"
    report = summary(report_dir)
    assert result.returncode == 1
    failed = report["totals"]["failed"]
    causes = report["causes"]
    assert causes["failed_scenarios"] == failed > 20 and causes["count"] == len(causes["causes"]) < failed
    profile_cause = next(c for c in causes["causes"] if c["check"] == "profile_valid" and c["path"] == "Patient.gender")
    assert profile_cause["requirements"] == ["CC-PROFILE-VALID"] and profile_cause["scenarios"] >= 10
    assert '"…" is not in the required value set' in profile_cause["message"] and "nonsense" in profile_cause["example"]["message"]
    lines = result.stdout.splitlines()
    assert f"carecheck: {failed} failed scenarios, {causes['count']} cause{'s' if causes['count'] > 1 else ''}:" in lines
    assert f"  … and {failed - 20} more failures: see {report_dir / 'report.html'}" in lines
    assert (
        "carecheck: warning: waiver 1 (Fixed long ago; qa@x.example) matched no finding in this run: the deviation may be fixed, or the waiver mistyped"
        in lines
    )
    assert any(line.startswith("carecheck: warning: waiver 2 (Typo; qa@x.example) names check 'status_kode'") for line in lines)
    assert [w["kind"] for w in report["warnings"]] == ["unused", "unknown-check"]
    html = (report_dir / "report.html").read_text()
    assert f"Failure causes: {failed} failed scenarios, {causes['count']} causes" in html and "Warnings (2)" in html
    categories = json.loads((report_dir / "allure-results" / "categories.json").read_text())
    named = f"profiles: {profile_cause['message']} (profile_valid at Patient.gender; {profile_cause['scenarios']} scenario(s))"
    assert named in [category["name"] for category in categories], "one Allure category per cause, named by its requirement area"
    areas = [category["name"].split(":", 1)[0] for category in categories[:-2]]
    assert areas == sorted(areas, key=["search", "profiles"].index), "listed area by area, in the catalogue's order"
    checklist = (report_dir / "checklist.md").read_text()
    identifier = next(line for line in checklist.splitlines() if line.startswith("| **CC-SEARCH-PATIENT-IDENTIFIER**"))
    assert "| met | held in " in identifier and "failed on other requirements (CC-PROFILE-VALID)" in identifier
    assert next(line for line in checklist.splitlines() if line.startswith("| **CC-PROFILE-VALID**")).count("**not met**") == 1


@pytest.fixture
def fhir_r4_server() -> Iterator[str]:
    with EmbeddedServer(Faults(secured(), rewrite_body={"/STU3/metadata": lambda statement: {**statement, "fhirVersion": "4.0.1"}})) as server:
        yield server.base_url


def test_a_server_of_another_fhir_version_gets_the_banner_first_everywhere(fhir_r4_server: str, tmp_path: Path) -> None:
    result = carecheck("run", "--base-url", fhir_r4_server, "--suite", "smoke", "--report-dir", str(tmp_path))
    assert result.returncode == 1
    banner = "this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x); 1 failure(s) follow from it"
    assert (
        result.stdout.splitlines()[0]
        == "carecheck: WARNING: reference: this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x): failures of the version and of the STU3 profiles follow from it"
    )
    assert any(line.startswith(f"carecheck: WARNING: {banner}") for line in result.stdout.splitlines())
    assert summary(tmp_path)["banners"][0].startswith(banner)
    assert f"<p class=banner>{banner}" in (tmp_path / "report.html").read_text()
    assert f"> **Warning:** {banner}" in (tmp_path / "checklist.md").read_text()
    failed = [s["id"] for s in summary(tmp_path)["scenarios"] if s["outcome"] == "failed"]
    assert failed == ["capability/capability_statement/the-server-implements-fhir-stu3"]


def test_a_profile_can_stop_a_run_against_another_fhir_version(fhir_r4_server: str, tmp_path: Path) -> None:
    stopping = profile(tmp_path, "strict", other_fhir_version="stop")
    result = carecheck("run", "--target", str(stopping), "--base-url", fhir_r4_server, "--report-dir", str(tmp_path / "run"))
    assert result.returncode == 3
    assert (
        result.stderr
        == "carecheck: wrong server: this server declares FHIR 4.0.1; Care Connect is STU3 (3.0.x), and the profile says other_fhir_version: stop (set it to continue to run the scenarios anyway)\n"
    )
    assert not (tmp_path / "run").exists()


def test_a_base_url_that_is_not_fhir_is_said_so_before_anything_about_tokens(tmp_path: Path) -> None:
    async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
        await HTMLResponse("<html><body><h1>404 Not Found</h1></body></html>", status_code=404)(scope, receive, send)

    with EmbeddedServer(not_found) as server:
        base_url = server.base_url
        result = carecheck("run", "--base-url", base_url, "--report-dir", str(tmp_path / "run"))
    assert result.returncode == 3
    assert result.stderr.startswith(f"carecheck: wrong server: {base_url}/metadata answered 404 (text/html; charset=utf-8)")
    assert "is this the FHIR base URL?" in result.stderr and "token" not in result.stderr
    assert not (tmp_path / "run").exists()


def test_list_shows_the_check_names_a_waiver_may_use_and_the_requirements(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "checks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("profile_valid  CC-PROFILE-VALID  Every resource") for line in lines) and len(lines) > 30
    assert main(["list", "requirements", "--json"]) == 0
    requirements = json.loads(capsys.readouterr().out)
    assert {"id": "CC-READ-404", "level": "SHALL"}.items() <= next(r for r in requirements if r["id"] == "CC-READ-404").items()
    assert main(["list", "checks", "--json"]) == 0
    assert "status_code" in {c["name"] for c in json.loads(capsys.readouterr().out)}
