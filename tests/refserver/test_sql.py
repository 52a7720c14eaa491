"""Tests for carecheck.refserver.sql: what the compiled SQL matches, and that searches are driven by an index.

The match tables run real SQL: Patient parameters over the seeded store (the CCRI and InterOpen
patients), every other resource's parameters over the hand-made samples. Each parameter, date
prefix, modifier, token form and reference form has a case that must match and one that must not.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from carecheck.refserver.params import RESOURCES, SearchParamType
from carecheck.refserver.query import PREFIXES, parse_search
from carecheck.refserver.sql import search_condition
from carecheck.refserver.store import Condition, Store
from tests.refserver.conftest import FIXED_NOW, Search
from tests.refserver.samples import SAMPLES

MEAKIN = "2f88064f-8dc3-4763-af75-94faf6b08b18"  # MEAKIN Mike MR, male, 1927-06-19, NHS 9658218873
KANFELD = "1"  # Miss Bernie Kanfeld, female, 1998-03-19, NG10 1ZZ, 0115 9737320, bernie.kanfeld@nhsdigital.nhs.uk
MUNOZ = "1001"  # Mrs Vicky Munoz, no NHS number, PAS LOCAL1001
FITZGERALD = "1002"  # PAS LOCAL1002
ANTIC = "1009"  # Mrs Mina Antić
NHS = "https://fhir.nhs.uk/Id/nhs-number"
PAS = "https://fhir.leedsth.nhs.uk/Id/pas-number"
GENDER = "http://hl7.org/fhir/administrative-gender"
SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
BASE = "http://testserver/STU3"

PATIENT_MATCHES = [
    # _id (token on the logical id)
    ("_id=1001", MUNOZ, True),
    ("_id=1002", MUNOZ, False),
    ("_id=1002,1001", MUNOZ, True),
    # identifier: system|value, bare value (any system), |value (no system), system| (any value)
    (f"identifier={NHS}|9658218873", MEAKIN, True),
    (f"identifier={NHS}|9658218881", MEAKIN, False),
    (f"identifier={PAS}|9658218873", MEAKIN, False),
    ("identifier=9658218873", MEAKIN, True),
    ("identifier=9658218874", MEAKIN, False),
    ("identifier=LOCAL1002", FITZGERALD, True),
    ("identifier=local1002", FITZGERALD, False),
    ("_id=|1001", MUNOZ, True),
    ("identifier=|LOCAL1001", MUNOZ, False),
    (f"identifier={PAS}|", MUNOZ, True),
    (f"identifier={PAS}|", MEAKIN, False),
    (f"identifier={NHS}|", MUNOZ, False),
    # family (string: starts-with, case and accent folded; :exact; :contains)
    ("family=meak", MEAKIN, True),
    ("family=MEAKIN", MEAKIN, True),
    ("family=eakin", MEAKIN, False),
    ("family=meakins", MEAKIN, False),
    ("family=antic", ANTIC, True),
    ("family=ANTIĆ", ANTIC, True),
    ("family:exact=MEAKIN", MEAKIN, True),
    ("family:exact=Meakin", MEAKIN, False),
    ("family:exact=MEAK", MEAKIN, False),
    ("family:exact=Antić", ANTIC, True),
    ("family:exact=Antic", ANTIC, False),
    ("family:contains=aki", MEAKIN, True),
    ("family:contains=kia", MEAKIN, False),
    # given
    ("given=mi", MEAKIN, True),
    ("given=jon", MEAKIN, False),
    ("given:exact=Mike", MEAKIN, True),
    ("given:exact=mike", MEAKIN, False),
    ("given:contains=IK", MEAKIN, True),
    ("given:contains=mk", MEAKIN, False),
    # name: family, given, prefix, suffix or text of any name
    ("name=meakin", MEAKIN, True),
    ("name=mike", MEAKIN, True),
    ("name=mr", MEAKIN, True),
    ("name=burrows", MEAKIN, False),
    ("name:exact=MR", MEAKIN, True),
    ("name:exact=Mr", MEAKIN, False),
    ("name:contains=eaki", MEAKIN, True),
    ("name:contains=xyz", MEAKIN, False),
    # gender (token on a code with an implied system)
    ("gender=male", MEAKIN, True),
    ("gender=female", MEAKIN, False),
    ("gender=MALE", MEAKIN, False),
    (f"gender={GENDER}|male", MEAKIN, True),
    ("gender=http://example.org/other|male", MEAKIN, False),
    ("gender=|male", MEAKIN, False),
    (f"gender={GENDER}|", MEAKIN, True),
    ("gender=female,male", MEAKIN, True),
    # birthdate 1927-06-19: each prefix, partial dates as ranges
    ("birthdate=1927", MEAKIN, True),
    ("birthdate=1928", MEAKIN, False),
    ("birthdate=1927-06", MEAKIN, True),
    ("birthdate=1927-07", MEAKIN, False),
    ("birthdate=1927-06-19", MEAKIN, True),
    ("birthdate=eq1927-06-19", MEAKIN, True),
    ("birthdate=eq1927-06-20", MEAKIN, False),
    ("birthdate=1927-06-19T10:00:00Z", MEAKIN, False),
    ("birthdate=ne1927-06-20", MEAKIN, True),
    ("birthdate=ne1927", MEAKIN, False),
    ("birthdate=gt1927-06-18", MEAKIN, True),
    ("birthdate=gt1927-06-19", MEAKIN, False),
    ("birthdate=gt1927", MEAKIN, False),
    ("birthdate=lt1927-06-20", MEAKIN, True),
    ("birthdate=lt1927-06-19", MEAKIN, False),
    ("birthdate=lt1927", MEAKIN, False),
    ("birthdate=ge1927-06-19", MEAKIN, True),
    ("birthdate=ge1927", MEAKIN, True),
    ("birthdate=ge1927-06-20", MEAKIN, False),
    ("birthdate=le1927-06-19", MEAKIN, True),
    ("birthdate=le1927", MEAKIN, True),
    ("birthdate=le1927-06-18", MEAKIN, False),
    ("birthdate=sa1927-06-18", MEAKIN, True),
    ("birthdate=sa1927-06-19", MEAKIN, False),
    ("birthdate=eb1927-06-20", MEAKIN, True),
    ("birthdate=eb1927-06-19", MEAKIN, False),
    ("birthdate=ap1930-01-01", MEAKIN, True),  # 10% of the ~96 years to FIXED_NOW
    ("birthdate=ap1945-01-01", MEAKIN, False),
    ("birthdate=ge1927-06-19T00:00:00Z", MEAKIN, True),
    ("birthdate=lt1927-06-19T00:00:00-01:00", MEAKIN, True),  # 01:00 UTC, inside the day
    ("birthdate=lt1927-06-19T00:00:00%2B01:00", MEAKIN, False),  # 23:00 UTC the day before
    ("birthdate=ge1927-01-01&birthdate=le1927-12-31", MEAKIN, True),
    ("birthdate=ge1927-07-01&birthdate=le1927-12-31", MEAKIN, False),
    ("birthdate=1926,1927", MEAKIN, True),
    ("birthdate=1925,1926", MEAKIN, False),
    ("birthdate=lt1900,gt1927-06-18", MEAKIN, True),
    # email and phone (tokens on the ContactPoint value: exact)
    ("email=bernie.kanfeld@nhsdigital.nhs.uk", KANFELD, True),
    ("email=bernie.kanfeld", KANFELD, False),
    ("email=0115 9737320", KANFELD, False),
    ("phone=0115 9737320", KANFELD, True),
    ("phone=01159737320", KANFELD, False),
    ("phone=bernie.kanfeld@nhsdigital.nhs.uk", KANFELD, False),
    # address-postalcode (string)
    ("address-postalcode=NG10", KANFELD, True),
    ("address-postalcode=ng10 1zz", KANFELD, True),
    ("address-postalcode=LS", KANFELD, False),
    ("address-postalcode:exact=NG10 1ZZ", KANFELD, True),
    ("address-postalcode:exact=NG10", KANFELD, False),
    ("address-postalcode:contains=10 1", KANFELD, True),
    ("address-postalcode:contains=1ZZZ", KANFELD, False),
    # different parameters together: AND
    ("family=howell&given=adam", "1027", True),
    ("family=howell&given=adam", "1007", False),
]


SAMPLE_MATCHES = [
    # references: id, Type/id, absolute URL on this server, another server's URL, :Type, comma, chained
    ("Observation", "patient=p1", "ob1", True),
    ("Observation", "patient=p2", "ob1", False),
    ("Observation", "patient=Patient/p1", "ob1", True),
    ("Observation", "patient=Patient/p2", "ob1", False),
    ("Observation", f"patient={BASE}/Patient/p1", "ob1", True),
    ("Observation", f"patient={BASE}/Patient/p2", "ob1", False),
    ("Observation", "patient=https://other.example.org/fhir/Patient/p1", "ob1", False),
    ("Observation", "patient=p2,p1", "ob1", True),
    ("Observation", f"patient.identifier={NHS}|9990000018", "ob1", True),
    ("Observation", f"patient.identifier={NHS}|9990000026", "ob1", False),
    ("Observation", "patient.identifier=PAS1", "ob3", True),
    ("Observation", "patient.family=bront", "ob3", True),
    ("Observation", "patient.family:exact=Bronte", "ob3", False),
    ("Observation", "patient.gender:not=male", "ob1", True),
    ("Observation", "patient.gender:not=male", "ob2", False),
    ("Observation", "patient.gender:not=male&code=59261-8", "ob2", False),
    ("Observation", "patient:missing=false", "ob1", True),
    ("Observation", "context:missing=true", "ob1", False),
    ("Observation", "context:missing=true", "ob3", True),
    ("Observation", "context=e1", "ob1", True),
    ("Observation", "context=e2", "ob1", False),
    ("Procedure", "subject:Patient=p1", "pc1", True),
    ("Procedure", "subject:Patient=p2", "pc1", False),
    ("Procedure", "subject=Patient/p1", "pc1", True),
    ("Procedure", "subject=Group/g1", "pc3", True),
    ("Procedure", "subject:Patient=g1", "pc3", False),
    ("Procedure", "subject=g1", "pc3", True),
    ("Procedure", "patient=g1", "pc3", False),
    ("Procedure", f"subject:Patient.identifier={NHS}|9990000018", "pc1", True),
    ("Procedure", f"subject:Patient.identifier={NHS}|9990000026", "pc1", False),
    ("Patient", "general-practitioner=pr1", "p1", True),
    ("Patient", "general-practitioner=pr1", "p2", False),
    ("Patient", "general-practitioner:Organization=o2", "p2", True),
    ("Patient", "general-practitioner:Practitioner=o2", "p2", False),
    ("Patient", "general-practitioner=https://other.example.org/fhir/Practitioner/x9", "p2", True),
    ("Patient", "general-practitioner=x9", "p2", False),
    ("Patient", "general-practitioner:Practitioner.identifier=G8133438", "p1", True),
    ("Patient", "general-practitioner:Practitioner.identifier=G0000000", "p1", False),
    ("Patient", "organization=o2", "p1", True),
    ("Patient", "organization=o2", "p2", False),
    ("Patient", "organization.name=the moir", "p1", True),
    ("Patient", "organization.name=derby", "p1", False),
    ("PractitionerRole", "practitioner=pr1", "r1", True),
    ("PractitionerRole", "practitioner=pr2", "r1", False),
    ("PractitionerRole", "organization=Organization/o2", "r1", True),
    ("PractitionerRole", "organization=Organization/o1", "r1", False),
    ("PractitionerRole", f"organization.identifier={ODS}|C81010", "r1", True),
    ("PractitionerRole", "identifier=555", "r1", True),
    ("PractitionerRole", "identifier=556", "r1", False),
    ("MedicationRequest", "medication=m1", "mr1", True),
    ("MedicationRequest", "medication=Medication/m2", "mr1", False),
    ("MedicationRequest", f"medication.code={SCT}|322236009", "mr1", True),
    ("MedicationRequest", f"medication.code={SCT}|319781007", "mr1", False),
    ("MedicationStatement", "medication=m1", "ms1", True),
    ("MedicationStatement", "medication=m1", "ms2", False),
    ("Encounter", "part-of=e1", "e2", True),
    ("Encounter", "part-of=e1", "e3", False),
    ("Encounter", "patient=p1", "e1", True),
    ("Encounter", "patient=p1", "e3", False),
    ("Condition", "context=Encounter/e1", "c1", True),
    ("Condition", "context=Encounter/e1", "c2", False),
    ("Procedure", "context=e1", "pc1", True),
    ("Procedure", "context=e1", "pc2", False),
    ("MedicationStatement", "context=e2", "ms1", True),
    ("MedicationStatement", "context=e1", "ms1", False),
    ("MedicationRequest", "context=e1", "mr1", True),
    ("MedicationRequest", "context=e1", "mr2", False),
    ("AllergyIntolerance", "patient=p2", "a2", True),
    ("AllergyIntolerance", "patient=p1", "a2", False),
    ("Condition", "patient=p1", "c1", True),
    ("Condition", "patient=p1", "c2", False),
    ("Procedure", "patient=p2", "pc2", True),
    ("Procedure", "patient=p2", "pc1", False),
    ("MedicationStatement", "patient=p2", "ms2", True),
    ("MedicationStatement", "patient=p2", "ms1", False),
    ("MedicationRequest", "patient=p2", "mr2", True),
    ("MedicationRequest", "patient=p2", "mr1", False),
    ("Immunization", "patient=p1", "i1", True),
    ("Immunization", "patient=p1", "i2", False),
    # tokens: code (implied system), CodeableConcept, boolean, extension; :not, :missing
    ("AllergyIntolerance", "clinical-status=active", "a1", True),
    ("AllergyIntolerance", "clinical-status=active", "a2", False),
    ("AllergyIntolerance", "clinical-status:missing=true", "a2", True),
    ("AllergyIntolerance", "clinical-status:missing=true", "a1", False),
    ("AllergyIntolerance", "clinical-status:not=active", "a2", True),
    ("AllergyIntolerance", "clinical-status:not=active", "a1", False),
    ("AllergyIntolerance", "verification-status=http://hl7.org/fhir/allergy-verification-status|confirmed", "a1", True),
    ("AllergyIntolerance", "verification-status=confirmed", "a2", False),
    ("AllergyIntolerance", f"code={SCT}|91936005", "a1", True),
    ("AllergyIntolerance", f"code={LOINC}|91936005", "a1", False),
    ("AllergyIntolerance", "code=256349002", "a2", True),
    ("Condition", "clinical-status=active,recurrence", "c1", True),
    ("Condition", "clinical-status=resolved", "c1", False),
    ("Condition", "category=problem-list-item", "c1", True),
    ("Condition", "category=problem-list-item", "c2", False),
    ("Condition", "code=46635009", "c2", True),
    ("Condition", "code:not=46635009", "c2", False),
    ("Condition", "code:not=46635009", "c1", True),
    ("Observation", "category=vital-signs", "ob1", True),
    ("Observation", "category=laboratory", "ob1", False),
    ("Observation", "category:missing=true", "ob3", True),
    ("Observation", f"code={LOINC}|8867-4", "ob1", True),
    ("Observation", f"code={SCT}|8867-4", "ob1", False),
    ("Observation", f"code={SCT}|", "ob1", True),
    ("Observation", f"code={SCT}|", "ob2", False),
    ("Observation", "patient=p1&category=vital-signs&code=364075005", "ob1", True),
    ("Observation", "patient=p1&category=vital-signs&code=364075005", "ob3", False),
    ("Encounter", "status=in-progress", "e2", True),
    ("Encounter", "status=in-progress", "e1", False),
    ("Encounter", "type=11424001", "e2", True),
    ("Encounter", "type=11424001", "e1", False),
    ("Encounter", "type:missing=true", "e3", True),
    ("Encounter", "identifier=656", "e1", True),
    ("Encounter", "identifier=657", "e1", False),
    ("Medication", f"code={SCT}|322236009", "m1", True),
    ("Medication", "code=322236009", "m2", False),
    ("Medication", "_id=m2", "m2", True),
    ("Medication", "_id=m2", "m1", False),
    ("MedicationStatement", "status=active", "ms1", True),
    ("MedicationStatement", "status=active", "ms2", False),
    ("MedicationRequest", "status=stopped", "mr2", True),
    ("MedicationRequest", "status=stopped", "mr1", False),
    ("MedicationRequest", "code=320141001", "mr2", True),
    ("MedicationRequest", "code=322236009", "mr1", False),  # medicationReference is not medicationCodeableConcept
    ("Immunization", "status=completed", "i1", True),
    ("Immunization", "status=completed", "i2", False),
    ("Immunization", "notgiven=true", "i2", True),
    ("Immunization", "notgiven=true", "i1", False),
    ("Immunization", "notgiven:not=true", "i1", True),
    ("Immunization", f"vaccination-procedure-code={SCT}|86198006", "i1", True),
    ("Immunization", "vaccination-procedure-code=86198006", "i2", False),
    ("Immunization", "vaccination-procedure-code:missing=true", "i2", True),
    # strings on the directory: name and alias, address parts, :exact, :contains
    ("Organization", "name=derby", "o1", True),
    ("Organization", "name=dthf", "o1", True),
    ("Organization", "name=the moir", "o1", False),
    ("Organization", "name:exact=Derby Teaching Hospitals NHS Trust", "o1", True),
    ("Organization", "name:exact=derby teaching hospitals nhs trust", "o1", False),
    ("Organization", "name:contains=teaching", "o1", True),
    ("Organization", "name:contains=teaching", "o2", False),
    ("Organization", "address=uttoxeter", "o1", True),
    ("Organization", "address=regent", "o1", False),
    ("Organization", "address-city=long eaton", "o2", True),
    ("Organization", "address-city=long eaton", "o1", False),
    ("Organization", "address-postalcode=DE22", "o1", True),
    ("Organization", "address-postalcode=NG10", "o1", False),
    ("Organization", f"identifier={ODS}|RTG", "o1", True),
    ("Organization", f"identifier={ODS}|RTG", "o2", False),
    ("Location", "name=long", "l1", True),
    ("Location", "name=short", "l1", False),
    ("Location", "address=midland", "l1", True),
    ("Location", "address=regent", "l1", False),
    ("Location", "address-city=LONG EATON", "l1", True),
    ("Location", "address-city=derby", "l1", False),
    ("Location", "address-postalcode=NG10 1RY", "l1", True),
    ("Location", "address-postalcode=NG10 1Q", "l1", False),
    ("Location", "identifier=https://fhir.nhs.uk/Id/ods-site-code|RTG08", "l1", True),
    ("Location", "identifier=RTG09", "l1", False),
    ("Practitioner", "identifier=https://fhir.nhs.uk/Id/sds-user-id|G8133438", "pr1", True),
    ("Practitioner", "identifier=https://fhir.nhs.uk/Id/sds-role-profile-id|G8133438", "pr1", False),
    ("Practitioner", "name=bhat", "pr1", True),
    ("Practitioner", "name=dr", "pr1", True),
    ("Practitioner", "name=smith", "pr1", False),
    ("Practitioner", "address-postalcode=ng10 1qq", "pr1", True),
    ("Practitioner", "address-postalcode=ng10 1r", "pr1", False),
    # dates on every kind of target: date, dateTime (to the second, or a year), instant-like zones, Periods
    ("Encounter", "date=2018-11-29", "e1", True),
    ("Encounter", "date=2018-11-30", "e1", False),
    ("Encounter", "date=ge2025-01-01", "e2", True),  # in progress: the period is open at the end
    ("Encounter", "date=ge2025-01-01", "e1", False),
    ("Encounter", "date=lt2019-03-01", "e2", False),
    ("Encounter", "date=le2019-03-02", "e2", True),
    ("Encounter", "date=sa2019-02-28", "e2", True),
    ("Encounter", "date=sa2019-03-01", "e2", False),
    ("Encounter", "date=eb2010-05-04", "e3", True),
    ("Encounter", "date=eb2010-05-03", "e3", False),
    ("Encounter", "date=ne2010-05", "e3", False),
    ("Encounter", "date=ne2010-05-02", "e3", True),
    ("Encounter", "date=gt2010-05-02", "e3", True),
    ("Encounter", "date=gt2010-05-03", "e3", False),
    ("Encounter", "date=eq2010-05", "e3", True),
    ("Encounter", "date=eq2010-05-02", "e3", False),
    ("Encounter", "date=ap2010-05-02", "e3", True),
    ("Encounter", "date=ap2000-01-01", "e3", False),
    ("Encounter", "patient=p1&date=ge2018-01-01&date=le2018-12-31", "e1", True),
    ("Encounter", "patient=p1&date=ge2018-01-01&date=le2018-12-31", "e2", False),
    ("Procedure", f"code={SCT}|284350006", "pc1", True),
    ("Procedure", "code=235153008", "pc1", False),
    ("Procedure", "date=2017-03-19", "pc1", True),
    ("Procedure", "date=2017-03-18", "pc1", False),
    ("Procedure", "date=2010-05-01T10:00:00Z", "pc2", False),  # the search second does not contain the period
    ("Procedure", "date=ge2010-05-01T10:00:00Z", "pc2", True),
    ("Procedure", "date=lt2010-05-01T09:00:00Z", "pc2", False),
    ("Procedure", "date=le2010-05-01T09:00:01Z", "pc2", True),
    ("Procedure", "date=ge2030", "pc3", True),
    ("Procedure", "date=lt2020", "pc3", False),
    ("Procedure", "patient=p1&date=gt2010-01-01", "pc1", True),
    ("Procedure", "patient=p1&date=lt2010-01-01", "pc1", False),
    ("Observation", "date=2018-11-29", "ob1", True),
    ("Observation", "date=2018-11-29T08:54:18Z", "ob1", True),
    ("Observation", "date=2018-11-29T08:54:19Z", "ob1", False),
    ("Observation", "date=2011-01-01", "ob2", True),
    ("Observation", "date=2011-01-01T09:30:00Z", "ob2", False),
    ("Observation", "date=2012", "ob3", True),
    ("Observation", "date=2012-06", "ob3", False),
    ("Observation", "date=ge2012-06", "ob3", True),  # the year 2012 reaches past June
    ("Observation", "date=sa2012-06", "ob3", False),
    ("Condition", "asserted-date=2018-11-29", "c1", True),
    ("Condition", "asserted-date=2018-11-29T12:00:00Z", "c1", False),
    ("Condition", "asserted-date=ge2012-02-03T10:00:00Z", "c2", True),
    ("Condition", "asserted-date=gt2012-02-03T10:00:00Z", "c2", False),
    ("AllergyIntolerance", "date=2017-04-12", "a1", True),  # 00:00 at +01:00 is 23:00 UTC the day before
    ("AllergyIntolerance", "date=2017-04-13", "a1", False),
    ("MedicationStatement", "effective=ge2025", "ms1", True),  # active: open at the end
    ("MedicationStatement", "effective=lt2015-06-01", "ms1", False),
    ("MedicationStatement", "effective=2009-09", "ms2", True),
    ("MedicationStatement", "effective=2009-10", "ms2", False),
    ("MedicationRequest", "authoredon=ge2018-11-16T11:00:00Z", "mr1", True),
    ("MedicationRequest", "authoredon=lt2018-11-16T11:00:00Z", "mr1", False),
    ("Immunization", "date=1998-01-06", "i2", True),
    ("Immunization", "date=1998-01-07", "i2", False),
    ("Immunization", "date=ge2016-10-01&date=le2016-10-01", "i1", True),
]

SAMPLE_MATCHES += [(r["resourceType"], f"_id={r['id']}", r["id"], True) for r in SAMPLES]
SAMPLE_MATCHES += [(r["resourceType"], f"_id={r['id']}x", r["id"], False) for r in SAMPLES]
SAMPLE_MATCHES += [
    (r["resourceType"], f"identifier={identifier['system']}|{identifier['value']}{suffix}", r["id"], not suffix)
    for r in SAMPLES
    for identifier in r.get("identifier", [])[:1]
    for suffix in ("", "x")
]


@pytest.mark.parametrize(("query", "patient_id", "matches"), PATIENT_MATCHES)
def test_patient_search_semantics(seeded_search: Search, query: str, patient_id: str, matches: bool) -> None:
    assert (patient_id in seeded_search("Patient", query)) is matches


@pytest.mark.parametrize(("resource_type", "query", "resource_id", "matches"), SAMPLE_MATCHES)
def test_search_semantics(sample_search: Search, resource_type: str, query: str, resource_id: str, matches: bool) -> None:
    assert (resource_id in sample_search(resource_type, query)) is matches


def _cases() -> list[tuple[str, str, bool]]:
    cases = [("Patient", query, matches) for query, _, matches in PATIENT_MATCHES]
    return cases + [(resource_type, query, matches) for resource_type, query, _, matches in SAMPLE_MATCHES]


@pytest.mark.parametrize("resource_type", list(RESOURCES))
def test_every_parameter_has_a_matching_and_a_non_matching_case(resource_type: str) -> None:
    for param in RESOURCES[resource_type].params:
        for expected in (True, False):
            assert any(
                kind == resource_type and matches is expected and any(key.split(":")[0].split(".")[0] == param.name for key, _ in parse_qsl(query))
                for kind, query, matches in _cases()
            ), (resource_type, param.name, expected)


def test_every_prefix_modifier_and_reference_form_has_both_cases() -> None:
    forms = [f"={prefix}" for prefix in PREFIXES] + [":exact=", ":contains=", ":not=", ":missing=", ":Patient="]
    forms += ["=Patient/", f"={BASE}/", "=https://other", ".identifier=", "|", ","]
    for form in forms:
        for expected in (True, False):
            assert any(form in query and matches is expected for _, query, matches in _cases()), (form, expected)


def test_no_criteria_matches_everything(seeded_search: Search, seeded_store: Store) -> None:
    assert len(seeded_search("Patient", "")) == seeded_store.search("Patient", Condition(), offset=0, count=0).total
    query = parse_search(RESOURCES["Patient"], [])
    assert search_condition(query, now=FIXED_NOW) == Condition()


def test_ge_and_lt_split_every_birthdate_between_them(seeded_search: Search) -> None:
    everyone = seeded_search("Patient", "")
    for boundary in ("1927", "1927-06-19", "1950-01", "2000-02-29T12:00:00Z"):
        ge, lt = seeded_search("Patient", f"birthdate=ge{boundary}"), seeded_search("Patient", f"birthdate=lt{boundary}")
        assert ge | lt == everyone and not ge & lt


def test_not_and_missing_split_a_token_parameter(seeded_search: Search) -> None:
    everything = seeded_search("Observation", "")
    vital = seeded_search("Observation", "category=vital-signs")
    assert vital and seeded_search("Observation", "category:not=vital-signs") == everything - vital
    missing = seeded_search("Observation", "category:missing=true")
    assert missing and missing | seeded_search("Observation", "category:missing=false") == everything


def _plan(store: Store, resource_type: str, query: str) -> str:
    parsed = parse_search(RESOURCES[resource_type], parse_qsl(query))
    return "\n".join(store.explain(resource_type, search_condition(parsed, now=FIXED_NOW)))


@pytest.mark.parametrize(
    ("resource_type", "query", "index"),
    [
        ("Observation", "patient=pop-7&date=ge2000-01-01&date=le2020-12-31", "reference_by_target"),
        ("Observation", "date=ge2000-01-01&patient=pop-7", "reference_by_target"),
        ("Observation", f"patient.identifier={NHS}|9990000042", "token_by_value"),
        ("Patient", f"identifier={NHS}|9658218873&gender=male", "token_by_value"),
        ("Patient", "family=meakin&gender=male", "string_by_value"),
        ("Encounter", "date=2018-11-29", "date_by_low"),
    ],
)
def test_searches_are_driven_by_an_index_on_the_most_selective_criterion(seeded_store: Store, resource_type: str, query: str, index: str) -> None:
    plan = _plan(seeded_store, resource_type, query)
    assert f"USING COVERING INDEX {index}" in plan or f"USING INDEX {index}" in plan, plan
    assert "SCAN" not in plan, plan


def test_a_search_no_index_can_answer_reads_only_its_own_type(seeded_store: Store) -> None:
    plan = _plan(seeded_store, "Observation", "category:missing=true")
    assert "USING INDEX resource_id (type=?)" in plan or "USING COVERING INDEX resource_id (type=?)" in plan, plan


def test_every_index_table_is_used() -> None:
    assert {param.type for definition in RESOURCES.values() for param in definition.params} == set(SearchParamType)
