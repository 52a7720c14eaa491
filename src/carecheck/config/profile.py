"""The target profile: which server to test, how to authenticate, and the test data it holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from carecheck import __version__
from carecheck.http.untrusted import DEPTH_CEILING

__all__ = [
    "EMBEDDED",
    "Auth",
    "Expectations",
    "Limits",
    "PatientContextAuth",
    "PatientData",
    "SpineAudit",
    "SpineDevice",
    "SpineOrganization",
    "SpinePractitioner",
    "Target",
    "TestData",
]

EMBEDDED = "embedded"
"""The `base_url` that asks carecheck to start its embedded reference server for the run."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpinePractitioner(_Strict):
    """`requesting_practitioner` of the audit JWT (Audit-Practitioner-1); `sub` is its id."""

    id: str
    sds_user_id: str | None = None
    sds_role_profile_id: str | None = None
    family: str | None = None
    given: str | None = None


class SpineOrganization(_Strict):
    """`requesting_organization` of the audit JWT (Audit-Organization-1): the ODS code of the asking organisation."""

    ods_code: str
    name: str | None = None


class SpineDevice(_Strict):
    """`requesting_device` of the audit JWT (Audit-Device-1): the system making the request (carecheck by default)."""

    system: str = "https://github.com/carecheck"
    value: str = "carecheck"
    model: str = "carecheck"
    version: str = __version__


class SpineAudit(_Strict):
    """What the Spine Security Proxy audit JWT (GP Connect style) says about each request: who asks, for what, why.

    `requested_record` is the Patient with `nhs_number`; `exp` is always `iat` + 5 minutes.
    """

    issuer: str = Field(description="iss: the URL of the requesting system")
    audience: str = "https://authorize.fhir.nhs.uk/token"
    reason_for_request: str = "directcare"
    requested_scope: str = "patient/*.read"
    nhs_number: str
    practitioner: SpinePractitioner
    organization: SpineOrganization
    device: SpineDevice = SpineDevice()

    @field_validator("nhs_number")
    @classmethod
    def _ten_digits(cls, value: str) -> str:
        if not (len(value) == 10 and value.isdigit()):
            raise ValueError("an NHS number is 10 digits")
        return value


class Auth(_Strict):
    """How the harness authenticates (see carecheck.auth). Secrets belong in `${ENV}`, never in the file.

    `bearer` sends a static token; `client-credentials` and `smart-backend` obtain tokens from the
    target's token endpoint (`token_url`, or `discover` to read it from the CapabilityStatement);
    `spine-jwt` builds a Spine Security Proxy audit JWT for every request (`spine`), signed with
    `private_key` when one is given, else unsigned (`alg: none`, as GP Connect sends it).

    For the security scenarios: `patient_only` is a second client whose tokens read Patient only
    (scope enforcement), `patient_context` a client whose tokens are bound to one patient (SMART
    patient context), and `token_signing_key` the key the server signs its access tokens with, when
    the tester has it (a sandbox): with it, expired and otherwise wrong tokens carry a valid signature,
    so the server's claim checks are tested one by one.
    """

    type: Literal["none", "bearer", "client-credentials", "smart-backend", "spine-jwt"] = "none"
    token: SecretStr | None = None
    token_url: str = "discover"
    client_id: str | None = None
    client_secret: SecretStr | None = None
    method: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"
    private_key: Path | None = Field(None, description="PEM file of the smart-backend client's key, relative to the profile")
    algorithm: Literal["RS384", "ES384"] = "RS384"
    key_id: str | None = None
    scopes: tuple[str, ...] = ()
    spine: SpineAudit | None = None
    patient_only: Auth | None = Field(None, description="a client whose tokens read Patient only (same fields as auth)")
    patient_context: PatientContextAuth | None = Field(None, description="a client whose tokens are bound to one patient (same fields as auth, plus patient)")
    token_signing_key: Path | None = Field(None, description="PEM file of the key the server signs access tokens with")

    @model_validator(mode="after")
    def _fields_match_type(self) -> Auth:
        needs: dict[str, tuple[str, ...]] = {
            "none": (),
            "bearer": ("token",),
            "client-credentials": ("client_id", "client_secret"),
            "smart-backend": ("client_id", "private_key"),
            "spine-jwt": ("spine",),
        }
        for name in needs[self.type]:
            value = getattr(self, name)
            if value is None or (isinstance(value, SecretStr) and not value.get_secret_value()):
                raise ValueError(f"type {self.type} needs {name}")
        if self.type == "none" and (self.token or self.client_secret):
            raise ValueError("credentials are given but type is none")
        if self.token_url != "discover" and not self.token_url.startswith(("http://", "https://")):
            raise ValueError("token_url must be an http(s) URL or 'discover'")
        if self.spine is not None and self.type != "spine-jwt":
            raise ValueError("spine is for type spine-jwt")
        for name, restricted in (("patient_only", self.patient_only), ("patient_context", self.patient_context)):
            if restricted is not None and restricted.type not in ("bearer", "client-credentials", "smart-backend"):
                raise ValueError(f"{name} needs a client that obtains tokens (bearer, client-credentials or smart-backend)")
            if restricted is not None and (restricted.patient_only or restricted.patient_context or restricted.token_signing_key):
                raise ValueError(f"{name} is one client: it has no patient_only, patient_context or token_signing_key of its own")
        return self

    def secrets(self) -> tuple[str, ...]:
        """The secret values of this client and of its `patient_only` and `patient_context` clients."""
        values = [value.get_secret_value() for value in (self.token, self.client_secret) if value and value.get_secret_value()]
        clients = [client for client in (self.patient_only, self.patient_context) if client is not None]
        return (*values, *(secret for client in clients for secret in client.secrets()))


