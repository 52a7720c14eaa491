"""The target profile: which server to test, how to authenticate, and the test data it holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

__all__ = ["Auth", "Expectations", "PatientData", "Target", "TestData", "EMBEDDED"]

EMBEDDED = "embedded"
"""The `base_url` that asks carecheck to start its embedded reference server for the run."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Auth(_Strict):
    """How the harness authenticates (see carecheck.auth). Secrets belong in `${ENV}`, never in the file.

    `bearer` sends a static token; `client-credentials` and `smart-backend` obtain tokens from the
    target's token endpoint (`token_url`, or `discover` to read it from the CapabilityStatement).
    """

    type: Literal["none", "bearer", "client-credentials", "smart-backend"] = "none"
    token: SecretStr | None = None
    token_url: str = "discover"
    client_id: str | None = None
    client_secret: SecretStr | None = None
    method: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"
    private_key: Path | None = Field(None, description="PEM file of the smart-backend client's key, relative to the profile")
    algorithm: Literal["RS384", "ES384"] = "RS384"
    key_id: str | None = None
    scopes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fields_match_type(self) -> Auth:
        needs: dict[str, tuple[str, ...]] = {
            "none": (),
            "bearer": ("token",),
            "client-credentials": ("client_id", "client_secret"),
            "smart-backend": ("client_id", "private_key"),
        }
        for name in needs[self.type]:
            value = getattr(self, name)
            if value is None or (isinstance(value, SecretStr) and not value.get_secret_value()):
                raise ValueError(f"type {self.type} needs {name}")
        if self.type == "none" and (self.token or self.client_secret):
            raise ValueError("credentials are given but type is none")
        if self.token_url != "discover" and not self.token_url.startswith(("http://", "https://")):
            raise ValueError("token_url must be an http(s) URL or 'discover'")
        return self


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
    practitioners, organisations, locations and medications those refer to.
    """

    __test__ = False  # not a pytest test class
    patient: PatientData | None = None
    records: dict[str, str] = Field(default_factory=dict)
    discover: bool = True


class Expectations(_Strict):
    """Behaviour the Care Connect guide leaves open, set per target."""

    conformance: Literal["ig", "core"] = Field(
        "ig", description="which requirement levels apply: the IG's tables, or the stricter CORE draft"
    )


class Target(_Strict):
    """One server under test, as described by `fixtures/targets/NAME.yaml` or a file of the user's."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = ""
    base_url: str
    timeout: float = Field(30.0, gt=0, description="seconds to wait for each response")
    auth: Auth = Auth()
    testdata: TestData = TestData()
    expectations: Expectations = Expectations()
    waivers: Path | None = Field(None, description="YAML file of accepted deviations, relative to the profile")

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
        values = (self.auth.token, self.auth.client_secret)
        return tuple(value.get_secret_value() for value in values if value and value.get_secret_value())

    def redacted(self) -> dict[str, object]:
        """The profile as plain data with every secret replaced, safe to write into a report."""
        data: dict[str, object] = self.model_dump(mode="json")
        return data
