"""`report.html`: the whole run in one self-contained page (inline CSS, SVG and a few lines of script; no
network, no external asset) that a person opens in a browser.

It shows any banner (a server that is not STU3) and the verdict line with the run's scope and "SHALL
requirements tested: X of Y", the target and run facts, the warnings, the totals, the requirement coverage
(each untested SHALL/SHOULD requirement with its reason), charts (outcomes by area, response times), the
failure causes with their counts, the failures (requirement, message, the request as `curl`, the response),
the conformance matrix, the assurance checklist, and every scenario with its steps, checks and exchanges. Links to evidence files are relative,
so they work wherever the report folder is opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from carecheck.evidence import CAPABILITY_FILE, WAIVERS_FILE, Pack, ScenarioRecord, write_text
from carecheck.provenance import harness_text
from carecheck.report.charts import OUTCOME_COLOURS, latency_histogram, outcome_bars
from carecheck.report.checklist import STATUSES, ChecklistSection
from carecheck.report.cleanup import cleanup_banner
from carecheck.report.exchanges_html import WHOLE_BYTES, escape, exchange_html
from carecheck.report.headline import headline
from carecheck.report.matrix import MatrixRow
from carecheck.report.scope import scope_facts
from carecheck.report.summary import FAILING, OUTCOMES
from carecheck.report.traceability import evidence_file

__all__ = ["REPORT_FILE", "render_html", "write_html"]

REPORT_FILE = "report.html"
_CELL = {
    "failed": "fail",
    "error": "error",
    "waived": "waived",
    "inconclusive": "inconclusive",
    "passed": "pass",
    "not-applicable": "n/a",
    "skipped": "skipped",
    "not-tested": "not tested",
}
_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c1c1c;background:#fafafa}
header{background:#00305e;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:6px 24px;z-index:2}nav a{margin-right:14px}
main{padding:0 24px 40px;max-width:1400px}section{margin-top:28px}h2{border-bottom:2px solid #00305e;padding-bottom:4px}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef2f6}.facts th{width:190px}pre{background:#f3f3f3;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}
.verdict{font-size:18px;font-weight:600;padding:10px 14px;border-radius:4px;color:#fff;display:inline-block}
.tiles{display:flex;gap:10px;flex-wrap:wrap}.tile{background:#fff;border:1px solid #ddd;border-left:6px solid #999;padding:8px 14px;min-width:110px}
.tile b{display:block;font-size:22px}.charts{display:flex;gap:24px;flex-wrap:wrap}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}.chart text{font-size:11px;fill:#333}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;font-weight:600;min-width:44px;text-align:center}
details{background:#fff;border:1px solid #ddd;border-radius:3px;margin:4px 0;padding:4px 8px}summary{cursor:pointer}
details.failure{border-left:5px solid #c62828}details.exchange{margin-left:12px;background:#fcfcfc}
.status.bad,.error{color:#c62828}.msg{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;background:#fff4f4;padding:6px}
td.cell-fail,td.cell-error{background:#ffcdd2}td.cell-pass{background:#c8e6c9}td.cell-waived{background:#e1bee7}
td.cell-n\\/a,td.cell-skipped{background:#eceff1}td.cell-inconclusive{background:#fff9c4}td.cell-not-tested{color:#777}td.no{background:#fff3e0}
tr.resource th{background:#00305e;color:#fff}.muted{color:#777}.filters{margin:8px 0}.filters input{width:320px}
ol.steps li.failed,ol.steps li.error{color:#c62828;font-weight:600}ol.steps li.not-run,ol.steps li.skipped,ol.steps li.not-applicable{color:#888}
table.checklist{width:100%}table.checklist td:first-child{width:36%}table.checklist td:nth-child(4){width:34%}
.banner{background:#fff3e0;border:2px solid #ef6c00;padding:10px 14px;font-weight:600;margin-top:16px}
ul.warnings li{color:#8a4b00}table.causes td:first-child{text-align:right}
.st-met{color:#2e7d32;font-weight:600}.st-not-met{color:#c62828;font-weight:700}.st-waived{color:#6a1b9a;font-weight:600}.st-not-tested{color:#777}
"""
_SCRIPT = """
(function(){var q=document.getElementById('filter'),o=document.getElementById('outcome');
function apply(){var t=q.value.toLowerCase(),w=o.value;document.querySelectorAll('details.scenario').forEach(function(d){
d.hidden=!((!w||d.dataset.outcome===w)&&(!t||d.dataset.text.indexOf(t)>=0));});}
q.addEventListener('input',apply);o.addEventListener('change',apply);
document.getElementById('expand-failures').addEventListener('click',function(){
document.querySelectorAll('details.failure').forEach(function(d){d.open=true;});});})();
"""