class PatientContextAuth(Auth):
    """`auth.patient_context`: a client whose tokens are bound to one patient (SMART patient context).

    The patient is the one its token response names (SMART `patient`), else `patient` here.
    """

    patient: str | None = Field(None, description="the id of the Patient its tokens are bound to, when the token response does not say")


Auth.model_rebuild()


class PatientData(_Strict):
    """A patient the target is known to hold, with the demographics the searches use.

    Only `id` or `nhs_number` is needed: with discovery on, the rest is read from the target's own record.
    """

    id: str | None = None
    nhs_number: str | None = None
    family: str | None = None
    given: str | None = None
    gender: Literal["male", "female", "other", "unknown"] | None = None
    birthdate: dt.date | None = None

    @field_validator("nhs_number")
    @classmethod
    def _ten_digits(cls, value: str | None) -> str | None:
        if value is not None and not (len(value) == 10 and value.isdigit()):
            raise ValueError("an NHS number is 10 digits")
        return value

    @model_validator(mode="after")
    def _identified(self) -> PatientData:
        if self.id is None and self.nhs_number is None:
            raise ValueError("a patient needs an id or an nhs_number")
        return self

    @property
    def family_lower(self) -> str | None:
        """The family name in lower case, for case-insensitive searches."""
        return self.family.lower() if self.family else None

    @property
    def family_prefix(self) -> str | None:
        """The first three letters of the family name in lower case, for starts-with searches."""
        return self.family[:3].lower() if self.family else None

    @property
    def birth_year(self) -> str | None:
        """The birth date at year precision, for partial-date searches."""
        return f"{self.birthdate:%Y}" if self.birthdate else None

    @property
    def birth_month(self) -> str | None:
        """The birth date at month precision, for partial-date searches."""
        return f"{self.birthdate:%Y-%m}" if self.birthdate else None


class TestData(_Strict):
    """What the target is known to hold; scenarios that need a missing value are not applicable.

    `records` names a known record per resource type (`Condition: "123"`). With `discover` (the default)
    whatever is not named is mined from the target at the start of the run: the patient (found by id or
    NHS number, else the first the server lists), their records of every clinical type, and the
    practitioners, organisations, locations and medications those refer to. Pinned data (the patient's id
    or NHS number, a record's id) the target does not hold stops the run before its scenarios (exit 2),
    unless `if_missing` is `continue`.
    """

    __test__ = False  # not a pytest test class
    patient: PatientData | None = None
    records: dict[str, str] = Field(default_factory=dict)
    discover: bool = True
    if_missing: Literal["stop", "continue"] = Field(
        "stop", description="pinned test data the target does not hold: stop the run before its scenarios, or continue without it"
    )


class Limits(_Strict):
    """How hard carecheck may press the target, and how much it will take from it."""

    requests_per_second: float = Field(0, ge=0, description="pace requests to this rate across the run (0: no limit)")
    concurrency: int = Field(4, ge=1, description="parallel workers at most, whatever -n asks")
    connect_timeout: float = Field(10.0, gt=0, description="seconds to wait for a connection")
    retries: int = Field(2, ge=0, le=5, description="repeats of a GET the server asks for again (429, 503) or never answered")
    max_retry_wait: float = Field(30.0, ge=0, description="longest Retry-After honoured, in seconds")
    max_body_mb: float = Field(
        20, gt=0, description="a response body longer than this once decoded is cut off (and judged as such); evidence keeps at most this of any body"
    )
    max_pages: int = Field(50, ge=1, description="next links followed in one search at most")
    max_depth: int = Field(100, ge=10, le=DEPTH_CEILING, description="a JSON or XML body nesting deeper than this is not read (and judged as such)")


