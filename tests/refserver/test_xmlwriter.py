"""Tests for carecheck.refserver.xmlwriter: FHIR JSON written as FHIR XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from carecheck.refserver.xmlwriter import FHIR_NAMESPACE, to_xml

F = f"{{{FHIR_NAMESPACE}}}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _children(element: ET.Element) -> list[str]:
    return [child.tag.removeprefix(F) for child in element]


def _found(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    assert found is not None, path
    return found


def test_primitives_complex_elements_and_repeats() -> None:
    root = ET.fromstring(
        to_xml(
            {
                "resourceType": "Patient",
                "id": "p1",
                "active": True,
                "name": [{"use": "official", "family": "MEAKIN", "given": ["Mike", "J"]}],
                "gender": "male",
                "multipleBirthInteger": 2,
            }
        )
    )
    assert root.tag == f"{F}Patient"
    assert _children(root) == ["id", "active", "name", "gender", "multipleBirthInteger"]
    assert _found(root, f"{F}id").get("value") == "p1"
    assert _found(root, f"{F}active").get("value") == "true"
    assert _found(root, f"{F}multipleBirthInteger").get("value") == "2"
    name = root.find(f"{F}name")
    assert name is not None and _children(name) == ["use", "family", "given", "given"]
    assert [given.get("value") for given in name.findall(f"{F}given")] == ["Mike", "J"]


def test_extension_url_and_datatype_id_are_attributes() -> None:
    root = ET.fromstring(
        to_xml(
            {
                "resourceType": "Patient",
                "identifier": [
                    {
                        "id": "nhs",
                        "extension": [{"url": "http://example.org/ext", "valueCodeableConcept": {"coding": [{"code": "01"}]}}],
                        "system": "https://fhir.nhs.uk/Id/nhs-number",
                        "value": "9658218873",
                    }
                ],
            }
        )
    )
    identifier = root.find(f"{F}identifier")
    assert identifier is not None and identifier.get("id") == "nhs"
    assert _children(identifier) == ["extension", "system", "value"]
    extension = identifier.find(f"{F}extension")
    assert extension is not None and extension.get("url") == "http://example.org/ext"
    assert _children(extension) == ["valueCodeableConcept"]
    assert _found(extension, f"{F}valueCodeableConcept/{F}coding/{F}code").get("value") == "01"


def test_primitive_companions_carry_id_and_extensions() -> None:
    root = ET.fromstring(
        to_xml(
            {
                "resourceType": "Patient",
                "name": [{"given": ["A", "B"], "_given": [None, {"extension": [{"url": "u", "valueString": "s"}]}]}],
                "_gender": {"extension": [{"url": "v", "valueBoolean": False}]},
                "birthDate": "1970",
                "_birthDate": {"id": "b"},
            }
        )
    )
    given = root.findall(f"{F}name/{F}given")
    assert [element.get("value") for element in given] == ["A", "B"]
    assert len(given[0]) == 0 and _found(given[1], f"{F}extension").get("url") == "u"
    gender = root.find(f"{F}gender")
    assert gender is not None and gender.get("value") is None
    assert _found(gender, f"{F}extension/{F}valueBoolean").get("value") == "false"
    birth_date = root.find(f"{F}birthDate")
    assert birth_date is not None and (birth_date.get("id"), birth_date.get("value")) == ("b", "1970")


def test_nested_resources_are_wrapped_in_their_type() -> None:
    root = ET.fromstring(
        to_xml(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"fullUrl": "http://x/Patient/1", "resource": {"resourceType": "Patient", "id": "1"}}],
            }
        )
    )
    assert _found(root, f"{F}entry/{F}resource/{F}Patient/{F}id").get("value") == "1"


def test_narrative_div_is_xhtml() -> None:
    with_namespace = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi &amp; bye</p></div>'
    for div in (with_namespace, "<div><p>Hi &amp; bye</p></div>"):
        root = ET.fromstring(to_xml({"resourceType": "Patient", "text": {"status": "generated", "div": div}}))
        paragraph = root.find(f"{F}text/{XHTML}div/{XHTML}p")
        assert paragraph is not None and paragraph.text == "Hi & bye"


def test_values_are_escaped() -> None:
    tricky = 'O\'Neil <&> "quoted"\nline'
    root = ET.fromstring(to_xml({"resourceType": "Patient", "name": [{"family": tricky}]}))
    assert _found(root, f"{F}name/{F}family").get("value") == tricky


def test_document_declares_utf8_and_the_fhir_namespace_once() -> None:
    text = to_xml({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "id": "ü"}}]})
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><Bundle xmlns="http://hl7.org/fhir">')
    assert text.count("xmlns=") == 1
