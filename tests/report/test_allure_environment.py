"""The Allure Environment and Executors panels: the run's facts from run.json, escaped as Java properties."""

from __future__ import annotations

import json
from pathlib import Path

from carecheck.evidence import EvidenceWriter, read_pack
from carecheck.report import allure_environment, allure_executor, write_reports
from carecheck.report.allure_environment import properties_text
from tests.packs import synthetic_pack


def test_the_environment_names_target_version_scope_verdict_and_harness(tmp_path: Path) -> None:
    root = synthetic_pack(tmp_path)
    (root / "allure-results").mkdir()
    EvidenceWriter(root).update_run(
        scope={"suite": "smoke", "tags": "patient and not core"},
        harness_commit="0123456789abcdef0123456789abcdef01234567",
        features_sha256="f" * 64,
        executor={"name": "GitLab CI", "type": "gitlab", "build": "nhs/assure pipeline #12 (carecheck)", "url": "https://gitlab.example/j/5"},
    )
    summary = write_reports(root)
    environment = allure_environment(read_pack(root), summary)
    assert environment == {
        "target": "synthetic",
        "base.url": "http://fhir.test/STU3",
        "fhir.version.declared": "3.0.1",
        "conformance": "IG",
        "suite": "smoke",
        "tags": "patient and not core",
        "verdict": summary["headline"]["text"],
        "started": "2026-01-01T00:00:00.000+00:00",
        "complete": "yes",
        "harness.version": "0.1.0",
        "harness.commit": "0123456789abcdef0123456789abcdef01234567",
        "features.sha256": "f" * 64,
    }
    written = (root / "allure-results" / "environment.properties").read_text(encoding="ascii")
    assert "tags=patient and not core\n" in written and written.startswith("target=synthetic\n")
    executor = json.loads((root / "allure-results" / "executor.json").read_text())
    assert executor == {
        "name": "GitLab CI",
        "type": "gitlab",
        "buildName": "nhs/assure pipeline #12 (carecheck) · synthetic 2026-01-01T00:00:00.000+00:00",
        "reportName": "carecheck: synthetic",
        "buildUrl": "https://gitlab.example/j/5",
    }


def test_an_unknown_commit_and_an_interrupted_run_say_so_and_a_run_without_ci_names_its_target(tmp_path: Path) -> None:
    pack = read_pack(synthetic_pack(tmp_path, complete=False))
    summary = {"headline": {"text": "INCOMPLETE — the run was interrupted"}}
    environment = allure_environment(pack, summary)
    assert environment["harness.commit"] == "unknown" and environment["complete"].startswith("no (interrupted")
    assert environment["suite"] == "full" and environment["tags"] == "none"
    assert allure_executor(pack) == {
        "name": "carecheck",
        "type": "carecheck",
        "buildName": "synthetic 2026-01-01T00:00:00.000+00:00",
        "reportName": "carecheck: synthetic",
    }


def test_properties_are_escaped_so_java_and_allure_read_the_value_back() -> None:
    text = properties_text({"a key=b:c": " leading space, back\\slash\nnew line", "nhs.name": "Ærø — 🙂", "#hash": "x"})
    assert text.splitlines() == [
        "a\\ key\\=b\\:c=\\ leading space, back\\\\slash\\nnew line",
        "nhs.name=\\u00c6r\\u00f8 \\u2014 \\ud83d\\ude42",
        "\\#hash=x",
    ]
    assert text.isascii()


def test_no_allure_results_folder_no_files(tmp_path: Path) -> None:
    write_reports(synthetic_pack(tmp_path))
    assert not (tmp_path / "allure-results").exists()
