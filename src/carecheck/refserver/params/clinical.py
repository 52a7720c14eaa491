"""Search parameters of the clinical record: allergies, conditions, procedures, observations, encounters, vaccines.

The types are AllergyIntolerance, Condition, Procedure, Observation, Encounter and Immunization.
Rows come from the Care Connect IG and Core API tables (requirements §2.1) and the STU3 SearchParameter
they name. ``patient`` keeps only references to a Patient (``subject.where(resolve() is Patient)``);
``context`` and ``part-of`` are there so ``Encounter?_revinclude=*`` finds the records of an encounter.
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

__all__ = ["ALLERGY_INTOLERANCE", "CONDITION", "ENCOUNTER", "IMMUNIZATION", "OBSERVATION", "PROCEDURE"]

_TOKEN, _DATE, _REFERENCE = SearchParamType.TOKEN, SearchParamType.DATE, SearchParamType.REFERENCE
_IDENTIFIER = identifier_param("clinical-identifier", "https://fhir.yas.nhs.uk/Encounter/Identifier|657")
_VACCINATION_PROCEDURE = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1"


def _patient(path: str) -> SearchParam:
    return search_param(
        "patient",
        _REFERENCE,
        "clinical-patient",
        "The patient: id, Patient/id, an absolute URL, or chained (patient.identifier=system|value)",
        (path, "Reference"),
        targets=("Patient",),
    )


def _code(description: str, *elements: tuple[str, str]) -> SearchParam:
    return search_param("code", _TOKEN, "clinical-code", description, *elements)


def _status(definition: str, system: str, codes: str, name: str = "status", path: str = "status") -> SearchParam:
    return search_param(name, _TOKEN, definition, codes, (path, "code"), system=system)


ALLERGY_INTOLERANCE = resource_definition(
    "AllergyIntolerance",
    _IDENTIFIER,
    _patient("patient"),
    _status(
        "AllergyIntolerance-clinical-status",
        "http://hl7.org/fhir/allergy-clinical-status",
        "active | inactive | resolved",
        name="clinical-status",
        path="clinicalStatus",
    ),
    _status(
        "AllergyIntolerance-verification-status",
        "http://hl7.org/fhir/allergy-verification-status",
        "unconfirmed | confirmed | refuted | entered-in-error",
        name="verification-status",
        path="verificationStatus",
    ),
    search_param("date", _DATE, "clinical-date", "When the allergy was recorded (assertedDate)", ("assertedDate", "dateTime")),
    _code(
        "The substance or condition (code or reaction.substance)",
        ("code", "CodeableConcept"),
        ("reaction.substance", "CodeableConcept"),
    ),
)

CONDITION = resource_definition(
    "Condition",
    _IDENTIFIER,
    _patient("subject"),
    _status(
        "Condition-clinical-status",
        "http://hl7.org/fhir/condition-clinical",
        "active | recurrence | inactive | remission | resolved",
        name="clinical-status",
        path="clinicalStatus",
    ),
    search_param(
        "category",
        _TOKEN,
        "Condition-category",
        "Care Connect category: problem-list-item | encounter-diagnosis | presenting-complaint | co-morbidity | issue",
        ("category", "CodeableConcept"),
    ),
    search_param(
        "asserted-date",
        _DATE,
        "Condition-asserted-date",
        "When the condition was asserted",
        ("assertedDate", "dateTime"),
    ),
    _code("The condition (SNOMED CT)", ("code", "CodeableConcept")),
    context_param("Condition"),
)

PROCEDURE = resource_definition(
    "Procedure",
    _IDENTIFIER,
    _patient("subject"),
    search_param(
        "subject",
        _REFERENCE,
        "Procedure-subject",
        "Who the procedure was on: subject:Patient=id, subject=Patient/id, subject:Patient.identifier=system|value",
        ("subject", "Reference"),
        targets=("Group", "Patient"),
    ),
    search_param(
        "date",
        _DATE,
        "clinical-date",
        "When the procedure was performed (performedDateTime or performedPeriod)",
        ("performedDateTime", "dateTime"),
        ("performedPeriod", "Period"),
    ),
    _code("What was done (SNOMED CT): not in the Care Connect tables, a base STU3 parameter", ("code", "CodeableConcept")),
    context_param("Procedure"),
)

OBSERVATION = resource_definition(
    "Observation",
    _IDENTIFIER,
    _patient("subject"),
    search_param(
        "category",
        _TOKEN,
        "Observation-category",
        "vital-signs | laboratory | social-history | exam | … (http://hl7.org/fhir/observation-category)",
        ("category", "CodeableConcept"),
    ),
    _code("What was observed (SNOMED CT, LOINC)", ("code", "CodeableConcept")),
    search_param(
        "date",
        _DATE,
        "clinical-date",
        "When the observation applies (effectiveDateTime or effectivePeriod)",
        ("effectiveDateTime", "dateTime"),
        ("effectivePeriod", "Period"),
    ),
    context_param("Observation"),
)

ENCOUNTER = resource_definition(
    "Encounter",
    _IDENTIFIER,
    _patient("subject"),
    search_param("date", _DATE, "clinical-date", "A date within the encounter's period", ("period", "Period")),
    _status(
        "Encounter-status",
        "http://hl7.org/fhir/encounter-status",
        "planned | arrived | triaged | in-progress | onleave | finished | cancelled | entered-in-error | unknown",
    ),
    search_param("type", _TOKEN, "clinical-type", "The type of encounter (SNOMED CT)", ("type", "CodeableConcept")),
    search_param(
        "part-of",
        _REFERENCE,
        "Encounter-part-of",
        "The encounter this one is part of",
        ("partOf", "Reference"),
        targets=("Encounter",),
    ),
)

IMMUNIZATION = resource_definition(
    "Immunization",
    _IDENTIFIER,
    _patient("patient"),
    search_param("date", _DATE, "clinical-date", "When the vaccination was given (or not)", ("date", "dateTime")),
    _status(
        "Immunization-status",
        "http://hl7.org/fhir/medication-admin-status",
        "completed | entered-in-error",
    ),
    search_param("notgiven", _TOKEN, "Immunization-notgiven", "true if the vaccination was not given", ("notGiven", "boolean")),
    search_param(
        "vaccination-procedure-code",
        _TOKEN,
        None,
        "The vaccination procedure (Care Connect extension VaccinationProcedure-1; Care Connect publishes no "
        "SearchParameter for it, its CORE requirements CapabilityStatement calls it "
        "CareConnect-vaccination-procedure-code)",
        (f"extension[url={_VACCINATION_PROCEDURE}].valueCodeableConcept", "CodeableConcept"),
    ),
)
