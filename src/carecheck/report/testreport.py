"""`testreport.json`: the run as one FHIR STU3 TestReport, for tools that read TestReports.

`participant` names the target (server) and carecheck (test engine); `setup` holds an operation per
exchange the run made for itself (token, CapabilityStatement, test data); each scenario is a `test` with
one action per Gherkin step (`Given`/`When` an operation, `Then` an assert), each with its result, its
message and, in `detail`, the evidence file it rests on (relative to the report folder).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from carecheck import __version__
from carecheck.evidence import Pack, ScenarioRecord, write_json
from carecheck.report.summary import FAILING
from carecheck.report.traceability import evidence_file

__all__ = ["TESTREPORT_FILE", "fhir_testreport", "write_testreport"]

TESTREPORT_FILE = "testreport.json"
_SKIPPED = frozenset({"skipped", "not-applicable", "not-run"})
_STEP_RESULTS = {"passed": "pass", "failed": "fail", "error": "error"}
_SCENARIO_RESULTS = {"passed": "pass", "waived": "warning", "failed": "fail", "error": "error"}
_NOTES = 3


def _id(pack: Pack) -> str:
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", str((pack.run.get("target") or {}).get("name") or "target"))
    stamp = re.sub(r"[^0-9]", "", str(pack.run.get("started") or ""))[:17]
    return f"carecheck-{name}-{stamp}".strip("-")[:64]


def _text(value: str) -> str:
    """FHIR strings may not be empty or only whitespace."""
    return value.strip() or "-"


def _setup(pack: Pack) -> dict[str, Any] | None:
    actions = []
    for purpose, records in pack.session_exchanges().items():
        for record in records:
            status = record.exchange.status
            result = "error" if status is None else "pass" if status < 400 else "warning"
            message = f"run {purpose}: {record.exchange.describe()}"
            actions.append({"operation": {"result": result, "message": message, "detail": record.path}})
    return {"action": actions} if actions else None


def _judged(scenario: ScenarioRecord, span: Sequence[int]) -> list[Mapping[str, Any]]:
    first, last = (span[0], span[1]) if len(span) == 2 else (0, 0)
    return list(scenario.judgements[first:last])


def _detail(scenario: ScenarioRecord, judgements: list[Mapping[str, Any]], exchanges: Sequence[str]) -> str | None:
    """The evidence file an action rests on: a failing finding's exchange, else the first it judged or sent."""
    findings = [f for j in judgements for f in j.get("findings") or ()]
    wrong = next((f for f in findings if f.get("outcome") in ("fail", "waived")), None)
    if wrong is not None and evidence_file(scenario, wrong.get("exchange")):
        return evidence_file(scenario, wrong.get("exchange"))
    for judgement in judgements:
        for exchange_id in (judgement.get("interaction") or {}).get("exchanges") or ():
            return evidence_file(scenario, exchange_id)
    return f"{scenario.evidence}/{exchanges[0]}" if exchanges else None


def _notes(judgements: list[Mapping[str, Any]]) -> list[str]:
    findings = [f for j in judgements for f in j.get("findings") or ()]
    notes = [f"not judged: {f.get('message')}" for f in findings if f.get("outcome") == "unjudged"]
    notes += [f"waived: {f.get('message')} ({f.get('waiver')})" for f in findings if f.get("outcome") == "waived"]
    notes += [f"warning: {f.get('message')}" for f in findings if f.get("outcome") == "warn"]
    return notes[:_NOTES] + ([f"and {len(notes) - _NOTES} more"] if len(notes) > _NOTES else [])


