"""FHIR content: reading resources (JSON or XML) out of bodies, and validating them.

``validate(resource)`` judges a resource, or every entry of a Bundle, against the STU3 base definitions
and the Care Connect profile it claims (or should claim), and returns ``Issue``s; ``waivers`` turns
accepted deviations into waived issues.
"""

from carecheck.fhir.body import JSON_MEDIA_TYPES, XML_MEDIA_TYPES, BodyError, parse_document, parse_resource, read_document, read_response
from carecheck.fhir.compartment import patient_of
from carecheck.fhir.issues import Issue, RuleKind, Severity, errors, shown
from carecheck.fhir.nhs_number import NHS_NUMBER_SYSTEM, is_valid_nhs_number, nhs_number_issues
from carecheck.fhir.validate import validate
from carecheck.fhir.waivers import Waivable, Waiver, apply_waivers, load_waivers, parse_waivers
from carecheck.fhir.xml import Reading, XmlError, parse_xml, read_xml

__all__ = [
    "JSON_MEDIA_TYPES",
    "NHS_NUMBER_SYSTEM",
    "XML_MEDIA_TYPES",
    "BodyError",
    "Issue",
    "Reading",
    "RuleKind",
    "Severity",
    "Waivable",
    "Waiver",
    "XmlError",
    "apply_waivers",
    "errors",
    "is_valid_nhs_number",
    "load_waivers",
    "nhs_number_issues",
    "parse_document",
    "parse_resource",
    "parse_waivers",
    "parse_xml",
    "patient_of",
    "read_document",
    "read_response",
    "read_xml",
    "shown",
    "validate",
]