def _badge(outcome: str) -> str:
    colour = OUTCOME_COLOURS.get(outcome, "#555")
    return f"<span class=badge style='background:{colour}'>{escape(outcome)}</span>"


def _facts(pack: Pack, summary: Mapping[str, Any]) -> str:
    run = pack.run
    target: Mapping[str, Any] = run.get("target") or {}
    profile: Mapping[str, Any] = target.get("profile") or {}
    line = headline(summary)
    testdata = run.get("testdata") or {}
    statement = pack.capability_statement or {}
    software = statement.get("software") or {}
    rows = [
        ("Target", f"{target.get('name', '?')} — {profile.get('description') or ''}"),
        ("FHIR base URL", target.get("base_url", "?")),
        ("Authentication", (profile.get("auth") or {}).get("type", "?")),
        ("Conformance level", str((profile.get("expectations") or {}).get("conformance", "ig")).upper()),
        *scope_facts(summary.get("scope") or {}),
        ("Test data patient", testdata.get("patient", "—")),
        ("Server software", f"{software.get('name', '—')} {software.get('version', '')}".strip()),
        ("FHIR version declared", statement.get("fhirVersion", "—")),
        ("Run", f"{run.get('started', '?')} to {run.get('ended') or 'not ended'}"),
        ("Harness", harness_text(run)),
    ]
    links = [f"<a href='{CAPABILITY_FILE}'>CapabilityStatement</a>"] if pack.capability_statement else []
    links += [f"<a href='{WAIVERS_FILE}'>waivers applied</a>"] if pack.waivers_file else []
    links += ["<a href='summary.json'>summary.json</a>", "<a href='testreport.json'>TestReport</a>", "<a href='checklist.md'>checklist.md</a>"]
    links += ["<a href='manifest.json'>manifest.json</a> (sha256 of every file; <code>carecheck verify</code>)"]
    rejudged = run.get("rejudged")
    if isinstance(rejudged, dict):
        rows.append(
            ("Re-judged", f"offline from {rejudged.get('pack')} (live run by carecheck {rejudged.get('live_harness_version')}) on {rejudged.get('at')}")
        )
        links.append("<a href='rejudge.json'>differences from the live verdicts</a>")
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    body += f"<tr><th>Files</th><td>{' · '.join(links)}</td></tr>"
    banners = "".join(f"<p class=banner>{escape(banner)}</p>" for banner in summary.get("banners") or ())
    warnings = summary.get("warnings") or []
    listed = "".join(f"<li>{escape(w['message'])}</li>" for w in warnings)
    warned = f"<h3>Warnings ({len(warnings)})</h3><ul class=warnings>{listed}</ul>" if warnings else ""
    return (
        f"<section id=facts>{banners}<p class=verdict style='background:{line.colour}'>{escape(line.text)}</p>"
        f"<table class=facts>{body}</table>{warned}</section>"
    )


def _coverage(summary: Mapping[str, Any]) -> str:
    found = summary.get("coverage") or {}
    rows = "".join(
        f"<tr><th>{escape(level)}</th><td>{n['tested']} of {n['applicable']}</td><td>{n['untested']}</td><td>{n['not-applicable']}</td></tr>"
        for level, n in (found.get("levels") or {}).items()
    )
    untested = "".join(
        f"<tr><td><a href='#r-{escape(u['id'])}'>{escape(u['id'])}</a></td><td>{escape(u['level'])}</td><td>{escape(u['category'])}</td><td>{escape(u['reason'])}</td></tr>"
        for u in found.get("untested") or ()
    )
    listing = (
        f"<h3>Not tested ({len(found.get('untested') or ())})</h3><table><tr><th>Requirement</th><th>Level</th><th>Why</th><th>Detail</th></tr>{untested}</table>"
        if untested
        else "<p>Every SHALL and SHOULD requirement that applies to this target was tested.</p>"
    )
    return (
        "<section id=coverage><h2>Requirement coverage</h2><table><tr><th>Level</th><th>Tested</th><th>Not tested</th>"
        f"<th>Not applicable</th></tr>{rows}</table>{listing}</section>"
    )


