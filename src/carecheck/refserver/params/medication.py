"""Search parameters of medicines: Medication, MedicationStatement, MedicationRequest.

Rows come from the Care Connect IG and Core API tables (requirements §2.1) and the STU3 SearchParameter
they name. ``medication`` follows ``medicationReference`` (the Care Connect profiles allow no other
form), so ``_include=MedicationRequest:medication`` brings the Medication along; ``code`` on
MedicationRequest reads ``medicationCodeableConcept`` only, as STU3 defines it.
"""

from __future__ import annotations

from carecheck.refserver.params.model import (
    SearchParam,
    SearchParamType,
    context_param,
    identifier_param,
    resource_definition,
    search_param,
)

__all__ = ["MEDICATION", "MEDICATION_REQUEST", "MEDICATION_STATEMENT"]

_TOKEN, _DATE, _REFERENCE = SearchParamType.TOKEN, SearchParamType.DATE, SearchParamType.REFERENCE
_IDENTIFIER = identifier_param("medications-identifier", "https://fhir.nhs.uk/Id/local-prescription-id|…")
_PATIENT = search_param(
    "patient",
    _REFERENCE,
    "medications-patient",
    "The patient: id, Patient/id, an absolute URL, or chained (patient.identifier=system|value)",
    ("subject", "Reference"),
    targets=("Patient",),
)
_MEDICATION = search_param(
    "medication",
    _REFERENCE,
    "medications-medication",
    "The Medication (medicationReference): id or Medication/id, or chained (medication.code=system|code)",
    ("medicationReference", "Reference"),
    targets=("Medication",),
)


def _status(system: str, codes: str) -> SearchParam:
    return search_param("status", _TOKEN, "medications-status", codes, ("status", "code"), system=system)


MEDICATION = resource_definition(
    "Medication",
    search_param("code", _TOKEN, "medications-code", "The medicine (dm+d / SNOMED CT)", ("code", "CodeableConcept")),
)

MEDICATION_STATEMENT = resource_definition(
    "MedicationStatement",
    _IDENTIFIER,
    _PATIENT,
    _status(
        "http://hl7.org/fhir/medication-statement-status",
        "active | completed | entered-in-error | intended | stopped | on-hold",
    ),
    search_param(
        "effective",
        _DATE,
        "MedicationStatement-effective",
        "When the medication is or was taken (effectiveDateTime or effectivePeriod, which may be open)",
        ("effectiveDateTime", "dateTime"),
        ("effectivePeriod", "Period"),
    ),
    _MEDICATION,
    context_param("MedicationStatement"),
)

MEDICATION_REQUEST = resource_definition(
    "MedicationRequest",
    _IDENTIFIER,
    _PATIENT,
    _status(
        "http://hl7.org/fhir/medication-request-status",
        "active | on-hold | cancelled | completed | entered-in-error | stopped | draft | unknown",
    ),
    search_param("authoredon", _DATE, "MedicationRequest-authoredon", "When the request was written", ("authoredOn", "dateTime")),
    _MEDICATION,
    search_param(
        "code",
        _TOKEN,
        "medications-code",
        "The medicine when given as medicationCodeableConcept (Care Connect data uses medicationReference)",
        ("medicationCodeableConcept", "CodeableConcept"),
    ),
    context_param("MedicationRequest"),
)
