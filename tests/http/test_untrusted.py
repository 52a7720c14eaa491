"""Reading what a server sent: nesting measured on the bytes, every failure a ValueError, links that may not be URLs."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from carecheck.http.untrusted import DEPTH_CEILING, UnreadableBody, nests_deeper_than, parse_json, parse_url, printable


def nested_json(levels: int) -> bytes:
    return b'{"resourceType": "Bundle", "entry": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


def nested_xml(levels: int) -> bytes:
    return b'<Bundle xmlns="http://hl7.org/fhir">' + b"<entry>" * (levels - 1) + b"</entry>" * (levels - 1) + b"</Bundle>"


@pytest.mark.parametrize("nested", [nested_json, nested_xml], ids=["json", "xml"])
def test_nesting_is_measured_exactly_at_the_limit(nested: Callable[[int], bytes]) -> None:
    assert not nests_deeper_than(nested(100), 100)
    assert nests_deeper_than(nested(101), 100)
    assert nests_deeper_than(nested(200_000), 100)


def test_brackets_and_tags_inside_text_do_not_count() -> None:
    in_strings = json.dumps({"resourceType": "Patient", "text": "[" * 500, "note": ['{"quoted": "\\"[[["}']}).encode()
    assert not nests_deeper_than(in_strings, 10)
    in_comments = b'<Patient xmlns="http://hl7.org/fhir"><!--' + b"<a>" * 500 + b"--><![CDATA[" + b"<b>" * 500 + b']]><id value="x"/></Patient>'
    assert not nests_deeper_than(in_comments, 10)
    self_closing = b'<Patient xmlns="http://hl7.org/fhir">' + b'<extension url="u"/>' * 500 + b"</Patient>"
    assert not nests_deeper_than(self_closing, 10)


def test_a_body_that_is_neither_json_nor_xml_never_nests() -> None:
    assert not nests_deeper_than(b"plain text [[[[[[[[[[[[", 3)
    assert not nests_deeper_than(b"", 3)
    assert nests_deeper_than(b"\xef\xbb\xbf  [[[[[]]]]]", 3), "a byte order mark does not hide the document"


def test_parse_json_refuses_what_is_too_deep_before_parsing_and_says_why() -> None:
    with pytest.raises(UnreadableBody, match=f"JSON nesting deeper than {DEPTH_CEILING} levels"):
        parse_json(nested_json(200_000))
    with pytest.raises(UnreadableBody, match="JSON nesting deeper than 5 levels"):
        parse_json(nested_json(6), max_depth=5)
    assert parse_json(nested_json(5), max_depth=5)["resourceType"] == "Bundle"


@pytest.mark.parametrize("body", [b'{"id": ', b"\xff\xfe{}", b"<Patient/>", '{"id": "\ud800"'])
def test_every_other_failure_is_unreadable_body_too(body: bytes | str) -> None:
    with pytest.raises(UnreadableBody, match="not valid JSON"):
        parse_json(body)


def test_lone_surrogates_in_json_strings_are_read_as_they_are() -> None:
    assert parse_json(b'{"id": "\\u0000\\ud800"}') == {"id": "\x00\ud800"}


@pytest.mark.parametrize("link", ["http://[::1", "not a url", "ftp://host/file", "http:///no-host", "http://host:99999/"])
def test_a_link_that_is_not_an_http_url_is_none(link: str) -> None:
    assert parse_url(link) is None


def test_a_link_that_is_one_parses() -> None:
    url = parse_url("https://fhir.example/STU3/Patient?page=2")
    assert url is not None and (url.scheme, url.host, url.params["page"]) == ("https", "fhir.example", "2")


def test_printable_escapes_lone_surrogates_only() -> None:
    assert printable("a\ud800b\udfff") == "a\\ud800b\\udfff"
    assert printable("Müller \x00 ✓") == "Müller \x00 ✓"
    printable("\ud800").encode("utf-8")