def _causes(summary: Mapping[str, Any]) -> str:
    grouped = summary.get("causes") or {}
    causes = grouped.get("causes") or []
    if not causes:
        return ""
    rows = "".join(
        f"<tr><td>{c['scenarios']}</td><td>{escape(', '.join(c['requirements']) or '—')}</td><td>{escape(c['check'] or '—')}</td>"
        f"<td>{escape(c['path'] or '—')}</td><td>{escape(c['message'])}</td>"
        f"<td><a href='#f-{escape(c['example']['scenario'])}'>{escape(c['example']['scenario'])}</a></td></tr>"
        for c in causes
    )
    return (
        f"<section id=causes><h2>Failure causes: {grouped.get('failed_scenarios', 0)} failed scenarios, {len(causes)} causes</h2>"
        "<p class=muted>Failures grouped by check, requirement, element path and message (numbers, ids and quoted values "
        "normalised); a scenario counts once per cause it shows.</p>"
        "<table class=causes><tr><th>Scenarios</th><th>Requirements</th><th>Check</th><th>Path</th><th>Message</th><th>Example</th></tr>"
        f"{rows}</table></section>"
    )


def _totals(summary: Mapping[str, Any]) -> str:
    totals = summary["totals"]
    tiles = [f"<div class=tile><b>{totals['scenarios']}</b>scenarios</div>"]
    tiles += [f"<div class=tile style='border-left-color:{OUTCOME_COLOURS[o]}'><b>{totals[o]}</b>{escape(o)}</div>" for o in OUTCOMES]
    return f"<section id=totals><h2>Totals</h2><div class=tiles>{''.join(tiles)}</div></section>"


def _charts(pack: Pack) -> str:
    areas: dict[str, Counter[str]] = {}
    for scenario in pack.scenarios:
        areas.setdefault(scenario.area, Counter())[scenario.outcome] += 1
    times = [record.exchange.elapsed_ms for s in pack.scenarios for record in pack.exchanges(s) if record.exchange.response]
    return (
        "<section id=charts><h2>Charts</h2><div class=charts>"
        f"<figure><figcaption>Scenario outcomes by area</figcaption>{outcome_bars(sorted(areas.items()))}</figure>"
        f"<figure><figcaption>Response times of the scenarios' exchanges</figcaption>{latency_histogram(times)}</figure>"
        "</div></section>"
    )


def _failing_exchange(pack: Pack, scenario: ScenarioRecord) -> tuple[Mapping[str, Any] | None, Any]:
    """The first failing finding, and the recorded exchange it is about (else the scenario's last)."""
    finding = next((f for _, f in scenario.findings() if f.get("outcome") == "fail"), None)
    records = pack.exchanges(scenario)
    path = evidence_file(scenario, finding.get("exchange")) if finding else None
    record = next((r for r in records if r.path == path), records[-1] if records else None)
    return finding, record


def _failures(pack: Pack) -> str:
    failing = [s for s in pack.scenarios if s.outcome in FAILING]
    blocks = []
    bodies: dict[str, str] = {}  # a big answer many scenarios failed on is shown once
    for scenario in failing:
        finding, record = _failing_exchange(pack, scenario)
        requirements = ", ".join((finding or {}).get("requirements") or scenario.requirements) or "—"
        step = next((f"{s.get('keyword')} {s.get('text')}" for s in scenario.steps if s.get("outcome") in ("failed", "error")), None)
        parts = [
            f"<p><b>Requirement:</b> {escape(requirements)} · <b>Feature:</b> {escape(scenario.feature)} · <a href='#s-{escape(scenario.id)}'>scenario details</a></p>",
            f"<div class=msg>{escape(scenario.message)}</div>",
        ]
        if step:
            parts.append(f"<p><b>Failed at:</b> {escape(step)}</p>")
        if record is not None:
            parts.append(exchange_html(record, limit=WHOLE_BYTES, opened=True, bodies=bodies))
        blocks.append(
            f"<details class=failure id='f-{escape(scenario.id)}'><summary>{_badge(scenario.outcome)} <b>{escape(scenario.name)}</b>"
            f" <span class=muted>{escape(scenario.id)} · {escape(requirements)}</span></summary>{''.join(parts)}</details>"
        )
    if not blocks:
        return "<section id=failures><h2>Failures</h2><p>No scenario failed.</p></section>"
    button = "<button id=expand-failures type=button>Expand all failures</button>"
    return f"<section id=failures><h2>Failures ({len(blocks)})</h2>{button}{''.join(blocks)}</section>"


