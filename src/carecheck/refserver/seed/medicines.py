"""Medicines in the synthetic population: the formulary, and each patient's statements, prescriptions and vaccinations.

Statements and requests refer to a Medication of the formulary (``medicationReference``, the only
form the Care Connect profiles allow). An active statement's period is open at the end; some
vaccinations were not given, and some carry no vaccination procedure.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from carecheck.refserver.params import CARECONNECT_PROFILE
from carecheck.refserver.seed.chart import Chart
from carecheck.refserver.seed.vocabulary import MEDICINES, UCUM, VACCINES

__all__ = ["formulary", "immunizations", "medication_requests", "medication_statements"]

_VACCINATION_PROCEDURE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1"
_NOT_GIVEN = {"system": "http://hl7.org/fhir/v3/ActReason", "code": "PATOBJ", "display": "patient objection"}
_DOSES = ("One tablet once a day", "One tablet twice a day", "Two tablets at night", "As directed")


def formulary() -> list[dict[str, Any]]:
    """The Medications every statement and request refers to, one per medicine, ids ``medication-1`` on."""
    return [
        {
            "resourceType": "Medication",
            "id": f"medication-{number}",
            "meta": {"profile": [CARECONNECT_PROFILE.format("Medication")]},
            "code": medicine.concept(),
        }
        for number, medicine in enumerate(MEDICINES, start=1)
    ]


def _medication(chart: Chart, medication_ids: list[str]) -> dict[str, str]:
    return {"reference": f"Medication/{chart.rng.choice(medication_ids)}"}


def medication_statements(chart: Chart, medication_ids: list[str]) -> Iterator[dict[str, Any]]:
    """Two to three MedicationStatements of ``chart``'s patient."""
    for number in range(1, chart.count(2, 3) + 1):
        status = chart.pick({"active": 5, "completed": 3, "stopped": 1, "intended": 1})
        start = chart.timeline.moment()
        effective: dict[str, Any]
        if status == "active":
            effective = {"effectivePeriod": {"start": start.isoformat()}}
        elif status == "intended" or chart.rng.random() < 0.3:
            effective = {"effectiveDateTime": chart.timeline.written(start, date_only_share=0.5)}
        else:
            end = chart.timeline.after(start, longest=timedelta(days=2 * 365))
            effective = {"effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()}}
        statement = chart.start("MedicationStatement", "medicationstatement", number)
        statement |= chart.without_none(
            {
                "context": chart.encounter(),
                "status": status,
                "medicationReference": _medication(chart, medication_ids),
                **effective,
                "dateAsserted": chart.timeline.after(start, longest=timedelta(days=30)).isoformat(),
                "subject": chart.patient(),
                "taken": chart.pick({"y": 6, "n": 1, "unk": 1}),
                "dosage": [{"text": chart.rng.choice(_DOSES)}],
            }
        )
        yield statement


def medication_requests(chart: Chart, medication_ids: list[str]) -> Iterator[dict[str, Any]]:
    """Two to three MedicationRequests (prescriptions) of ``chart``'s patient."""
    for number in range(1, chart.count(2, 3) + 1):
        authored = chart.timeline.moment()
        days = chart.rng.choice((7, 28, 56))
        request = chart.start("MedicationRequest", "medicationrequest", number)
        request |= chart.without_none(
            {
                "status": chart.pick({"active": 4, "completed": 4, "stopped": 1, "on-hold": 1, "cancelled": 1}),
                "intent": chart.pick({"order": 4, "plan": 1}),
                "medicationReference": _medication(chart, medication_ids),
                "subject": chart.patient(),
                "context": chart.encounter(),
                "authoredOn": chart.timeline.written(authored, date_only_share=0.2),
                "requester": {
                    "agent": chart.clinician(hospital=False),
                    "onBehalfOf": {"reference": f"Organization/{chart.practice.organization}"},
                },
                "dosageInstruction": [{"text": chart.rng.choice(_DOSES)}],
                "dispenseRequest": {
                    "validityPeriod": {
                        "start": authored.date().isoformat(),
                        "end": (authored + timedelta(days=days)).date().isoformat(),
                    },
                    "numberOfRepeatsAllowed": chart.rng.randint(1, 6),
                    "expectedSupplyDuration": {"value": days, "unit": "day", "system": UCUM, "code": "d"},
                },
            }
        )
        yield request


def immunizations(chart: Chart) -> Iterator[dict[str, Any]]:
    """Two to three Immunizations of ``chart``'s patient; now and then one not given, or with no procedure."""
    for number in range(1, chart.count(2, 3) + 1):
        vaccine = chart.rng.choice(VACCINES)
        not_given = chart.rng.random() < 0.15
        procedure = chart.rng.random() < 0.8
        immunization = chart.start("Immunization", "immunization", number)
        head = {key: immunization.pop(key) for key in ("resourceType", "id", "meta")}
        if procedure:
            head["extension"] = [{"url": _VACCINATION_PROCEDURE, "valueCodeableConcept": vaccine.procedure.concept()}]
        yield (
            head
            | immunization
            | chart.without_none(
                {
                    "status": chart.pick({"completed": 9, "entered-in-error": 1}),
                    "notGiven": not_given,
                    "vaccineCode": vaccine.product.concept(),
                    "patient": chart.patient(),
                    "date": chart.timeline.written(chart.timeline.moment(), date_only_share=0.4),
                    "primarySource": True,
                    "location": {"reference": f"Location/{chart.practice.location}"},
                    "practitioner": [{"actor": chart.clinician(hospital=False)}],
                    "explanation": {"reasonNotGiven": [{"coding": [_NOT_GIVEN]}]} if not_given else None,
                }
            )
        )
