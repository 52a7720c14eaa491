"""The words of the synthetic population: names, places, and the coded concepts its records use.

Clinical codes are SNOMED CT (``http://snomed.info/sct``) taken, where they exist, from the NHS
example files the team collected (``shared/careconnect-examples``), with LOINC alongside for
measurements; FHIR's own code systems are used for statuses and categories. Data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ACT_CODE",
    "ALLERGIES",
    "CITIES",
    "CONDITIONS",
    "CONDITION_CATEGORY",
    "ENCOUNTER_TYPES",
    "FAMILY_NAMES",
    "FEMALE_NAMES",
    "LOINC",
    "MALE_NAMES",
    "MEDICINES",
    "OBSERVATIONS",
    "OBSERVATION_CATEGORY",
    "PROCEDURES",
    "REACTIONS",
    "SNOMED",
    "STREETS",
    "UCUM",
    "VACCINES",
    "Code",
    "Measurement",
    "Vaccine",
]

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://hl7.org/fhir/v3/ActCode"
OBSERVATION_CATEGORY = "http://hl7.org/fhir/observation-category"
CONDITION_CATEGORY = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1"


@dataclass(frozen=True)
class Code:
    """A coded concept: system, code and display, as the Care Connect coding slices require all three."""

    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        """The FHIR Coding."""
        return {"system": self.system, "code": self.code, "display": self.display}

    def concept(self, *more: Code) -> dict[str, Any]:
        """A CodeableConcept holding this coding (and ``more``)."""
        return {"coding": [self.coding(), *(code.coding() for code in more)]}


def _sct(code: str, display: str) -> Code:
    return Code(SNOMED, code, display)


@dataclass(frozen=True)
class Measurement:
    """An observation the population has: its category, codes, UCUM unit and a plausible range of values."""

    category: str | None
    codes: tuple[Code, ...]
    unit: str
    low: float
    high: float


@dataclass(frozen=True)
class Vaccine:
    """A vaccine product and the vaccination procedure it is given in (Care Connect VaccinationProcedure-1)."""

    product: Code
    procedure: Code


FAMILY_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
    "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
    "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
    "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
    "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
    "O'Brien", "Brontë", "Núñez", "Ó Súilleabháin", "Dvořák", "Østergaard", "MacDonald", "McKenzie",
    "Fitzgerald", "Ahmed",
)  # fmt: skip

MALE_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
    "William", "James", "Henry", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
    "David", "John", "Michael", "Peter", "Paul", "Andrew", "Robert", "Stephen", "Mark", "Richard",
    "Anthony", "Christopher", "Daniel", "Kevin", "Brian", "Gareth", "Rhys", "Aled", "Seán", "Zoltán",
)  # fmt: skip

FEMALE_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
    "Sophia", "Grace", "Evie", "Charlotte", "Jessica", "Freya", "Chloe", "Ruby", "Sophie", "Daisy",
    "Margaret", "Susan", "Sarah", "Elizabeth", "Mary", "Patricia", "Linda", "Barbara", "Karen", "Helen",
    "Joan", "Dorothy", "Janet", "Gwen", "Siân", "Aoife", "Zoë", "Chloé", "Renée", "Bernadette",
)  # fmt: skip

CITIES = (
    ("Leeds", "LS"), ("Bradford", "BD"), ("Wakefield", "WF"), ("Derby", "DE"), ("Nottingham", "NG"),
    ("Long Eaton", "NG10"), ("Sheffield", "S"), ("York", "YO"), ("Harrogate", "HG"), ("Huddersfield", "HD"),
)  # fmt: skip
"""(city, postcode area); an area without a district number gets one at random."""

STREETS = (
    "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street", "London Road",
    "Victoria Road", "Green Lane", "Manor Road", "Kings Road", "Queens Road", "New Road", "Mill Lane",
    "School Lane", "The Crescent", "Grange Road", "Springfield Road", "Albert Road", "Regent Street",
)  # fmt: skip

CONDITIONS = (
    _sct("46635009", "Type 1 diabetes mellitus"),
    _sct("38341003", "Hypertension"),
    _sct("426656000", "Severe persistent asthma (disorder)"),
    _sct("53741008", "Coronary arteriosclerosis"),
    _sct("73430006", "Sleep Apnea"),
    _sct("162031009", "Dyspepsia"),
    _sct("64905009", "Paranoid schizophrenia"),
    _sct("41309000", "Alcoholic liver damage"),
    _sct("3951002", "Proctitis"),
    _sct("22220005", "Genuine stress incontinence (finding)"),
    _sct("394659003", "Acute coronary syndrome"),
    _sct("29857009", "Chest pain"),
    _sct("91175000", "Seizure"),
    _sct("16932000", "Nausea and vomiting"),
    _sct("217082002", "Accidental fall"),
)

PROCEDURES = (
    _sct("386465007", "Prescribed medication education"),
    _sct("284350006", "Diabetes mellitus diet education"),
    _sct("415070008", "Percutaneous coronary intervention"),
    _sct("418982001", "Fluoroscopic angiography of coronary artery and insertion of stent"),
    _sct("235153008", "Rigid sigmoidoscopy"),
    _sct("46825001", "Electrocardiographic monitoring"),
    _sct("410188000", "Taking patient vital signs assessment"),
    _sct("309625004", "Referral to psychology service"),
)

ENCOUNTER_TYPES = (
    (_sct("4525004", "Emergency department patient visit"), Code(ACT_CODE, "EMER", "emergency")),
    (_sct("698314001", "Consultation for treatment"), Code(ACT_CODE, "AMB", "ambulatory")),
    (_sct("163381000000105", "Outpatient Clinic Attendance"), Code(ACT_CODE, "AMB", "ambulatory")),
    (_sct("86181006", "Evaluation and management of inpatient"), Code(ACT_CODE, "IMP", "inpatient encounter")),
    (_sct("314849005", "Telephone contact by consultant"), Code(ACT_CODE, "VR", "virtual")),
    (_sct("11424001", "Ambulance-based care"), Code(ACT_CODE, "FLD", "field")),
)
"""(type, class) pairs."""


def _measure(category: str | None, unit: str, low: float, high: float, *codes: Code) -> Measurement:
    return Measurement(category, codes, unit, low, high)


OBSERVATIONS = (
    _measure(
        "vital-signs", "/min", 10, 30, _sct("86290005", "Respiratory rate"), Code(LOINC, "9279-1", "Respiratory rate")
    ),
    _measure("vital-signs", "/min", 50, 110, _sct("364075005", "Heart rate"), Code(LOINC, "8867-4", "Heart rate")),
    _measure(
        "vital-signs", "%", 90, 100,
        _sct("103228002", "Blood oxygen saturation"),
        Code(LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
    ),
    _measure(
        "vital-signs", "Cel", 35.5, 39.5,
        _sct("276885007", "Core body temperature"),
        Code(LOINC, "8310-5", "Body temperature"),
    ),
    _measure(
        "vital-signs", "mm[Hg]", 95, 180,
        _sct("72313002", "Systolic arterial pressure"),
        Code(LOINC, "8480-6", "Systolic blood pressure"),
    ),
    _measure(
        "vital-signs", "mm[Hg]", 55, 110,
        _sct("1091811000000102", "Diastolic arterial pressure"),
        Code(LOINC, "8462-4", "Diastolic blood pressure"),
    ),
    _measure("vital-signs", "kg", 45, 130, _sct("27113001", "Body weight"), Code(LOINC, "29463-7", "Body weight")),
    _measure(
        "vital-signs", "kg/m2", 17, 42,
        _sct("60621009", "Body mass index"),
        Code(LOINC, "39156-5", "Body mass index (BMI) [Ratio]"),
    ),
    _measure(
        "laboratory", "mmol/mol", 30, 95,
        Code(LOINC, "59261-8", "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol"),
    ),
    _measure(
        "laboratory", "mmol/L", 3, 8, Code(LOINC, "14647-2", "Cholesterol [Moles/volume] in Serum or Plasma")
    ),
    _measure(
        "survey", "{score}", 0, 12,
        _sct("1104051000000101", "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"),
    ),
    _measure(
        None, "{score}", 0, 4, _sct("1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score")
    ),
)  # fmt: skip
"""Measurements; one without a category (as in the InterOpen examples) leaves ``category`` missing."""

ALLERGIES = (
    (_sct("91936005", "Allergy to penicillin"), "medication"),
    (_sct("294505008", "Allergy to amoxicillin"), "medication"),
    (_sct("91935009", "Allergy to peanuts"), "food"),
    (_sct("300913006", "Shellfish allergy"), "food"),
    (_sct("418689008", "Allergy to grass pollen"), "environment"),
    (_sct("232350006", "House dust mite allergy"), "environment"),
    (_sct("722071008", "Mould antigen"), "environment"),
)
"""(code, AllergyIntolerance.category) pairs."""

REACTIONS = (
    _sct("271807003", "Eruption"),
    _sct("16932000", "Nausea and vomiting"),
    _sct("267036007", "Dyspnea"),
)

MEDICINES = (
    _sct("319781007", "Aspirin 75mg gastro-resistant tablets"),
    _sct("318590006", "Bisoprolol 5mg tablets"),
    _sct("319799004", "Clopidogrel 75mg tablets"),
    _sct("407847009", "Omeprazole 20mg gastro-resistant tablets"),
    _sct("408050008", "Ramipril 2.5mg tablets"),
    _sct("320000009", "Simvastatin 40mg tablets"),
    _sct("321960002", "Sertraline 100mg tablets"),
    _sct("321614001", "Olanzapine 10mg tablet"),
    _sct("321196004", "Diazepam 2mg tablet"),
    _sct("322236009", "Paracetamol 500mg tablets"),
    _sct("13255311000001101", "Asacol 800mg MR gastro-resistant tablets (Allergan Ltd)"),
    _sct(
        "30268411000001107",
        "Apidra 100units/ml solution for injection 3ml pre-filled SoloStar pen (Waymade Healthcare Plc) (product)",
    ),
)  # fmt: skip

VACCINES = (
    Vaccine(_sct("396429000", "Measles + mumps + rubella vaccine"), _sct("38598009", "Measles-mumps-rubella vaccination")),
    Vaccine(_sct("396425006", "Influenza virus vaccine"), _sct("86198006", "Influenza vaccination")),
    Vaccine(_sct("333598008", "Pneumococcal vaccine"), _sct("12866006", "Pneumococcal vaccination")),
    Vaccine(_sct("34689006", "Hepatitis B vaccine"), _sct("16584000", "Hepatitis B vaccination")),
)