def _declared(value: bool | None, level: str | None) -> tuple[str, str]:
    if value is None:
        return "", "—"
    if value:
        return "", "yes"
    return " class=no", "NO" if level == "SHALL" else "no"


def _matrix(rows: Sequence[MatrixRow], conformance: str) -> str:
    head = "<tr><th>Interaction / parameter</th><th>Kind</th><th>IG</th><th>CORE</th><th>Declared</th><th>Observed</th><th>Scenarios</th></tr>"
    body = []
    current = None
    for row in rows:
        if row.resource_type != current:
            current = row.resource_type
            body.append(f"<tr class=resource><th colspan=7>{escape(current)}</th></tr>")
        level = row.ig if conformance == "ig" else row.core
        cls, declared = _declared(row.declared, level)
        cell = row.observed
        counts = ", ".join(f"{n} {o}" for o, n in sorted(cell.counts.items(), key=lambda item: OUTCOMES.index(item[0]) if item[0] in OUTCOMES else 9))
        listed = "\n".join(cell.scenarios[:12]) + (f"\n… and {len(cell.scenarios) - 12} more" if len(cell.scenarios) > 12 else "")
        body.append(
            f"<tr data-requirement='{escape(row.requirement or '')}'><td>{escape(row.name)}</td><td>{escape(row.kind)}</td>"
            f"<td>{escape(row.ig or '—')}</td><td>{escape(row.core or '—')}</td><td{cls}>{declared}</td>"
            f"<td class='cell-{_CELL[cell.status].replace(' ', '-')}'>{escape(_CELL[cell.status])}</td>"
            f"<td title='{escape(listed)}'>{escape(counts or '—')}</td></tr>"
        )
    legend = (
        "<p class=muted>Declared: what the target's CapabilityStatement says (NO: a SHALL it does not declare). Observed: the most telling "
        "outcome of the scenarios that exercised it (fail, error, waived, pass, n/a); hover the counts for the scenarios. "
        f"Levels in force for this run: {escape(conformance.upper())}.</p>"
    )
    return f"<section id=matrix><h2>Conformance matrix</h2>{legend}<table class=matrix>{head}{''.join(body)}</table></section>"


def _checklist(sections: Sequence[ChecklistSection]) -> str:
    items = [item for section in sections for item in section.items]
    counts = " · ".join(f"{sum(1 for i in items if i.status == s)} {s}" for s in STATUSES)
    parts = [f"<section id=checklist><h2>Assurance checklist</h2><p>{escape(counts)} (also in <a href='checklist.md'>checklist.md</a>)</p>"]
    for section in sections:
        rows = "".join(
            f"<tr id='r-{escape(i.requirement.id)}'><td><b>{escape(i.requirement.id)}</b> {escape(i.requirement.text)}</td><td>{escape(i.level or '—')}</td>"
            f"<td class='st-{i.status.replace(' ', '-')}'>{escape(i.status)}</td><td>{escape(i.note)}</td>"
            f"<td>{' '.join(f'<a href={chr(39)}{escape(p)}{chr(39)}>{escape(Path(p).name)}</a>' for p in i.evidence)}</td></tr>"
            for i in section.items
        )
        parts.append(
            f"<h3>{escape(section.title)}</h3><table class=checklist><tr><th>Requirement</th><th>Level</th><th>Status</th>"
            f"<th>Note</th><th>Evidence</th></tr>{rows}</table>"
        )
    parts.append("</section>")
    return "".join(parts)