def _step_action(scenario: ScenarioRecord, step: Mapping[str, Any]) -> dict[str, Any]:
    judgements = _judged(scenario, step.get("judgements") or ())
    first, last = (step.get("exchanges") or (0, 0))[:2]
    exchanges = scenario.exchange_files[first:last]
    outcome = str(step.get("outcome"))
    notes = _notes(judgements)
    result = "skip" if outcome in _SKIPPED else _STEP_RESULTS.get(outcome, "error")
    if result == "pass" and any(note.startswith("not judged:") for note in notes):
        result = "skip"
    elif result == "pass" and notes:
        result = "warning"
    message = f"{step.get('keyword')} {step.get('text')}".strip()
    if outcome in ("failed", "error", "not-applicable", "skipped"):
        message += f" — {scenario.outcome}: {scenario.message}"
    elif outcome == "not-run":
        message += " — not run"
    elif notes:
        message += " — " + "; ".join(notes)
    body: dict[str, Any] = {"result": result, "message": _text(message)}
    detail = _detail(scenario, judgements, exchanges)
    if detail:
        body["detail"] = detail
    return {"assert" if step.get("type") == "then" else "operation": body}


def _judgement_action(scenario: ScenarioRecord, judgement: Mapping[str, Any]) -> dict[str, Any]:
    """An assert per recorded judgement, for packs written before steps were recorded."""
    outcomes = {f.get("outcome") for f in judgement.get("findings") or ()}
    result = "fail" if "fail" in outcomes else "skip" if "unjudged" in outcomes else "warning" if outcomes & {"waived", "warn"} else "pass"
    wrong = [f.get("message") for f in judgement.get("findings") or () if f.get("outcome") != "pass"]
    body: dict[str, Any] = {"result": result, "message": _text(f"check {judgement.get('check')}: " + ("; ".join(map(str, wrong[:_NOTES])) or "passed"))}
    detail = _detail(scenario, [judgement], ())
    if detail:
        body["detail"] = detail
    return {"assert": body}


def _test(scenario: ScenarioRecord) -> dict[str, Any]:
    if scenario.steps:
        actions = [_step_action(scenario, step) for step in scenario.steps]
    elif scenario.judgements:
        actions = [_judgement_action(scenario, judgement) for judgement in scenario.judgements]
    else:
        result = _SCENARIO_RESULTS.get(scenario.outcome, "skip")
        operation: dict[str, Any] = {"result": result, "message": _text(f"{scenario.outcome}: {scenario.message}")}
        if scenario.exchange_files:
            operation["detail"] = f"{scenario.evidence}/{scenario.exchange_files[0]}"
        actions = [{"operation": operation}]
    requirements = ", ".join(scenario.requirements) or "none"
    return {
        "name": _text(scenario.name),
        "description": f"{scenario.id} ({scenario.feature}): {scenario.outcome}; requirements {requirements}; evidence {scenario.evidence}",
        "action": actions,
    }


def fhir_testreport(pack: Pack) -> dict[str, Any]:
    """The TestReport resource for the pack."""
    target: Mapping[str, Any] = pack.run.get("target") or {}
    version = str(pack.run.get("harness_version") or __version__)
    outcomes = [scenario.outcome for scenario in pack.scenarios]
    judged = [o for o in outcomes if o not in ("not-applicable", "skipped", "inconclusive")]
    failing = any(o in FAILING for o in outcomes)
    report: dict[str, Any] = {
        "resourceType": "TestReport",
        "id": _id(pack),
        "name": f"carecheck Care Connect conformance run against {target.get('name', 'the target')}",
        "status": "completed" if pack.complete else "stopped",
        "testScript": {"display": f"carecheck Care Connect conformance suites (carecheck {version})"},
        "result": "fail" if failing else "pass" if pack.complete else "pending",
        "tester": f"carecheck {version}",
        "participant": [
            {"type": "server", "uri": str(target.get("base_url") or "urn:carecheck:unknown-target"), "display": str(target.get("name") or "target")},
            {"type": "test-engine", "uri": f"urn:carecheck:{version}", "display": f"carecheck {version}"},
        ],
    }
    if judged:
        report["score"] = round(100 * sum(o in ("passed", "waived") for o in judged) / len(judged), 2)
    issued = pack.run.get("ended") or pack.run.get("started")
    if issued:
        report["issued"] = issued
    setup = _setup(pack)
    if setup:
        report["setup"] = setup
    if pack.scenarios:
        report["test"] = [_test(scenario) for scenario in pack.scenarios]
    return report


def write_testreport(pack: Pack) -> dict[str, Any]:
    report = fhir_testreport(pack)
    write_json(pack.root / TESTREPORT_FILE, report)
    return report
