"""Tests for carecheck.refserver.security.middleware: every way a token fails at the FHIR API, answered exactly."""

from __future__ import annotations

import base64
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any
from unittest.mock import ANY

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from carecheck.refserver import create_app
from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.security.keys import SigningKey
from tests.refserver.conftest import TestClient
from tests.refserver.security.conftest import bearer, claims_of, compact, hs256_with_public_key

F = "{http://hl7.org/fhir}"
PLAIN_CHALLENGE = 'Bearer realm="carecheck"'
RFC6750_DESCRIPTION = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]+")


def _invalid(description: str) -> str:
    return f'Bearer realm="carecheck", error="invalid_token", error_description="{description}"'


def _forbidden(description: str) -> str:
    return f'Bearer realm="carecheck", error="insufficient_scope", error_description="{description}"'


def _issue(response: httpx.Response, status: int, challenge: str) -> dict[str, Any]:
    """The single error issue of the OperationOutcome in ``response``, after checking status and challenge."""
    assert response.status_code == status, response.text
    assert response.headers["www-authenticate"] == challenge
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    (issue,) = outcome["issue"]
    assert issue["severity"] == "error"
    found: dict[str, Any] = issue
    return found


def _resigned(settings: SecuritySettings, **changes: Any) -> Callable[[str], str]:
    """A forge: the real token's claims with ``changes`` (None removes a claim), signed with the server's key."""

    def forge(token: str) -> str:
        claims = {name: value for name, value in {**claims_of(token), **changes}.items() if value is not None}
        return settings.signing_key.sign(claims, typ="at+jwt")

    return forge


def _tampered(token: str) -> str:
    header, _, signature = token.split(".")
    claims = {**claims_of(token), "scope": "system/*.*"}
    return ".".join([header, compact({}, claims).split(".")[1], signature])


def _unsigned(token: str) -> str:
    return compact({**jwt.get_unverified_header(token), "alg": "none"}, claims_of(token))


def _other_key(kid: str | None) -> Callable[[str], str]:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def forge(token: str) -> str:
        headers = {"kid": kid or SigningKey(other).kid, "typ": "at+jwt"}
        return jwt.encode(claims_of(token), other, algorithm="RS256", headers=headers)

    return forge


def _basic(settings: SecuritySettings) -> dict[str, str]:
    secret = settings.clients["carecheck-all"].secret
    return {"Authorization": "Basic " + base64.b64encode(f"carecheck-all:{secret}".encode()).decode()}


@pytest.fixture(scope="module")
def all_token(token_of: Callable[[str], str]) -> str:
    return token_of("carecheck-all")


# authentication: 401


def test_a_request_without_authorization_gets_a_plain_bearer_challenge(secured: TestClient) -> None:
    issue = _issue(secured.get("/STU3/Patient"), 401, PLAIN_CHALLENGE)
    assert issue == {
        "severity": "error",
        "code": "login",
        "diagnostics": "no Authorization header: this endpoint needs a Bearer access token",
    }


def test_the_basic_scheme_is_not_accepted(secured: TestClient, settings: SecuritySettings) -> None:
    issue = _issue(secured.get("/STU3/Patient", headers=_basic(settings)), 401, PLAIN_CHALLENGE)
    assert (issue["code"], issue["diagnostics"]) == ("login", "the Authorization header must use the Bearer scheme")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "bearer    "])
def test_an_empty_bearer_token_is_invalid(secured: TestClient, header: str) -> None:
    description = "the Bearer access token is empty"
    issue = _issue(secured.get("/STU3/Patient", headers={"Authorization": header}), 401, _invalid(description))
    assert (issue["code"], issue["diagnostics"]) == ("security", description)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9", "e30.e30.", "bm90IGpzb24.e30.c2ln"])
def test_a_malformed_token_is_invalid(secured: TestClient, token: str) -> None:
    description = "the access token is not a well-formed JWT"
    response = secured.get("/STU3/Patient", headers=bearer(token))
    assert _issue(response, 401, _invalid(description))["diagnostics"] == description


SKEW = 120  # beyond the 30 s leeway


