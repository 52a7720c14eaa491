"""Search parameters of the people and places: Patient, Practitioner, PractitionerRole, Organization, Location.

Rows come from the Care Connect IG and Core API tables (requirements §2.1) and the STU3 SearchParameter
they name; ``general-practitioner`` and ``organization`` on Patient are there for ``_include``.
"""

from __future__ import annotations

from carecheck.refserver.params.model import (
    ResourceDefinition,
    SearchParamType,
    identifier_param,
    resource_definition,
    search_param,
)

__all__ = ["LOCATION", "ORGANIZATION", "PATIENT", "PRACTITIONER", "PRACTITIONER_ROLE"]

_STRING, _TOKEN = SearchParamType.STRING, SearchParamType.TOKEN
_DATE, _REFERENCE = SearchParamType.DATE, SearchParamType.REFERENCE


PATIENT = resource_definition(
    "Patient",
    identifier_param("Patient-identifier", "https://fhir.nhs.uk/Id/nhs-number|9658218873"),
    search_param("family", _STRING, "individual-family", "A portion of the family name", ("name.family", "string")),
    search_param("given", _STRING, "individual-given", "A portion of a given name", ("name.given", "string")),
    search_param(
        "name",
        _STRING,
        "Patient-name",
        "A portion of any part of any name: family, given, prefix, suffix or text",
        ("name", "HumanName"),
    ),
    search_param(
        "gender",
        _TOKEN,
        "individual-gender",
        "Administrative gender: male | female | other | unknown",
        ("gender", "code"),
        system="http://hl7.org/fhir/administrative-gender",
    ),
    search_param(
        "birthdate",
        _DATE,
        "individual-birthdate",
        "The date of birth; prefixes eq ne gt lt ge le sa eb ap, partial dates as ranges",
        ("birthDate", "date"),
    ),
    search_param(
        "email",
        _TOKEN,
        "individual-email",
        "An email address, matched exactly",
        ("telecom[system=email]", "ContactPoint"),
    ),
    search_param(
        "phone",
        _TOKEN,
        "individual-phone",
        "A phone number, matched exactly as recorded",
        ("telecom[system=phone]", "ContactPoint"),
    ),
    search_param(
        "address-postalcode",
        _STRING,
        "individual-address-postalcode",
        "A portion of a postal code of any address",
        ("address.postalCode", "string"),
    ),
    search_param(
        "general-practitioner",
        _REFERENCE,
        "Patient-general-practitioner",
        "The patient's nominated GP, a Practitioner or Organization (chain as general-practitioner:Practitioner.identifier)",
        ("generalPractitioner", "Reference"),
        targets=("Organization", "Practitioner"),
    ),
    search_param(
        "organization",
        _REFERENCE,
        "Patient-organization",
        "The organization that is the custodian of the patient record",
        ("managingOrganization", "Reference"),
        targets=("Organization",),
    ),
)

PRACTITIONER = resource_definition(
    "Practitioner",
    identifier_param("Practitioner-identifier", "https://fhir.nhs.uk/Id/sds-user-id|G8133438"),
    search_param("name", _STRING, "Practitioner-name", "A portion of any part of any name", ("name", "HumanName")),
    search_param(
        "address-postalcode",
        _STRING,
        "individual-address-postalcode",
        "A portion of a postal code of any address (the IG spells it adddress-postcode)",
        ("address.postalCode", "string"),
    ),
)

PRACTITIONER_ROLE = resource_definition(
    "PractitionerRole",
    identifier_param("PractitionerRole-identifier", "https://fhir.nhs.uk/Id/sds-role-profile-id|100000000001"),
    search_param(
        "organization",
        _REFERENCE,
        "PractitionerRole-organization",
        "The organization where the role is available",
        ("organization", "Reference"),
        targets=("Organization",),
    ),
    search_param(
        "practitioner",
        _REFERENCE,
        "PractitionerRole-practitioner",
        "The practitioner in the role",
        ("practitioner", "Reference"),
        targets=("Practitioner",),
    ),
)


def _place(resource_type: str, definition_prefix: str, identifier_example: str) -> ResourceDefinition:
    return resource_definition(
        resource_type,
        identifier_param(f"{definition_prefix}-identifier", identifier_example),
        search_param(
            "name",
            _STRING,
            f"{definition_prefix}-name",
            "A portion of the name or an alias",
            ("name", "string"),
            ("alias", "string"),
        ),
        search_param(
            "address",
            _STRING,
            f"{definition_prefix}-address",
            "A portion of any part of any address: line, city, district, state, postal code, country or text",
            ("address", "Address"),
        ),
        search_param(
            "address-city",
            _STRING,
            f"{definition_prefix}-address-city",
            "A city of an address",
            ("address.city", "string"),
        ),
        search_param(
            "address-postalcode",
            _STRING,
            f"{definition_prefix}-address-postalcode",
            "A postal code of an address (the IG spells it adddress-postcode)",
            ("address.postalCode", "string"),
        ),
    )


ORGANIZATION = _place("Organization", "Organization", "https://fhir.nhs.uk/Id/ods-organization-code|RR8")
LOCATION = _place("Location", "Location", "https://fhir.nhs.uk/Id/ods-site-code|RR801")
