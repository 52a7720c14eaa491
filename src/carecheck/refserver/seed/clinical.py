"""A patient's synthetic clinical record: encounters, conditions, procedures, observations and allergies.

``clinical_records`` gives every patient two to four records of each of these types (observations
three to six), plus their medicines (``carecheck.refserver.seed.medicines``). Values are spread so
that every search parameter has resources that match and resources that do not: statuses and
categories vary, some elements are left out, Periods may be open at the end, and dates are
written as whole dates or to the second.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from carecheck.refserver.seed.chart import Chart
from carecheck.refserver.seed.directory import Directory
from carecheck.refserver.seed.medicines import immunizations, medication_requests, medication_statements
from carecheck.refserver.seed.vocabulary import (
    ALLERGIES,
    CONDITION_CATEGORY,
    CONDITIONS,
    ENCOUNTER_TYPES,
    OBSERVATION_CATEGORY,
    OBSERVATIONS,
    PROCEDURES,
    REACTIONS,
    UCUM,
    Code,
)

__all__ = ["clinical_records"]

_CATEGORIES = {
    "problem-list-item": "Problem List Item",
    "encounter-diagnosis": "Encounter Diagnosis",
    "presenting-complaint": "Presenting Complaint",
    "co-morbidity": "Co-morbidity",
    "issue": "Issue",
}
_OBSERVATION_CATEGORIES = {"vital-signs": "Vital Signs", "laboratory": "Laboratory", "survey": "Survey"}
_ALLERGY_STATUSES = {"active": 6, "inactive": 1, "resolved": 2}


def clinical_records(patient: Mapping[str, Any], directory: Directory, medication_ids: list[str]) -> Iterator[dict[str, Any]]:
    """Every synthetic record of ``patient`` (a Patient with an ``id``), citing the Medications ``medication_ids``."""
    chart = Chart(patient, directory)
    yield from _encounters(chart)
    yield from _conditions(chart)
    yield from _procedures(chart)
    yield from _observations(chart)
    yield from _allergies(chart)
    yield from medication_statements(chart, medication_ids)
    yield from medication_requests(chart, medication_ids)
    yield from immunizations(chart)


def _encounters(chart: Chart) -> Iterator[dict[str, Any]]:
    first: str | None = None
    for number in range(1, chart.count() + 1):
        kind, klass = chart.rng.choice(ENCOUNTER_TYPES)
        status = chart.pick({"finished": 14, "in-progress": 3, "cancelled": 2, "onleave": 1})
        start = chart.timeline.moment()
        end = chart.timeline.after(start, longest=timedelta(days=10)) if status in ("finished", "cancelled") else None
        hospital = klass.code != "AMB" or chart.rng.random() < 0.5
        provider = chart.trust if hospital else chart.practice
        encounter = chart.start("Encounter", "encounter", number)
        encounter_id = encounter["id"]
        encounter |= chart.without_none(
            {
                "status": status,
                "class": {"system": klass.system, "code": klass.code, "display": klass.display},
                "type": [kind.concept()],
                "subject": chart.patient(),
                "participant": [{"individual": chart.clinician(hospital)}],
                "period": {"start": start.isoformat(), **({"end": end.isoformat()} if end else {})},
                "location": [{"location": {"reference": f"Location/{provider.location}"}}],
                "serviceProvider": {"reference": f"Organization/{provider.organization}"},
                "partOf": {"reference": f"Encounter/{first}"} if first and chart.rng.random() < 0.3 else None,
            }
        )
        first = first or encounter_id
        chart.encounters.append(encounter_id)
        yield encounter


def _conditions(chart: Chart) -> Iterator[dict[str, Any]]:
    for number in range(1, chart.count() + 1):
        status = chart.pick({"active": 5, "recurrence": 1, "inactive": 1, "remission": 1, "resolved": 3})
        category = chart.pick({"problem-list-item": 5, "encounter-diagnosis": 3, "presenting-complaint": 1, "issue": 1})
        onset = chart.timeline.moment()
        abated = status in ("inactive", "resolved") and chart.rng.random() < 0.8
        condition = chart.start("Condition", "condition", number)
        condition |= chart.without_none(
            {
                "clinicalStatus": status,
                "category": [Code(CONDITION_CATEGORY, category, _CATEGORIES[category]).concept()],
                "code": chart.rng.choice(CONDITIONS).concept(),
                "subject": chart.patient(),
                "context": chart.encounter(),
                "onsetDateTime": chart.timeline.written(onset, date_only_share=0.3),
                "abatementDateTime": (chart.timeline.after(onset, longest=timedelta(days=3 * 365)).isoformat() if abated else None),
                "assertedDate": chart.timeline.written(chart.timeline.after(onset, longest=timedelta(days=30)), date_only_share=0.5),
                "asserter": chart.clinician(),
            }
        )
        yield condition


def _procedures(chart: Chart) -> Iterator[dict[str, Any]]:
    for number in range(1, chart.count(2, 3) + 1):
        status = chart.pick({"completed": 8, "in-progress": 1, "aborted": 1})
        start = chart.timeline.moment()
        performed: dict[str, Any]
        if status == "in-progress":
            performed = {"performedPeriod": {"start": start.isoformat()}}
        elif chart.rng.random() < 0.5:
            performed = {"performedDateTime": chart.timeline.written(start, date_only_share=0.2)}
        else:
            end = chart.timeline.after(start, longest=timedelta(hours=6))
            performed = {"performedPeriod": {"start": start.isoformat(), "end": end.isoformat()}}
        procedure = chart.start("Procedure", "procedure", number)
        procedure |= chart.without_none(
            {
                "status": status,
                "code": chart.rng.choice(PROCEDURES).concept(),
                "subject": chart.patient(),
                "context": chart.encounter(),
                **performed,
                "performer": [{"actor": chart.clinician()}],
            }
        )
        yield procedure


def _observations(chart: Chart) -> Iterator[dict[str, Any]]:
    for number in range(1, chart.count(3, 6) + 1):
        measured = chart.rng.choice(OBSERVATIONS)
        start = chart.timeline.moment()
        effective: dict[str, Any]
        if chart.rng.random() < 0.8:
            effective = {"effectiveDateTime": chart.timeline.written(start, date_only_share=0.1)}
        else:
            end = chart.timeline.after(start, longest=timedelta(hours=24))
            effective = {"effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()}}
        value = round(chart.rng.uniform(measured.low, measured.high), 1)
        category = measured.category
        observation = chart.start("Observation", "observation", number)
        observation |= chart.without_none(
            {
                "status": chart.pick({"final": 8, "amended": 1, "preliminary": 1}),
                "category": ([Code(OBSERVATION_CATEGORY, category, _OBSERVATION_CATEGORIES[category]).concept()] if category else None),
                "code": measured.codes[0].concept(*measured.codes[1:]),
                "subject": chart.patient(),
                "context": chart.encounter(),
                **effective,
                "performer": [chart.clinician()],
                "valueQuantity": {"value": value, "unit": measured.unit, "system": UCUM, "code": measured.unit},
            }
        )
        yield observation


def _allergies(chart: Chart) -> Iterator[dict[str, Any]]:
    for number in range(1, chart.count(1, 3) + 1):
        code, category = chart.rng.choice(ALLERGIES)
        # CareConnect-AllergyVerificationStatus-1 (required binding) allows only confirmed and unconfirmed
        verification = chart.pick({"confirmed": 3, "unconfirmed": 1})
        onset = chart.timeline.moment()
        allergy = chart.start("AllergyIntolerance", "allergy", number)
        allergy |= chart.without_none(
            {
                "clinicalStatus": chart.pick(_ALLERGY_STATUSES),
                "verificationStatus": verification,
                "type": "allergy",
                "category": [category],
                "criticality": chart.pick({"low": 3, "high": 1, "unable-to-assess": 1}),
                "code": code.concept(),
                "patient": chart.patient(),
                "onsetDateTime": chart.timeline.written(onset, date_only_share=0.5),
                "assertedDate": chart.timeline.written(chart.timeline.after(onset, longest=timedelta(days=60)), date_only_share=0.3),
                "asserter": chart.clinician(hospital=False),
                "reaction": [
                    {
                        "manifestation": [chart.rng.choice(REACTIONS).concept()],
                        "severity": chart.pick({"mild": 3, "moderate": 2, "severe": 1}),
                    }
                ],
            }
        )
        yield allergy
