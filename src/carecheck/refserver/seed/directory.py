"""The synthetic directory: GP practices and trusts (Organization), their sites (Location), staff and roles.

The directory is the same whatever the population: the Care Connect IG's own sample entities
(The Moir Medical Centre C81010, Dr Bhatia G8133438, Derby Teaching Hospitals RTG and its Long
Eaton Clinic RTG08) plus a few practices and trusts around them. Every Organization carries its
ODS code (``https://fhir.nhs.uk/Id/ods-organization-code``), every Location its ODS site code,
every Practitioner an SDS user id and role profile id, every PractitionerRole an SDS job role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from carecheck.refserver.params import CARECONNECT_PROFILE
from carecheck.refserver.seed.vocabulary import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, SNOMED, Code

__all__ = [
    "ODS_ORGANIZATION",
    "ODS_SITE",
    "SDS_ROLE_PROFILE",
    "SDS_USER",
    "Directory",
    "Practice",
    "build_directory",
]

ODS_ORGANIZATION = "https://fhir.nhs.uk/Id/ods-organization-code"
ODS_SITE = "https://fhir.nhs.uk/Id/ods-site-code"
SDS_USER = "https://fhir.nhs.uk/Id/sds-user-id"
SDS_ROLE_PROFILE = "https://fhir.nhs.uk/Id/sds-role-profile-id"
_JOB_ROLE = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1"
_GP = (Code(_JOB_ROLE, "R0260", "General Medical Practitioner"), Code(SNOMED, "394814009", "General practice"))
_CONSULTANT = (Code(_JOB_ROLE, "R0050", "Consultant"), Code(SNOMED, "394802001", "General medicine"))
_STAFF_PER_ORGANIZATION = 3

_Row = tuple[str, str, str, str | None, str, str, str]
"""ODS code, name, site code, site name (None: the organization's), address line, city, postcode."""
_PRACTICES: tuple[_Row, ...] = (
    ("C81010", "The Moir Medical Centre", "C81010", None, "Regent Street", "Long Eaton", "NG10 1QQ"),
    ("B86012", "Leeds City Medical Practice", "B86012", None, "Park Row", "Leeds", "LS1 5HD"),
    ("C84001", "Lenton Medical Centre", "C84001", None, "Derby Road", "Nottingham", "NG7 2DW"),
    ("C88001", "Broomhill Surgery", "C88001", None, "Glossop Road", "Sheffield", "S10 2GW"),
    ("B82005", "Priory Medical Group", "B82005", None, "Cornlands Road", "York", "YO24 3WX"),
    ("B83001", "Bradford Moor Practice", "B83001", None, "Leeds Road", "Bradford", "BD3 9LH"),
    ("B87002", "Trinity Medical Centre", "B87002", None, "Thornhill Street", "Wakefield", "WF1 1PG"),
    ("C81001", "Derwent Valley Surgery", "C81001", None, "Duffield Road", "Derby", "DE22 1AA"),
)
_TRUSTS: tuple[_Row, ...] = (
    ("RTG", "Derby Teaching Hospitals NHS Trust", "RTG08", "Long Eaton Clinic", "Midland Street", "Long Eaton",
     "NG10 1RY"),
    ("RX1", "Nottingham University Hospitals NHS Trust", "RX1RA", "Queen's Medical Centre", "Derby Road",
     "Nottingham", "NG7 2UH"),
    ("RHQ", "Sheffield Teaching Hospitals NHS Foundation Trust", "RHQNG", "Northern General Hospital",
     "Herries Road", "Sheffield", "S5 7AU"),
    ("RCB", "York Teaching Hospital NHS Foundation Trust", "RCB55", "York Hospital", "Wigginton Road", "York",
     "YO31 8HE"),
)  # fmt: skip
_FIRST_GP = ("G8133438", "Bhatia", "Amir", "male")
"""The IG's sample GP (Practitioner G8133438), the first GP of The Moir Medical Centre."""


@dataclass(frozen=True)
class Practice:
    """A GP practice or trust as the clinical records refer to it: its Organization, site and staff ids."""

    organization: str
    location: str
    practitioners: tuple[str, ...]


@dataclass(frozen=True)
class Directory:
    """The directory's resources, and the practices and trusts the population is spread over."""

    resources: tuple[dict[str, Any], ...]
    practices: tuple[Practice, ...]
    trusts: tuple[Practice, ...]


def build_directory() -> Directory:
    """The directory: the same resources, with the same ids, every time."""
    rng = random.Random("carecheck-directory")
    resources: list[dict[str, Any]] = []
    practices = tuple(_organization(row, _GP, "G", rng, resources) for row in _PRACTICES)
    trusts = tuple(_organization(row, _CONSULTANT, "C", rng, resources) for row in _TRUSTS)
    return Directory(tuple(resources), practices, trusts)


def _organization(row: _Row, role: tuple[Code, Code], user_prefix: str, rng: random.Random, out: list[dict[str, Any]]) -> Practice:
    ods, name, site, site_name, line, city, postcode = row
    address = {"use": "work", "line": [line], "city": city, "postalCode": postcode}
    organization_id, location_id = f"ods-{ods.lower()}", f"site-{site.lower()}"
    organization = {"active": True, "name": name}
    out.append(_resource("Organization", organization_id, ODS_ORGANIZATION, ods, organization, address))
    location = {"status": "active", "name": site_name or name}
    location_extra = {"managingOrganization": {"reference": f"Organization/{organization_id}", "display": name}}
    out.append(_resource("Location", location_id, ODS_SITE, site, location, address, location_extra))
    staff = []
    for number in range(_STAFF_PER_ORGANIZATION):
        person = _FIRST_GP if ods == "C81010" and number == 0 else _person(user_prefix, rng)
        practitioner = _practitioner(person, rng, address)
        out.append(practitioner)
        out.append(_role(practitioner, organization_id, name, role))
        staff.append(practitioner["id"])
    return Practice(organization_id, location_id, tuple(staff))


def _resource(
    resource_type: str,
    resource_id: str,
    system: str,
    value: str,
    middle: dict[str, Any],
    address: dict[str, Any],
    tail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "id": resource_id,
        "meta": {"profile": [CARECONNECT_PROFILE.format(resource_type)]},
        "identifier": [{"system": system, "value": value}],
        **middle,
        "address": address if resource_type == "Location" else [address],
        **(tail or {}),
    }


def _person(user_prefix: str, rng: random.Random) -> tuple[str, str, str, str]:
    gender = rng.choice(("male", "female"))
    given = rng.choice(MALE_NAMES if gender == "male" else FEMALE_NAMES)
    return f"{user_prefix}{rng.randrange(1_000_000, 10_000_000)}", rng.choice(FAMILY_NAMES), given, gender


def _practitioner(person: tuple[str, str, str, str], rng: random.Random, address: dict[str, Any]) -> dict[str, Any]:
    user_id, family, given, gender = person
    role_profile = str(rng.randrange(10**11, 10**12))
    return {
        "resourceType": "Practitioner",
        "id": f"sds-{user_id.lower()}",
        "meta": {"profile": [CARECONNECT_PROFILE.format("Practitioner")]},
        "identifier": [{"system": SDS_USER, "value": user_id}, {"system": SDS_ROLE_PROFILE, "value": role_profile}],
        "active": True,
        "name": [{"use": "official", "family": family, "given": [given], "prefix": ["Dr"]}],
        "address": [address],
        "gender": gender,
    }


def _role(practitioner: dict[str, Any], organization_id: str, name: str, role: tuple[Code, Code]) -> dict[str, Any]:
    job, specialty = role
    (official,) = practitioner["name"]
    return {
        "resourceType": "PractitionerRole",
        "id": f"{practitioner['id']}-role",
        "meta": {"profile": [CARECONNECT_PROFILE.format("PractitionerRole")]},
        "identifier": [practitioner["identifier"][1]],
        "active": True,
        "practitioner": {
            "reference": f"Practitioner/{practitioner['id']}",
            "display": f"Dr {official['given'][0]} {official['family']}",
        },
        "organization": {"reference": f"Organization/{organization_id}", "display": name},
        "code": [job.concept()],
        "specialty": [specialty.concept()],
    }