def _scenario(pack: Pack, scenario: ScenarioRecord) -> str:
    steps = "".join(
        f"<li class='{escape(s.get('outcome'))}'>{escape(s.get('keyword'))} {escape(s.get('text'))} <span class=muted>({escape(s.get('outcome'))})</span></li>"
        for s in scenario.steps
    )
    checks = "".join(
        f"<tr><td>{escape(j.get('check'))}</td><td>{escape(', '.join(f'{n} {o}' for o, n in Counter(str(f.get('outcome')) for f in j.get('findings') or ()).items()))}</td>"
        f"<td>{escape(next((f.get('message') for f in j.get('findings') or () if f.get('outcome') != 'pass'), ''))}</td></tr>"
        for j in scenario.judgements
    )
    shown: set[str] = set()
    exchanges = "".join(exchange_html(record, shown=shown) for record in pack.exchanges(scenario))
    text = " ".join((scenario.id, scenario.name, scenario.feature, *scenario.requirements)).lower()
    return (
        f"<details class=scenario id='s-{escape(scenario.id)}' data-outcome='{escape(scenario.outcome)}' data-text='{escape(text)}'>"
        f"<summary>{_badge(scenario.outcome)} {escape(scenario.name)} <span class=muted>{escape(scenario.id)}</span></summary>"
        f"<p><b>Feature:</b> {escape(scenario.feature)} · <b>Tags:</b> {escape(', '.join(scenario.tags))} · "
        f"<b>Requirements:</b> {escape(', '.join(scenario.requirements) or '—')} · <a href='{escape(scenario.evidence)}/'>evidence folder</a></p>"
        + (f"<div class=msg>{escape(scenario.message)}</div>" if scenario.message else "")
        + (f"<ol class=steps>{steps}</ol>" if steps else "")
        + (f"<table><tr><th>Check</th><th>Findings</th><th>First non-pass message</th></tr>{checks}</table>" if checks else "")
        + (f"<h4>Exchanges</h4>{exchanges}" if exchanges else "")
        + "</details>"
    )


def _scenarios(pack: Pack) -> str:
    options = "".join(f"<option>{o}</option>" for o in OUTCOMES)
    filters = (
        "<div class=filters><input id=filter type=search placeholder='filter by id, name or requirement'> "
        f"<select id=outcome><option value=''>every outcome</option>{options}</select></div>"
    )
    groups: dict[str, list[str]] = {}
    for scenario in sorted(pack.scenarios, key=lambda s: s.id):
        groups.setdefault(scenario.area, []).append(_scenario(pack, scenario))
    body = "".join(f"<h3>{escape(area)} ({len(items)})</h3>{''.join(items)}" for area, items in groups.items())
    return f"<section id=scenarios><h2>Scenarios</h2>{filters}{body}</section>"


def render_html(pack: Pack, summary: Mapping[str, Any], matrix: Sequence[MatrixRow], checklist: Sequence[ChecklistSection]) -> str:
    """The page, from the pack and the views derived from it."""
    target = (pack.run.get("target") or {}).get("name", "target")
    conformance = str((((pack.run.get("target") or {}).get("profile") or {}).get("expectations") or {}).get("conformance", "ig"))
    sections = (
        ("facts", "Run"),
        ("totals", "Totals"),
        ("coverage", "Coverage"),
        ("charts", "Charts"),
        ("causes", "Causes"),
        ("failures", "Failures"),
        ("matrix", "Conformance matrix"),
        ("checklist", "Checklist"),
        ("scenarios", "Scenarios"),
    )
    nav = "".join(f"<a href='#{a}'>{t}</a>" for a, t in sections)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>carecheck report — {escape(target)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>Care Connect conformance report — {escape(target)}</h1></header><nav>{nav}</nav><main>"
        + _facts(pack, summary)
        + cleanup_banner(summary.get("write_cleanup"))
        + _totals(summary)
        + _coverage(summary)
        + _charts(pack)
        + _causes(summary)
        + _failures(pack)
        + _matrix(matrix, conformance)
        + _checklist(checklist)
        + _scenarios(pack)
        + f"</main><script>{_SCRIPT}</script></body></html>\n"
    )


def write_html(pack: Pack, summary: Mapping[str, Any], matrix: Sequence[MatrixRow], checklist: Sequence[ChecklistSection]) -> Path:
    path = pack.root / REPORT_FILE
    write_text(path, render_html(pack, summary, matrix, checklist))
    return path
