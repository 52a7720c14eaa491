"""Reading FHIR XML into the JSON form of the same resource, so one set of checks judges both formats.

The mapping follows the STU3 XML and JSON pages: ``value`` attributes become JSON values typed by the
element's primitive type (``true`` → ``True``, ``5`` → ``5``); element ``id`` and extension ``url`` attributes
become properties; a primitive's ``id`` or extensions go under ``_name``; elements whose definition allows
more than one occurrence become arrays; the XHTML ``div`` is kept as written; resources inside
``contained``, ``Bundle.entry.resource`` and other ``Resource``-typed elements become nested objects.

Nothing is dropped: content the reader cannot read as STU3 (an unknown element or attribute, an element of
another shape such as R4's ``clinicalStatus`` CodeableConcept where STU3 has a code, a 0..1 element
repeated, a value that is not of its type, an empty element) is kept as written in the JSON form and
reported as a ``structure`` issue of its own, located like every validation issue
(``AllergyIntolerance.clinicalStatus``, ``Bundle.entry[0].resource.gender``).

Security: documents with a DTD or entity declarations are refused (no entity expansion, no external
fetches); the parser is expat, which never resolves external entities by itself.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from carecheck.fhir.definitions import Child, Scope, child_elements, is_resource_type, primitive_json_type
from carecheck.fhir.issues import Issue, RuleKind, Severity

__all__ = ["FHIR_NAMESPACE", "XHTML_NAMESPACE", "Reading", "XmlError", "parse_xml", "read_xml"]

FHIR_NAMESPACE = "http://hl7.org/fhir"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")


class XmlError(ValueError):
    """The document is not FHIR XML; the message says why in one line."""


@dataclass(frozen=True)
class Reading:
    """A document read: the resource in its JSON form, and what in it could not be read as STU3 (kept as written;
    only XML has such content, JSON keeps whatever it holds and structural validation judges it)."""

    resource: dict[str, Any]
    issues: tuple[Issue, ...] = ()


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
    return read_xml(data).resource


def read_xml(data: bytes, *, exact_decimals: bool = False) -> Reading:
    """The document read, with an issue for everything it holds that is not STU3 (see the module docstring).

    ``exact_decimals`` reads decimals as ``Decimal`` so their precision (``1.50`` against ``1.5``) survives.
    """
    reader = _Reader(exact_decimals)
    root = _TreeBuilder(data).build()
    if not is_resource_type(root.name):
        raise XmlError(f"<{root.name}> is not an STU3 resource type")
    return Reading(reader.resource(root, root.name), tuple(reader.issues))


_EXTENSION = Child("extension", "extension", True, "Extension", ("Extension", ""))
_OWN_ATTRIBUTES = frozenset({"id", "url"})


class _Reader:
    """Turns the tree into the JSON form, noting each piece it cannot read as STU3."""

    def __init__(self, exact_decimals: bool) -> None:
        self.exact_decimals = exact_decimals
        self.issues: list[Issue] = []
        self.resource_type = ""

    def note(self, location: str, message: str) -> None:
        self.issues.append(Issue(Severity.ERROR, RuleKind.STRUCTURE, location, message, self.resource_type))

    def resource(self, node: _Node, location: str) -> dict[str, Any]:
        outer, self.resource_type = self.resource_type, node.name
        resource: dict[str, Any] = {"resourceType": node.name}
        self.attributes(node, location, allowed=frozenset())
        self.fill(resource, node, (node.name, ""), location)
        self.resource_type = outer
        return resource

    def attributes(self, node: _Node, location: str, *, allowed: frozenset[str]) -> None:
        for qualified, value in node.attributes.items():
            namespace, name = _split(qualified)
            if namespace == _XSI_NAMESPACE or (not namespace and name in allowed):
                continue
            self.note(location, f"<{node.name}> has the attribute {name}={json.dumps(value)}, which FHIR XML does not define here")

    def fill(self, target: dict[str, Any], node: _Node, scope: Scope, location: str) -> None:
        allowed = child_elements(scope)
        groups: dict[str, list[_Node]] = {}
        for element in node.children:
            groups.setdefault(element.name, []).append(element)
        owner = f"{scope[0]}.{scope[1]}" if scope[1] else scope[0]
        for name, nodes in groups.items():
            child = allowed.get(name)
            where = f"{location}.{name}"
            if child is None:
                self.note(where, f"<{name}> is not an element of {owner} in STU3; kept as written")
                values = [self.untyped(item) for item in nodes]
                target[name] = values if len(values) > 1 else values[0]
                continue
            if len(nodes) > 1 and not child.repeats:
                self.note(where, f"<{name}> appears {len(nodes)} times; STU3 allows at most one {child.type} here")
            if child.primitive:
                self.put_primitive(target, child, nodes, where)
            else:
                listed = child.repeats or len(nodes) > 1
                values = [self.complex(item, child, f"{where}[{index}]" if listed else where) for index, item in enumerate(nodes)]
                target[name] = values if listed else values[0]

    def put_primitive(self, target: dict[str, Any], child: Child, nodes: list[_Node], where: str) -> None:
        listed = child.repeats or len(nodes) > 1
        values, extras = [], []
        for index, item in enumerate(nodes):
            here = f"{where}[{index}]" if listed else where
            value, extra = self.primitive(item, child, here)
            values.append(value)
            extras.append(extra)
        if listed:
            target[child.name] = values
            if any(extra is not None for extra in extras):
                target["_" + child.name] = extras
            return
        if values[0] is not None:
            target[child.name] = values[0]
        if extras[0] is not None:
            target["_" + child.name] = extras[0]

    def primitive(self, node: _Node, child: Child, where: str) -> tuple[Any, dict[str, Any] | None]:
        """A primitive's value and its ``_name`` part (id, extensions); a complex shape is kept whole as its value."""
        foreign = [item for item in node.children if item.name != "extension"]
        if child.type == "xhtml":
            return node.raw, None
        self.attributes(node, where, allowed=frozenset({"value", "id"}))
        text = node.attributes.get("value")
        if foreign and text is None:
            names = ", ".join(dict.fromkeys(f"<{item.name}>" for item in foreign))
            self.note(
                where,
                f"<{node.name}> is a {child.type} in STU3 (a value attribute), but it holds child elements ({names}): not readable as STU3, kept as written",
            )
            return self.untyped(node), None
        extras: dict[str, Any] = {}
        if "id" in node.attributes:
            extras["id"] = node.attributes["id"]
        extensions = [self.complex(item, _EXTENSION, f"{where}.extension[{index}]") for index, item in enumerate(node.children) if item.name == "extension"]
        if extensions:
            extras["extension"] = extensions
        if foreign:
            names = ", ".join(dict.fromkeys(f"<{item.name}>" for item in foreign))
            self.note(where, f"<{node.name}> is a {child.type} in STU3, which holds only extensions, but it also holds {names}; kept as written")
            for item in foreign:
                extras[item.name] = self.untyped(item)
        if text is None and not extras:
            self.note(where, f"<{node.name}> is empty: an element has a value attribute or child elements")
        return (self.typed(text, child, node.name, where) if text is not None else None), extras or None

    def typed(self, text: str, child: Child, name: str, where: str) -> Any:
        kind = primitive_json_type(child.type)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "integer" and _INTEGER.fullmatch(text):
            return int(text)
        if kind == "number" and _NUMBER.fullmatch(text):
            return Decimal(text) if self.exact_decimals else json.loads(text)
        if kind != "string":
            expected = {"boolean": "true or false", "integer": "a whole number", "number": "a decimal number"}[kind]
            self.note(where, f"<{name} value={json.dumps(text)}> is not a {child.type}: STU3 expects {expected}; kept as written")
        return text

    def complex(self, node: _Node, child: Child, where: str) -> Any:
        if child.type == "Resource":
            if len(node.children) != 1:
                raise XmlError(f"<{node.name}> must hold exactly one resource, it holds {len(node.children)} elements")
            inner = node.children[0]
            if not is_resource_type(inner.name):
                self.note(where, f"<{inner.name}> is not an STU3 resource type; kept as written")
                kept = self.untyped(inner)
                return {"resourceType": inner.name, **(kept if isinstance(kept, dict) else {})}
            return self.resource(inner, where)
        allowed = frozenset({"id", "url"}) if child.type == "Extension" else frozenset({"id"})
        if "value" in node.attributes:
            shown = json.dumps(node.attributes["value"])
            self.note(where, f"<{node.name} value={shown}> is a {child.type} in STU3 (child elements, no value attribute); kept as written")
            if not node.children and set(node.attributes) <= {"value"}:
                return node.attributes["value"]
            allowed |= {"value"}
        self.attributes(node, where, allowed=allowed)
        value: dict[str, Any] = {key: node.attributes[key] for key in ("id", "url", "value") if key in node.attributes and key in allowed}
        if child.scope is not None:
            self.fill(value, node, child.scope, where)
        if not value:
            self.note(where, f"<{node.name}> is empty: an element has a value attribute or child elements")
        return value

    def untyped(self, node: _Node) -> Any:
        """Content with no STU3 definition, kept as written: a lone value attribute as its text, else an object."""
        if node.raw is not None:
            return node.raw
        attributes = {_split(key)[1]: value for key, value in node.attributes.items()}
        if not node.children:
            return attributes["value"] if set(attributes) == {"value"} else attributes
        value: dict[str, Any] = dict(attributes)
        for item in node.children:
            converted = self.untyped(item)
            if item.name in value:
                existing = value[item.name]
                value[item.name] = [*existing, converted] if isinstance(existing, list) else [existing, converted]
            else:
                value[item.name] = converted
        return value