@pytest.mark.parametrize(
    ("case", "forge", "description"),
    [
        (
            "expired",
            lambda s: _resigned(s, exp=int(time.time()) - SKEW),
            "the access token has expired (exp is in the past)",
        ),
        (
            "not yet valid",
            lambda s: _resigned(s, nbf=int(time.time()) + SKEW),
            "the access token is not valid yet (nbf is in the future)",
        ),
        (
            "issued in the future",
            lambda s: _resigned(s, iat=int(time.time()) + SKEW),
            "the access token was issued in the future (iat is in the future)",
        ),
        (
            "wrong audience",
            lambda s: _resigned(s, aud="http://testserver/R4"),
            "the access token is not meant for this server (wrong aud)",
        ),
        (
            "wrong issuer",
            lambda s: _resigned(s, iss="https://auth.example.org"),
            "the access token was not issued by this server (wrong iss)",
        ),
        ("no exp", lambda s: _resigned(s, exp=None), "the access token has no exp claim"),
        ("no scope", lambda s: _resigned(s, scope=None), "the access token has no scope claim"),
        (
            "exp not a number",
            lambda s: _resigned(s, exp="tomorrow"),
            "the access token exp claim is not a number of seconds",
        ),
        (
            "payload altered",
            lambda s: _tampered,
            "the access token signature does not verify with this server's key",
        ),
        (
            "signed by another key naming it",
            lambda s: _other_key(None),
            "the access token was not signed by this server's key (unknown kid)",
        ),
        (
            "signed by another key under the server's kid",
            lambda s: _other_key(s.signing_key.kid),
            "the access token signature does not verify with this server's key",
        ),
        ("alg none", lambda s: _unsigned, "the access token must be signed with RS256, not alg none"),
        (
            "HS256 with the server's public key",
            lambda s: lambda token: hs256_with_public_key(token, s),
            "the access token must be signed with RS256, not alg HS256",
        ),
    ],
)
def test_a_forged_token_is_refused_saying_why(
    secured: TestClient,
    settings: SecuritySettings,
    all_token: str,
    case: str,
    forge: Callable[[SecuritySettings], Callable[[str], str]],
    description: str,
) -> None:
    forged = forge(settings)(all_token)
    response = secured.get("/STU3/Patient", headers=bearer(forged))
    issue = _issue(response, 401, _invalid(description))
    assert (issue["code"], issue["diagnostics"]) == ("security", description)
    assert forged not in response.text
    assert RFC6750_DESCRIPTION.fullmatch(description)


def test_times_within_the_leeway_are_accepted(secured: TestClient, settings: SecuritySettings, all_token: str) -> None:
    now = int(time.time())
    forged = _resigned(settings, exp=now - 10, nbf=now + 10, iat=now + 10)(all_token)
    assert secured.get("/STU3/Patient", headers=bearer(forged)).status_code == 200


def test_a_token_for_another_origin_is_refused(secured: TestClient, all_token: str) -> None:
    response = secured.get("http://localhost/STU3/Patient", headers=bearer(all_token))
    _issue(response, 401, _invalid("the access token was not issued by this server (wrong iss)"))


def test_the_outcome_follows_the_requested_format(secured: TestClient) -> None:
    response = secured.get("/STU3/Patient", params={"_format": "xml"}, headers=bearer("garbage"))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/fhir+xml; charset=utf-8"
    code = ET.fromstring(response.content).find(f"{F}issue/{F}code")
    assert code is not None and code.get("value") == "security"
    accept = secured.get("/STU3/Patient", headers={"Accept": "application/fhir+xml"})
    assert accept.headers["content-type"] == "application/fhir+xml; charset=utf-8"


# a valid token


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_a_valid_token_is_served_whatever_the_scheme_case(secured: TestClient, all_token: str, scheme: str) -> None:
    response = secured.get("/STU3/Patient", headers=bearer(all_token, scheme))
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle"


def test_a_read_with_a_valid_token_reaches_the_fhir_api(secured: TestClient, all_token: str) -> None:
    response = secured.get("/STU3/Patient/no-such-patient", headers=bearer(all_token))
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("path", ["/STU3/metadata", "/STU3/.well-known/smart-configuration"])
def test_metadata_and_discovery_are_open(secured: TestClient, path: str) -> None:
    assert secured.get(path).status_code == 200
    assert secured.get(path, headers=bearer("garbage")).status_code == 200


@pytest.mark.parametrize("path", ["/STU3", "/STU3/", "/STU3/_history", "/STU3/metadata/extra", "/STU3/.well-known"])
def test_everything_else_under_the_fhir_base_needs_a_token(secured: TestClient, path: str) -> None:
    assert secured.get(path).status_code == 401


def test_paths_outside_the_fhir_base_are_left_to_the_app(secured: TestClient) -> None:
    assert secured.get("/favicon.ico").status_code == 404


# authorization: 403


def test_a_token_scoped_to_patient_reads_patients_only(secured: TestClient, token_of: Callable[[str], str]) -> None:
    token = token_of("carecheck-patient-only")
    assert secured.get("/STU3/Patient", headers=bearer(token)).status_code == 200
    for resource_type in ("Observation", "Condition", "MedicationRequest", "Organization"):
        description = f"the access token's scopes do not allow reading {resource_type}"
        response = secured.get(f"/STU3/{resource_type}", headers=bearer(token))
        issue = _issue(response, 403, _forbidden(description))
        assert (issue["code"], issue["diagnostics"]) == ("forbidden", description)
        assert _issue(secured.get(f"/STU3/{resource_type}/1", headers=bearer(token)), 403, _forbidden(description))