class Expectations(_Strict):
    """Behaviour the Care Connect guide leaves open, set per target.

    Where STU3 and the guide are silent or leave a choice, the default accepts every reading a conformant
    server may take (`either`, or a list of statuses); a profile can narrow it to the one its server takes.
    `data/careconnect/expectations.csv` quotes the text each default rests on. The error and format
    scenarios name the setting they applied in their messages (`expected 400 or 422
    (expectations.invalid_parameter_status: 400 or 422)`), and the run facts (`run.json`) hold them all.
    """

    conformance: Literal["ig", "core"] = Field("ig", description="which requirement levels apply: the IG's tables, or the stricter CORE draft")
    unknown_parameter: Literal["ignore", "reject"] = Field(
        "ignore",
        description="a search parameter the server does not know: ignore it (STU3: servers SHOULD ignore unknown "
        "parameters) or refuse the search with invalid_parameter_status; under `Prefer: handling=strict` it is refused either way",
    )
    invalid_parameter_status: tuple[Literal[400, 422], ...] = Field(
        (400, 422),
        min_length=1,
        description="the statuses that may refuse a search for its parameters (malformed date, unknown prefix, bad "
        "token, empty value, too few Patient parameters): 400 (STU3's named code) and 422 (GP Connect's "
        "INVALID_PARAMETER, the CCRI's tests); STU3 asks only for a 4xx with an OperationOutcome; one status or a list",
    )
    empty_parameter: Literal["either", "reject", "ignore"] = Field(
        "either",
        description="a search parameter sent with no value (`family=`): either reading (STU3 is silent), or only "
        "refusing the search, or only ignoring the parameter (HAPI, the CCRI)",
    )
    patient_search_minimum: Literal["either", "one", "two-parameters"] = Field(
        "either",
        description="a Patient search by one parameter other than identifier: answered or refused (the IG's rule "
        "is for clients), or only answered (one), or only refused (two-parameters); where refusing is allowed, "
        "a one-parameter search the server refuses is not applicable",
    )
    write_method_status: tuple[Literal[405, 501, 403], ...] = Field(
        (405, 403, 501),
        min_length=1,
        description="the statuses that may refuse a write (create, update, patch, delete) on the read-only API: "
        "405 Method Not Allowed (STU3), 403 (access control refusing the harness's read-only token first: STU3 "
        "security), 501 Not Implemented (RFC 9110, the CCRI); one status or a list",
    )
    unsupported_media_type_status: Literal[406, 415] = Field(
        406, description="the status refusing an Accept the server cannot produce: 406 Not Acceptable (the IG, HTTP) or 415 (the CCRI)"
    )
    error_codes: Literal["fhir", "spine"] = Field(
        "fhir",
        description="the OperationOutcome convention: plain FHIR (which a Spine-coded outcome also meets), or NHS Spine "
        "(each error issue also carries a details.coding from https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1)",
    )

    @field_validator("write_method_status", "invalid_parameter_status", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return (value,) if isinstance(value, int) else value

    def setting(self, name: str) -> str:
        """`expectations.name: value`, as messages quote the setting a scenario applied (`405 or 403 or 501` for a list)."""
        value = getattr(self, name)
        return f"expectations.{name}: {' or '.join(map(str, value)) if isinstance(value, tuple) else value}"

    def statuses(self, name: str) -> list[int]:
        """A status setting as the list of statuses it allows."""
        value = getattr(self, name)
        return list(value) if isinstance(value, tuple) else [int(value)]


class Target(_Strict):
    """One server under test, as described by `data/targets/NAME.yaml` or a file of the user's."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = ""
    base_url: str
    timeout: float = Field(30.0, gt=0, description="seconds to wait for each response")
    format: Literal["json", "xml"] = Field("json", description="the FHIR format every request asks for (Accept)")
    limits: Limits = Limits()
    auth: Auth = Auth()
    testdata: TestData = TestData()
    expectations: Expectations = Expectations()
    waivers: Path | None = Field(None, description="YAML file of accepted deviations, relative to the profile")
    ca_bundle: Path | None = Field(None, description="PEM file of CA certificates to trust besides the system's, relative to the profile")
    baseline: Path | None = Field(None, description="YAML file of pinned search results (carecheck baseline), relative to the profile")
    writes: Literal["probe", "never"] = Field(
        "probe",
        description="probe: the read-only and scope scenarios send harmless writes (to ids of carecheck's own that do not "
        "exist, or creating records marked as carecheck's, cleaned up if the server performs them); never: no write is "
        "ever sent, and those scenarios are not applicable (their requirements untested)",
    )
    sign_off: bool = Field(False, description="fail the run (exit 4) when not every SHALL requirement was tested, as --sign-off does")
    other_fhir_version: Literal["continue", "stop"] = Field(
        "continue",
        description="a server whose CapabilityStatement declares a FHIR version other than STU3 (3.0.x): continue "
        "the run under a banner saying so, or stop before the scenarios (exit 3)",
    )

    @field_validator("testdata", mode="before")
    @classmethod
    def _discover_shorthand(cls, value: object) -> object:
        """`testdata: discover` is short for discovering everything from the target."""
        return {"discover": True} if value == "discover" else value

    @field_validator("base_url")
    @classmethod
    def _http_or_embedded(cls, value: str) -> str:
        if value == EMBEDDED:
            return value
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must be an http(s) URL or '{EMBEDDED}'")
        return value.rstrip("/")

    @property
    def embedded(self) -> bool:
        """True when the run starts carecheck's embedded reference server as the target."""
        return self.base_url == EMBEDDED

    def secrets(self) -> tuple[str, ...]:
        """Every secret value in the profile, so recordings can redact them wherever they appear."""
        return self.auth.secrets()

    def redacted(self) -> dict[str, object]:
        """The profile as plain data with every secret replaced, safe to write into a report."""
        data: dict[str, object] = self.model_dump(mode="json")
        return data
