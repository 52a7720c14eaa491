"""NHS number rules for Patient: the national system, a Modulus 11 check digit, and a verified status.

From the Care Connect API guide (requirements §1.3 and §7.2): "Only verified NHS Number SHALL be used";
the verification status is the CareConnect-NHSNumberVerificationStatus-1 extension on the identifier, and
code ``01`` ("Number present and verified") is expected (a warning otherwise, as CORE softens it to SHOULD).
"""

from __future__ import annotations

from typing import Any

from carecheck.fhir.issues import Issue, RuleKind, Severity

__all__ = ["NHS_NUMBER_SYSTEM", "VERIFICATION_STATUS_URL", "VERIFIED", "is_valid_nhs_number", "nhs_number_issues"]

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
VERIFICATION_STATUS_URL = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1"
VERIFIED = "01"


def is_valid_nhs_number(value: str) -> bool:
    """Ten digits whose last is the Modulus 11 check digit of the first nine (a check digit of 10 is invalid)."""
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        return False
    remainder = sum(int(digit) * (10 - position) for position, digit in enumerate(value[:9])) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(value[9])


def _status_codes(extension: dict[str, Any]) -> list[str]:
    concept = extension.get("valueCodeableConcept")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return [str(c.get("code")) for c in codings or [] if isinstance(c, dict)]


def nhs_number_issues(patient: dict[str, Any]) -> list[Issue]:
    """Every NHS number identifier of ``patient`` checked for a valid number and a verified status."""
    found: list[Issue] = []
    identifiers = patient.get("identifier")
    for index, identifier in enumerate(identifiers if isinstance(identifiers, list) else []):
        if not isinstance(identifier, dict) or identifier.get("system") != NHS_NUMBER_SYSTEM:
            continue
        location = f"Patient.identifier[{index}]"

        def report(severity: Severity, where: str, message: str) -> None:
            found.append(Issue(severity, RuleKind.NHS_NUMBER, where, message, "Patient"))

        value = identifier.get("value")
        if not isinstance(value, str) or not is_valid_nhs_number(value):
            message = f"{value!r} is not a valid NHS number (10 digits, Modulus 11 check digit)"
            report(Severity.ERROR, f"{location}.value", message)
        extensions = identifier.get("extension")
        statuses = [e for e in extensions or [] if isinstance(e, dict) and e.get("url") == VERIFICATION_STATUS_URL]
        if not statuses:
            report(Severity.ERROR, f"{location}.extension", "the NHS number has no verification status extension")
            continue
        codes = _status_codes(statuses[0])
        if VERIFIED not in codes:
            shown = ", ".join(codes) or "no code"
            message = f"verification status is {shown}, not {VERIFIED} (number present and verified)"
            report(Severity.WARNING, f"{location}.extension", message)
    return found