def test_a_token_with_no_smart_scope_reads_nothing(secured: TestClient, token_of: Callable[[str], str]) -> None:
    description = "the access token's scopes do not allow reading Patient"
    _issue(secured.get("/STU3/Patient", headers=bearer(token_of("carecheck-limited"))), 403, _forbidden(description))


@pytest.mark.parametrize(
    ("params", "refused"),
    [
        ({"_revinclude": "Observation:subject"}, "Observation"),
        ({"_include": "Patient:general-practitioner:Practitioner"}, "Practitioner"),
        (
            {"_include": "Patient:general-practitioner"},
            "every type an _include or _revinclude may return (that needs a * scope)",
        ),
        ({"_revinclude": "*"}, "every type an _include or _revinclude may return (that needs a * scope)"),
    ],
)
def test_includes_need_scopes_for_what_they_bring_in(secured: TestClient, token_of: Callable[[str], str], params: dict[str, str], refused: str) -> None:
    token = token_of("carecheck-patient-only")
    description = f"the access token's scopes do not allow reading {refused}"
    _issue(secured.get("/STU3/Patient", params=params, headers=bearer(token)), 403, _forbidden(description))
    posted = secured.post("/STU3/Patient/_search", data=params, headers=bearer(token))
    _issue(posted, 403, _forbidden(description))


def test_an_include_within_the_scopes_passes(secured: TestClient, all_token: str) -> None:
    response = secured.get("/STU3/Patient", params={"_revinclude": "*"}, headers=bearer(all_token))
    assert response.status_code not in (401, 403)


def test_a_search_by_post_reaches_the_app_with_its_body(secured: TestClient, token_of: Callable[[str], str]) -> None:
    response = secured.post("/STU3/Patient/_search", data={"_count": "3"}, headers=bearer(token_of("carecheck-patient-only")))
    assert response.status_code == 200
    assert "_count=3" in next(link["url"] for link in response.json()["link"] if link["relation"] == "self")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_read_scope_cannot_write(secured: TestClient, all_token: str, method: str) -> None:
    path = "/STU3/Patient" if method == "POST" else "/STU3/Patient/1"
    description = "the access token's scopes do not allow writing Patient"
    response = secured.request(method, path, content=b"{}", headers=bearer(all_token))
    assert _issue(response, 403, _forbidden(description))["code"] == "forbidden"


def test_a_write_scope_reaches_the_read_only_api(secured: TestClient, settings: SecuritySettings, all_token: str) -> None:
    writer = _resigned(settings, scope="system/Patient.write")(all_token)
    response = secured.post("/STU3/Patient", content=b"{}", headers=bearer(writer))
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


# patient context: a token bound to one patient

ME = "2f88064f-8dc3-4763-af75-94faf6b08b18"
OTHERS = f"the access token is bound to Patient/{ME}: it reads no other patient's records"


@pytest.fixture(scope="module")
def seeded(settings: SecuritySettings) -> Iterator[TestClient]:
    """The reference app with its seed, behind the same security as ``secured`` (so the same tokens work)."""
    with TestClient(create_app(population=1, auth=settings)) as client:
        yield client


@pytest.fixture(scope="module")
def mine(token_of: Callable[[str], str]) -> dict[str, str]:
    return bearer(token_of("carecheck-patient-context"))


@pytest.fixture(scope="module")
def theirs(seeded: TestClient, all_token: str) -> dict[str, str]:
    """Another patient, and one of their Observations and one of the context patient's."""
    entries = seeded.get("/STU3/Observation", params={"_count": "200"}, headers=bearer(all_token)).json()["entry"]
    owners = {entry["resource"]["subject"]["reference"]: entry["resource"]["id"] for entry in entries}
    own = owners.pop(f"Patient/{ME}")
    other, observation = next(iter(owners.items()))
    return {"patient": other.removeprefix("Patient/"), "observation": observation, "own observation": own}


def _subjects(bundle: dict[str, Any]) -> set[str]:
    resources = [entry["resource"] for entry in bundle.get("entry", [])]
    return {r["id"] if r["resourceType"] == "Patient" else (r.get("subject") or r["patient"])["reference"].removeprefix("Patient/") for r in resources}


def test_a_patient_context_token_reads_its_patient_and_no_other(seeded: TestClient, mine: dict[str, str], theirs: dict[str, str]) -> None:
    assert seeded.get(f"/STU3/Patient/{ME}", headers=mine).json()["id"] == ME
    issue = _issue(seeded.get(f"/STU3/Patient/{theirs['patient']}", headers=mine), 403, _forbidden(OTHERS))
    assert (issue["code"], issue["diagnostics"]) == ("forbidden", OTHERS)


