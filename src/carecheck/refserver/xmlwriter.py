"""FHIR JSON resources written as FHIR XML (https://hl7.org/fhir/STU3/xml.html), with the standard library only.

The mapping is mechanical: a primitive becomes ``<name value="…"/>``, an object a nested element,
an array repeated elements, a resource inside another (``Bundle.entry.resource``, ``contained``)
an element named by its ``resourceType``. ``id`` on a datatype and ``url`` on an extension become
attributes; ``_name`` companions carry a primitive's id and extensions; a narrative ``div`` is
XHTML copied in as it is. Element order is the order of the JSON keys, which this server
keeps in FHIR definition order. (fhir.resources' own XML writer needs lxml and mis-writes
element ids: see dependencies-probed §1.4.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["FHIR_NAMESPACE", "to_xml"]

FHIR_NAMESPACE = "http://hl7.org/fhir"
_XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_EXTENSIONS = frozenset({"extension", "modifierExtension"})
_RESOURCE_ATTRIBUTES = frozenset({"resourceType"})
_DATATYPE_ATTRIBUTES = frozenset({"id"})
_EXTENSION_ATTRIBUTES = frozenset({"id", "url"})


def to_xml(resource: Mapping[str, Any]) -> str:
    """``resource`` (FHIR JSON) as a FHIR XML document."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _resource(resource, out, namespace=True)
    return "".join(out)


def _resource(resource: Mapping[str, Any], out: list[str], *, namespace: bool = False) -> None:
    name = resource["resourceType"]
    out.append(f"<{name} xmlns={quoteattr(FHIR_NAMESPACE)}>" if namespace else f"<{name}>")
    _children(resource, out, skip=_RESOURCE_ATTRIBUTES)
    out.append(f"</{name}>")


def _children(element: Mapping[str, Any], out: list[str], *, skip: frozenset[str]) -> None:
    for key, value in element.items():
        if key in skip:
            continue
        if key.startswith("_"):
            if key[1:] not in element:  # a primitive with extensions but no value
                _element(key[1:], None, value, out)
            continue
        _element(key, value, element.get(f"_{key}"), out)


def _element(name: str, value: Any, companion: Any, out: list[str]) -> None:
    if isinstance(value, list) or isinstance(companion, list):
        values = value if isinstance(value, list) else []
        companions = companion if isinstance(companion, list) else []
        for index in range(max(len(values), len(companions))):
            item = values[index] if index < len(values) else None
            extra = companions[index] if index < len(companions) else None
            _element(name, item, extra, out)
    elif isinstance(value, Mapping) and "resourceType" in value:
        out.append(f"<{name}>")
        _resource(value, out)
        out.append(f"</{name}>")
    elif isinstance(value, Mapping):
        _complex(name, value, out)
    elif name == "div" and isinstance(value, str):
        out.append(_xhtml(value))
    elif value is not None or companion is not None:
        _primitive(name, value, companion, out)


def _complex(name: str, value: Mapping[str, Any], out: list[str]) -> None:
    extension = name in _EXTENSIONS
    out.append(f"<{name}{_attributes(value, extension=extension)}>")
    _children(value, out, skip=_EXTENSION_ATTRIBUTES if extension else _DATATYPE_ATTRIBUTES)
    out.append(f"</{name}>")


def _primitive(name: str, value: Any, companion: Any, out: list[str]) -> None:
    details = companion if isinstance(companion, Mapping) else {}
    attributes = _attributes(details, extension=False)
    if value is not None:
        attributes += f" value={quoteattr(_text(value))}"
    if "extension" not in details:
        out.append(f"<{name}{attributes}/>")
        return
    out.append(f"<{name}{attributes}>")
    _element("extension", details["extension"], None, out)
    out.append(f"</{name}>")


def _attributes(element: Mapping[str, Any], *, extension: bool) -> str:
    attributes = ""
    if "id" in element:
        attributes += f" id={quoteattr(str(element['id']))}"
    if extension and "url" in element:
        attributes += f" url={quoteattr(str(element['url']))}"
    return attributes


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xhtml(div: str) -> str:
    if "xmlns" in div.split(">", 1)[0]:
        return div
    if div.startswith("<div"):
        return f"<div xmlns={quoteattr(_XHTML_NAMESPACE)}" + div[len("<div") :]
    return f"<div xmlns={quoteattr(_XHTML_NAMESPACE)}>{escape(div)}</div>"
