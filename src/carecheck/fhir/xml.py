"""Reading FHIR XML into the JSON form of the same resource, so one set of checks judges both formats.

The mapping follows the STU3 XML and JSON pages: ``value`` attributes become JSON values typed by the
element's primitive type (``true`` → ``True``, ``5`` → ``5``); element ``id`` and extension ``url`` attributes
become properties; a primitive's ``id`` or extensions go under ``_name``; elements whose definition allows
more than one occurrence become arrays; the XHTML ``div`` is kept as written; resources inside
``contained``, ``Bundle.entry.resource`` and other ``Resource``-typed elements become nested objects.

Security: documents with a DTD or entity declarations are refused (no entity expansion, no external
fetches); the parser is expat, which never resolves external entities by itself.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Any

from carecheck.fhir.definitions import Child, Scope, child_elements, is_resource_type, primitive_json_type

__all__ = ["FHIR_NAMESPACE", "XHTML_NAMESPACE", "XmlError", "parse_xml"]

FHIR_NAMESPACE = "http://hl7.org/fhir"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")


class XmlError(ValueError):
    """The document is not FHIR XML; the message says why in one line."""


@dataclass
class _Node:
    namespace: str
    name: str
    attributes: dict[str, str]
    start: int
    children: list[_Node] = field(default_factory=list)
    raw: str | None = None


def _split(qualified: str) -> tuple[str, str]:
    namespace, _, local = qualified.rpartition(" ")
    return namespace, local


def _start_tag_end(data: bytes, start: int) -> int:
    """Index just past the ``>`` closing the start tag that begins at ``start`` (quotes may hold ``>``)."""
    quote = 0
    for index in range(start, len(data)):
        byte = data[index]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index + 1
    return len(data)


class _TreeBuilder:
    """expat callbacks building a light tree; XHTML inside a ``div`` is kept as its raw text."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.stack: list[_Node] = []
        self.root: _Node | None = None
        self.xhtml_depth = 0

    def build(self) -> _Node:
        try:
            self.parser.Parse(self.data, True)
        except xml.parsers.expat.ExpatError as error:
            raise XmlError(f"the body is not well-formed XML ({error})") from None
        if self.root is None:
            raise XmlError("the body has no XML element")
        return self.root

    def _refuse_doctype(self, *_: Any) -> None:
        raise XmlError("the XML has a document type declaration (DTD), which FHIR XML does not allow")

    def _refuse_entity(self, *_: Any) -> None:
        raise XmlError("the XML declares entities, which FHIR XML does not allow")

    def _start(self, qualified: str, attributes: dict[str, str]) -> None:
        namespace, name = _split(qualified)
        if self.xhtml_depth:
            self.xhtml_depth += 1
            return
        if not self.stack and namespace != FHIR_NAMESPACE:
            found = f"namespace {namespace}" if namespace else "no namespace"
            raise XmlError(f"the root element <{name}> has {found}, not the FHIR namespace {FHIR_NAMESPACE}")
        node = _Node(namespace, name, attributes, self.parser.CurrentByteIndex)
        if namespace == XHTML_NAMESPACE and name == "div" and self.stack:
            self.xhtml_depth = 1
        elif namespace != FHIR_NAMESPACE:
            where = f"<{name}> in namespace {namespace}" if namespace else f"<{name}> without a namespace"
            raise XmlError(f"{where}: FHIR XML elements must be in the namespace {FHIR_NAMESPACE}")
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def _end(self, _qualified: str) -> None:
        if self.xhtml_depth > 1:
            self.xhtml_depth -= 1
            return
        node = self.stack.pop()
        if self.xhtml_depth:
            self.xhtml_depth = 0
            index = self.parser.CurrentByteIndex
            tag_end = _start_tag_end(self.data, node.start)
            closed = self.data[tag_end - 2 : tag_end] == b"/>"
            end = tag_end if closed else self.data.index(b">", index) + 1
            node.raw = self.data[node.start : end].decode("utf-8", errors="replace")

    def _text(self, text: str) -> None:
        if not self.xhtml_depth and text.strip():
            where = self.stack[-1].name if self.stack else "the document"
            raise XmlError(f"text content {text.strip()[:40]!r} in <{where}>: FHIR XML carries values in attributes")


def parse_xml(data: bytes) -> dict[str, Any]:
    """The FHIR XML document ``data`` as the JSON-shaped dict of the same resource."""
    return _resource(_TreeBuilder(data).build())


def _resource(node: _Node) -> dict[str, Any]:
    if not is_resource_type(node.name):
        raise XmlError(f"<{node.name}> is not an STU3 resource type")
    resource: dict[str, Any] = {"resourceType": node.name}
    _fill(resource, node, (node.name, ""))
    return resource


def _fill(target: dict[str, Any], node: _Node, scope: Scope) -> None:
    allowed = child_elements(scope)
    groups: dict[str, list[_Node]] = {}
    for child in node.children:
        groups.setdefault(child.name, []).append(child)
    for name, nodes in groups.items():
        child = allowed.get(name)
        if child is None:
            target[name] = [_unknown(item) for item in nodes] if len(nodes) > 1 else _unknown(nodes[0])
        elif child.primitive:
            _put_primitive(target, child, nodes)
        else:
            values = [_complex(item, child) for item in nodes]
            target[name] = values if child.repeats or len(values) > 1 else values[0]


def _put_primitive(target: dict[str, Any], child: Child, nodes: list[_Node]) -> None:
    values = [_primitive_value(item, child) for item in nodes]
    extras = [_primitive_extras(item) for item in nodes]
    if child.repeats or len(nodes) > 1:
        target[child.name] = values
        if any(extra is not None for extra in extras):
            target["_" + child.name] = extras
        return
    if values[0] is not None:
        target[child.name] = values[0]
    if extras[0] is not None:
        target["_" + child.name] = extras[0]


def _primitive_value(node: _Node, child: Child) -> Any:
    if child.type == "xhtml":
        return node.raw
    text = node.attributes.get("value")
    if text is None:
        return None
    kind = primitive_json_type(child.type)
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        return json.loads(text)
    return text


def _primitive_extras(node: _Node) -> dict[str, Any] | None:
    extras: dict[str, Any] = {}
    if "id" in node.attributes:
        extras["id"] = node.attributes["id"]
    extensions = [_complex(item, _EXTENSION) for item in node.children if item.name == "extension"]
    if extensions:
        extras["extension"] = extensions
    return extras or None


_EXTENSION = Child("extension", "extension", True, "Extension", ("Extension", ""))


def _complex(node: _Node, child: Child) -> dict[str, Any]:
    if child.type == "Resource":
        if len(node.children) != 1:
            raise XmlError(f"<{node.name}> must hold exactly one resource, it holds {len(node.children)} elements")
        return _resource(node.children[0])
    value: dict[str, Any] = {}
    if "id" in node.attributes:
        value["id"] = node.attributes["id"]
    if "url" in node.attributes:
        value["url"] = node.attributes["url"]
    if child.scope is not None:
        _fill(value, node, child.scope)
    return value


def _unknown(node: _Node) -> Any:
    """An element the definitions do not know, kept so structural validation reports it by name."""
    if not node.children:
        return node.attributes.get("value", {})
    value: dict[str, Any] = {}
    for item in node.children:
        converted = _unknown(item)
        if item.name in value:
            existing = value[item.name]
            value[item.name] = [*existing, converted] if isinstance(existing, list) else [existing, converted]
        else:
            value[item.name] = converted
    return value