def test_a_patient_context_token_reads_its_patients_records_only(seeded: TestClient, mine: dict[str, str], theirs: dict[str, str], all_token: str) -> None:
    own = seeded.get(f"/STU3/Observation/{theirs['own observation']}", headers=mine)
    assert own.status_code == 200 and own.json()["subject"]["reference"] == f"Patient/{ME}"
    as_xml = seeded.get(f"/STU3/Observation/{theirs['own observation']}", params={"_format": "xml"}, headers=mine)
    assert as_xml.status_code == 200 and ET.fromstring(as_xml.text).tag == f"{F}Observation"
    _issue(seeded.get(f"/STU3/Observation/{theirs['observation']}", headers=mine), 403, _forbidden(OTHERS))
    assert seeded.get(f"/STU3/Observation/{theirs['observation']}", headers=bearer(all_token)).status_code == 200


def test_a_record_that_does_not_exist_is_refused_like_another_patients(seeded: TestClient, mine: dict[str, str], all_token: str) -> None:
    _issue(seeded.get("/STU3/Condition/no-such-condition", headers=mine), 403, _forbidden(OTHERS))
    _issue(seeded.get("/STU3/Condition/not,an,id", headers=mine), 403, _forbidden(OTHERS))
    assert seeded.get("/STU3/Condition/no-such-condition", headers=bearer(all_token)).status_code == 404


def test_searches_are_filtered_to_the_context_patient(seeded: TestClient, mine: dict[str, str], theirs: dict[str, str]) -> None:
    patients = seeded.get("/STU3/Patient", params={"_count": "50"}, headers=mine).json()
    assert _subjects(patients) == {ME} and patients["total"] == 1
    assert f"_id={ME}" in next(link["url"] for link in patients["link"] if link["relation"] == "self")
    for resource_type in ("AllergyIntolerance", "Observation", "MedicationRequest", "Immunization"):
        every = seeded.get(f"/STU3/{resource_type}", params={"_count": "100"}, headers=mine).json()
        assert every["total"] > 0 and _subjects(every) == {ME}, resource_type
        other = seeded.get(f"/STU3/{resource_type}", params={"patient": theirs["patient"]}, headers=mine).json()
        assert (other["total"], other.get("entry")) == (0, None), resource_type
    posted = seeded.post("/STU3/Observation/_search", data={"patient": theirs["patient"]}, headers=mine)
    assert posted.status_code == 200 and posted.json()["total"] == 0


def test_a_filtered_search_pages_without_repeating_the_filter(seeded: TestClient, mine: dict[str, str]) -> None:
    first = seeded.get("/STU3/Observation", params={"_count": "2"}, headers=mine).json()
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = seeded.get(following, headers=mine).json()
    self_link = next(link["url"] for link in second["link"] if link["relation"] == "self")
    assert self_link == following and self_link.count("patient=") == 1
    assert _subjects(second) == {ME} and second["total"] == first["total"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/STU3/Observation", {"_include": "Observation:patient"}),
        ("/STU3/Patient", {"_revinclude": "Observation:subject"}),
        ("/STU3/Practitioner", {"_revinclude": "Encounter:participant"}),
        ("/STU3/Encounter", {"_include": "Encounter:participant"}),
    ],
)
def test_includes_that_could_bring_in_patient_records_are_refused(seeded: TestClient, mine: dict[str, str], path: str, params: dict[str, str]) -> None:
    description = f"the access token is bound to Patient/{ME}: an _include or _revinclude may bring in only Practitioner, PractitionerRole, Organization, Location and Medication records"
    _issue(seeded.get(path, params=params, headers=mine), 403, _forbidden(description))


def test_the_directory_is_read_as_usual(seeded: TestClient, mine: dict[str, str], all_token: str) -> None:
    assert seeded.get("/STU3/Organization/ods-c81010", headers=mine).status_code == 200
    everyone = seeded.get("/STU3/Practitioner", params={"_revinclude": "PractitionerRole:practitioner"}, headers=bearer(all_token)).json()
    assert seeded.get("/STU3/Practitioner", params={"_revinclude": "PractitionerRole:practitioner"}, headers=mine).json() == {
        **everyone,
        "id": ANY,
        "meta": ANY,
    }
    included = seeded.get("/STU3/MedicationRequest", params={"_include": "MedicationRequest:medication:Medication"}, headers=mine).json()
    assert {entry["resource"]["resourceType"] for entry in included["entry"]} == {"MedicationRequest", "Medication"}


def test_a_patient_context_token_only_reads_and_searches(seeded: TestClient, mine: dict[str, str]) -> None:
    description = f"the access token is bound to Patient/{ME}: it only reads and searches"
    _issue(seeded.get(f"/STU3/Patient/{ME}/_history", headers=mine), 403, _forbidden(description))
    _issue(seeded.get("/STU3", headers=mine), 403, _forbidden(description))
