"""Tests for carecheck.fhir.xml: the FHIR XML to JSON mapping, refusals, and parity with JSON examples."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from carecheck.fhir import RuleKind, Severity, validate
from carecheck.fhir.xml import XmlError, parse_xml, read_xml
from carecheck.project import data_path

EXAMPLES = data_path("testdata", "examples")


def fhir(body: str) -> bytes:
    return body.replace("<Patient>", '<Patient xmlns="http://hl7.org/fhir">', 1).encode()


def test_values_are_typed_and_repeating_elements_are_arrays() -> None:
    resource = parse_xml(
        fhir(
            "<Patient><id value='p1'/><active value='true'/><name><family value='Smith'/><given value='Ann'/></name><multipleBirthInteger value='2'/></Patient>"
        )
    )
    assert resource == {
        "resourceType": "Patient",
        "id": "p1",
        "active": True,
        "name": [{"family": "Smith", "given": ["Ann"]}],
        "multipleBirthInteger": 2,
    }


def test_decimals_become_json_numbers() -> None:
    observation = parse_xml(
        b'<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="w"/></code>'
        b'<valueQuantity><value value="72.50"/><unit value="kg"/></valueQuantity></Observation>'
    )
    assert observation["valueQuantity"] == {"value": 72.5, "unit": "kg"}


def test_element_ids_extension_urls_and_primitive_extensions() -> None:
    resource = parse_xml(
        fhir(
            "<Patient><extension url='http://x/e'><valueString value='v'/></extension>"
            "<name id='n1'><given value='A'/><given id='g2'><extension url='http://x/g'><valueBoolean value='false'/>"
            "</extension></given></name><birthDate value='2000-01-01'><extension url='http://x/t'>"
            "<valueDateTime value='2000-01-01T10:00:00Z'/></extension></birthDate></Patient>"
        )
    )
    assert resource["extension"] == [{"url": "http://x/e", "valueString": "v"}]
    assert resource["name"] == [
        {
            "id": "n1",
            "given": ["A", None],
            "_given": [None, {"id": "g2", "extension": [{"url": "http://x/g", "valueBoolean": False}]}],
        }
    ]
    assert resource["birthDate"] == "2000-01-01"
    assert resource["_birthDate"] == {"extension": [{"url": "http://x/t", "valueDateTime": "2000-01-01T10:00:00Z"}]}


def test_narrative_div_is_kept_as_written_and_resources_nest() -> None:
    div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Ann <b>Smith</b></p><br/></div>'
    resource = parse_xml(
        fhir(f"<Patient><text><status value='generated'/>{div}</text><contained><Practitioner><id value='gp'/></Practitioner></contained></Patient>")
    )
    assert resource["text"] == {"status": "generated", "div": div}
    assert resource["contained"] == [{"resourceType": "Practitioner", "id": "gp"}]


def test_bundle_entries_hold_resources() -> None:
    bundle = parse_xml(
        b'<Bundle xmlns="http://hl7.org/fhir"><type value="searchset"/><total value="1"/>'
        b"<entry><fullUrl value='http://x/Patient/1'/><resource><Patient><id value='1'/></Patient></resource></entry>"
        b"</Bundle>"
    )
    assert bundle["total"] == 1
    assert bundle["entry"] == [{"fullUrl": "http://x/Patient/1", "resource": {"resourceType": "Patient", "id": "1"}}]


def test_unknown_elements_are_kept_for_structural_validation_to_report() -> None:
    assert parse_xml(fhir("<Patient><favourite value='blue'/></Patient>"))["favourite"] == "blue"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"<Patient><id value='1'/></Patient>", "has no namespace, not the FHIR namespace"),
        (b'<Patient xmlns="urn:other"/>', "namespace urn:other"),
        (b"{not xml", "not well-formed XML"),
        (b'<Patient xmlns="http://hl7.org/fhir"><id value="1"></Patient>', "not well-formed XML"),
        (b'<!DOCTYPE Patient [<!ENTITY x "y">]><Patient xmlns="http://hl7.org/fhir"/>', "document type declaration"),
        (b'<Patient xmlns="http://hl7.org/fhir"><name><x:family xmlns:x="urn:x" value="A"/></name></Patient>', "namespace urn:x"),
        (b'<Patient xmlns="http://hl7.org/fhir"><gender>female</gender></Patient>', "values in attributes"),
        (b'<Banana xmlns="http://hl7.org/fhir"/>', "not an STU3 resource type"),
        (b'<Patient xmlns="http://hl7.org/fhir"><contained/></Patient>', "exactly one resource"),
    ],
)
def test_documents_that_are_not_fhir_xml_are_refused_with_a_reason(document: bytes, reason: str) -> None:
    with pytest.raises(XmlError, match=reason):
        parse_xml(document)


def _to_xml(name: str, value: Any, extras: Any = None) -> str:
    """A small FHIR JSON → XML writer for the round-trip tests (the inverse mapping, written independently)."""
    if isinstance(value, list):
        more = extras if isinstance(extras, list) else [None] * len(value)
        return "".join(_to_xml(name, item, extra) for item, extra in zip(value, more, strict=True))
    if isinstance(value, dict) and "resourceType" in value:
        inner = "".join(_to_xml(k, v, value.get("_" + k)) for k, v in value.items() if k != "resourceType" and k[0] != "_")
        return f"<{name}><{value['resourceType']}>{inner}</{value['resourceType']}></{name}>"
    if isinstance(value, dict):
        attributes = "".join(f" {k}={quoteattr(str(value[k]))}" for k in ("id", "url") if k in value)
        inner = "".join(_to_xml(k, v, value.get("_" + k)) for k, v in value.items() if k not in ("id", "url") and k[0] != "_")
        return f"<{name}{attributes}>{inner}</{name}>"
    if name == "div":
        return str(value)
    text = json.dumps(value) if isinstance(value, bool) else str(value)
    attributes = f" value={quoteattr(text)}" if value is not None else ""
    if isinstance(extras, dict):
        attributes += f" id={quoteattr(extras['id'])}" if "id" in extras else ""
        inner = "".join(_to_xml("extension", e) for e in extras.get("extension", []))
        return f"<{name}{attributes}>{inner}</{name}>"
    return f"<{name}{attributes}/>"


def _document(resource: dict[str, Any]) -> bytes:
    inner = "".join(_to_xml(k, v, resource.get("_" + k)) for k, v in resource.items() if k != "resourceType" and k[0] != "_")
    return f'<{resource["resourceType"]} xmlns="http://hl7.org/fhir">{inner}</{resource["resourceType"]}>'.encode()


# Three JSON examples are not valid STU3 JSON (an object where an array is due, or the reverse: see
# test_examples.py); XML cannot carry that difference, so they cannot come back unchanged.
NOT_STU3 = {"ccri-ccri-dao-stu3-Social-History-SmokingStatus.json", "ccri-ccri-dao-stu3-Vital-Body-Mass-Example.json", "yhcr-encounter-1.json"}
JSON_EXAMPLES = sorted(path for path in (EXAMPLES / "by-type").glob("*.json") if path.name not in NOT_STU3)


@pytest.mark.parametrize("path", JSON_EXAMPLES, ids=lambda path: path.name)
def test_json_examples_survive_a_trip_through_xml(path: Any) -> None:
    resource = json.loads(path.read_text(encoding="utf-8"))
    assert parse_xml(_document(resource)) == resource


def test_interopen_patients_match_their_json_conversion() -> None:
    """data/testdata/interopen-patients.json holds the same Patients, converted once by hand-checked code."""
    converted = json.loads(data_path("testdata", "interopen-patients.json").read_text(encoding="utf-8"))
    converted = converted["entry"] if isinstance(converted, dict) else converted
    bundles = sorted((EXAMPLES / "interopen-patient-collections").glob("*.xml"))
    parsed = []
    for path in bundles:
        bundle = parse_xml(path.read_bytes())
        parsed += [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    expected = [item.get("resource", item) for item in converted]
    for mine, theirs in zip(parsed, expected, strict=True):
        for key in ("generalPractitioner", "managingOrganization"):  # rewritten from urn:uuid there (see its SOURCES)
            mine.pop(key, None)
            theirs.pop(key, None)
        assert mine == theirs


def test_escaped_text_is_unescaped() -> None:
    family = quoteattr("O'Brien & <Sons>")
    assert parse_xml(fhir(f"<Patient><name><family value={family}/></name></Patient>"))["name"][0]["family"] == "O'Brien & <Sons>"


R4_ALLERGY = (
    b'<AllergyIntolerance xmlns="http://hl7.org/fhir"><id value="a1"/>'
    b'<clinicalStatus><coding><system value="http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"/>'
    b'<code value="active"/></coding></clinicalStatus><patient><reference value="Patient/1"/></patient></AllergyIntolerance>'
)


def issues_of(document: bytes) -> dict[str, str]:
    return {issue.location: issue.message for issue in read_xml(document).issues}


def test_an_r4_shaped_element_is_kept_as_written_and_reported() -> None:
    reading = read_xml(R4_ALLERGY)
    assert reading.resource["clinicalStatus"] == {"coding": {"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}}
    (issue,) = reading.issues
    assert issue.kind is RuleKind.STRUCTURE and issue.severity is Severity.ERROR and issue.resource_type == "AllergyIntolerance"
    assert issue.location == "AllergyIntolerance.clinicalStatus"
    assert "<clinicalStatus> is a code in STU3 (a value attribute), but it holds child elements (<coding>)" in issue.message


@pytest.mark.parametrize(
    ("body", "location", "kept", "words"),
    [
        ("<gender value='male'/><gender value='female'/>", "Patient.gender", ["male", "female"], "appears 2 times; STU3 allows at most one code"),
        ("<favourite value='blue'/>", "Patient.favourite", "blue", "<favourite> is not an element of Patient in STU3"),
        ("<gender value='male' colour='blue'/>", "Patient.gender", "male", 'the attribute colour="blue"'),
        ("<active value='yes'/>", "Patient.active", "yes", '<active value="yes"> is not a boolean: STU3 expects true or false'),
        ("<maritalStatus value='M'/>", "Patient.maritalStatus", "M", '<maritalStatus value="M"> is a CodeableConcept in STU3'),
        ("<birthDate value='2000-01-01'><colour value='blue'/></birthDate>", "Patient.birthDate", "2000-01-01", "also holds <colour>"),
    ],
)
def test_content_that_is_not_stu3_is_never_dropped(body: str, location: str, kept: object, words: str) -> None:
    reading = read_xml(fhir(f"<Patient>{body}</Patient>"))
    assert reading.resource[location.split(".")[1]] == kept
    assert words in issues_of(fhir(f"<Patient>{body}</Patient>"))[location]


def test_an_empty_element_is_reported() -> None:
    assert "is empty" in issues_of(fhir("<Patient><gender/></Patient>"))["Patient.gender"]


def test_issues_inside_a_bundle_are_located_under_their_entry() -> None:
    bundle = b'<Bundle xmlns="http://hl7.org/fhir"><type value="searchset"/><entry><resource>' + R4_ALLERGY + b"</resource></entry></Bundle>"
    (issue,) = read_xml(bundle).issues
    assert issue.location == "Bundle.entry[0].resource.clinicalStatus" and issue.resource_type == "AllergyIntolerance"


def test_a_contained_resource_of_another_version_is_kept() -> None:
    reading = read_xml(fhir("<Patient><contained><ServiceRequest><id value='s'/></ServiceRequest></contained></Patient>"))
    assert reading.resource["contained"] == [{"resourceType": "ServiceRequest", "id": "s"}]
    assert (
        "<ServiceRequest> is not an STU3 resource type"
        in issues_of(fhir("<Patient><contained><ServiceRequest><id value='s'/></ServiceRequest></contained></Patient>"))["Patient.contained[0]"]
    )


def test_a_schema_location_is_not_an_issue() -> None:
    document = b'<Patient xmlns="http://hl7.org/fhir" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://hl7.org/fhir x.xsd"><id value="1"/></Patient>'
    assert read_xml(document).issues == ()


def test_decimals_can_be_read_exactly() -> None:
    document = b'<Observation xmlns="http://hl7.org/fhir"><valueQuantity><value value="1.50"/></valueQuantity></Observation>'
    assert str(read_xml(document, exact_decimals=True).resource["valueQuantity"]["value"]) == "1.50"


def test_validation_reports_the_reader_s_words_once() -> None:
    reading = read_xml(R4_ALLERGY)
    found = [issue for issue in validate(reading.resource, read=reading.issues) if issue.location == "AllergyIntolerance.clinicalStatus"]
    assert [issue.message for issue in found] == [reading.issues[0].message]
