"""The security scenarios' library against the reference app in-process: what each call sends, records and skips."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from carecheck.auth import SPINE_CASES, TOKEN_CASES, NoAuth, StaticBearer, TokenProvider, load_matrix
from carecheck.capability import Capabilities
from carecheck.checks import NotApplicable
from carecheck.config import Target
from carecheck.http import Exchange, FhirClient
from carecheck.probe import SecurityProbes, TlsProbes
from carecheck.refserver import SecuritySettings, create_app
from tests.faults import Faults
from tests.refserver.conftest import TestClient

BASE = "http://testserver/STU3"


@pytest.fixture(scope="module")
def http() -> Iterator[TestClient]:
    with TestClient(create_app(population=1, auth=SecuritySettings.load())) as client:
        yield client


BEARER = {"type": "bearer", "token": "a-static-token-of-the-profile"}


def probes(http: httpx.Client, recorded: list[Exchange], provider: TokenProvider | None = None, auth: dict[str, str] = BEARER) -> SecurityProbes:
    client = FhirClient(BASE, record=recorded.append, http=http, authorize=lambda: "Bearer from-the-provider")
    return SecurityProbes(
        client=client,
        target=Target.model_validate({"name": "t", "base_url": BASE, "auth": auth}),
        provider=provider or NoAuth(),
        patient_only=None,
        capabilities=Capabilities({}),
        tokens=load_matrix(TOKEN_CASES),
        spine=load_matrix(SPINE_CASES),
    )


def test_a_forged_token_goes_to_every_type_with_notes_and_never_the_providers_token(http: TestClient) -> None:
    recorded: list[Exchange] = []
    interaction = probes(http, recorded).forged_everywhere("alg-none")
    assert len(interaction.exchanges) == 14, "every Care Connect type when the server declares none"
    assert [e.id for e in recorded] == [f"{n:03d}" for n in range(1, 15)]
    assert all(e.status == 401 and e.notes[0].startswith("forged: alg-none:") for e in recorded)
    assert all("made-up claims" in e.notes[1] for e in recorded), "no JWT from the provider: no real token to start from"


def test_without_authentication_only_the_no_token_case_applies(http: TestClient) -> None:
    recorded: list[Exchange] = []
    security = probes(http, recorded, auth={"type": "none"})
    for case in ("alg-none", "lower-case-bearer", "garbage"):
        with pytest.raises(
            NotApplicable, match=r"configures no authentication \(auth.type: none\).*judged once, by the case that sends no Authorization header"
        ):
            security.forged_everywhere(case)
    with pytest.raises(NotApplicable, match="configures no authentication"):
        security.require_trusted_signing()
    assert not recorded, "nothing is sent for a case that cannot apply"
    assert len(security.forged_everywhere("no-header").exchanges) == 14


def test_what_cannot_be_tested_is_not_applicable_with_the_reason(http: TestClient) -> None:
    security = probes(http, [])
    with pytest.raises(NotApplicable, match=r"auth.token_signing_key is not set"):
        security.require_trusted_signing()
    with pytest.raises(NotApplicable, match="names no Patient-only client"):
        security.patient_only("Condition")
    with pytest.raises(NotApplicable, match="auth type is bearer, not spine-jwt"):
        security.require_spine()


def test_the_capability_statement_is_asked_for_without_a_token(http: TestClient) -> None:
    recorded: list[Exchange] = []
    assert probes(http, recorded).metadata_without_token().first.status == 200
    assert not [name for name, _ in recorded[0].request.headers if name.lower() == "authorization"]


def test_a_static_token_is_sent_as_is_for_the_scheme_cases(http: TestClient) -> None:
    recorded: list[Exchange] = []
    probes(http, recorded, StaticBearer("opaque-static-token")).forged_everywhere("lower-case-bearer")
    assert recorded[0].status == 401 and "the real token, as issued" in recorded[0].notes
    assert "credentials that are not a JWT (19 characters)" in recorded[0].notes[-1]


def test_tls_probes_apply_to_https_only_and_plain_http_goes_to_port_80_without_a_token() -> None:
    seen: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ConnectError("refused", request=request)

    plain = FhirClient(BASE, http=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(NotApplicable, match="is not https"):
        TlsProbes(client=plain, trust=None, timeout=1).require_https()  # type: ignore[arg-type]
    secure = FhirClient("https://fhir.example/STU3", authorize=lambda: "Bearer t", http=httpx.Client(transport=httpx.MockTransport(refuse)))
    exchange = TlsProbes(client=secure, trust=None, timeout=1).plain_http().first  # type: ignore[arg-type]
    assert str(seen[0].url) == "http://fhir.example/STU3/metadata" and "authorization" not in seen[0].headers
    assert exchange.response is None and "refused" in (exchange.error or "")


ME = "2f88064f-8dc3-4763-af75-94faf6b08b18"


def _token(http: TestClient, client_id: str, secret: str) -> str:
    token: str = http.post("/auth/token", auth=(client_id, secret), data={"grant_type": "client_credentials"}).json()["access_token"]
    return token


class _Told(StaticBearer):
    """A provider whose token response named a patient (as ClientCredentials keeps it)."""

    def patient(self) -> str | None:
        return ME


def context_probes(http: TestClient, recorded: list[Exchange], provider: TokenProvider | None, patient: str | None = None) -> SecurityProbes:
    """Probes whose own client carries carecheck-all's token, with `provider` as the patient-context client."""
    main = f"Bearer {_token(http, 'carecheck-all', 'demo-all-64e98961bc4161b9')}"
    client = FhirClient(BASE, record=recorded.append, http=http, authorize=lambda: main)
    context = {"type": "bearer", "token": "t", **({"patient": patient} if patient else {})}
    target = Target.model_validate({"name": "t", "base_url": BASE, "auth": {"type": "bearer", "token": "m", "patient_context": context}})
    return SecurityProbes(
        client=client,
        target=target,
        provider=NoAuth(),
        patient_only=None,
        patient_context=provider,
        capabilities=Capabilities({}),
        tokens=load_matrix(TOKEN_CASES),
        spine=load_matrix(SPINE_CASES),
    )


@pytest.fixture(scope="module")
def bound(http: TestClient) -> _Told:
    return _Told(_token(http, "carecheck-patient-context", "demo-context-3b1e7d2a94c05f68"))


def test_without_a_patient_context_client_its_scenarios_are_not_applicable(http: TestClient) -> None:
    security = probes(http, [])
    with pytest.raises(NotApplicable, match=r"the target profile names no patient-context client \(auth.patient_context\)"):
        security.context_read(ME)
    with pytest.raises(NotApplicable, match="names no patient-context client"):
        security.context_patient()


def test_the_context_patient_is_the_one_the_token_response_names_else_the_profiles(http: TestClient, bound: _Told) -> None:
    assert context_probes(http, [], bound, patient="ignored").context_patient() == ME
    plain = StaticBearer(bound.token)
    assert context_probes(http, [], plain, patient="p-configured").context_patient() == "p-configured"
    with pytest.raises(NotApplicable, match=r"token response names no patient, and auth.patient_context.patient is not set"):
        context_probes(http, [], plain).context_patient()


def test_another_patient_is_found_among_the_records_the_profiles_token_lists(http: TestClient, bound: _Told) -> None:
    recorded: list[Exchange] = []
    security = context_probes(http, recorded, bound)
    other = security.another_patient("Observation")
    assert other != ME and recorded[0].request.url == f"{BASE}/Observation?_count=50"
    assert recorded[0].notes[0] == f"looking among the Observation records, with the profile's own token, for a patient other than Patient/{ME}"
    assert security.another_patient("Patient") != ME
    with pytest.raises(NotApplicable, match=rf"no Organization record of a patient other than Patient/{ME} among the first the server lists \(answer 200\)"):
        security.another_patient("Organization")


def test_context_requests_carry_the_context_token_and_say_so(http: TestClient, bound: _Told) -> None:
    recorded: list[Exchange] = []
    security = context_probes(http, recorded, bound)
    assert security.context_read(ME).first.status == 200
    other = security.context_search("Condition", "someone-else").first
    every = security.context_search("Patient").first
    assert [e.request.url for e in (other, every)] == [f"{BASE}/Condition?patient=someone-else&_count=50", f"{BASE}/Patient?_count=50"]
    assert all(e.notes[0] == f"sent with the patient-context client's token, bound to Patient/{ME}" for e in recorded)
    assert all('"client_id": "carecheck-patient-context"' in e.notes[1] and ("authorization", "Bearer [REDACTED]") in e.request.headers for e in recorded)
    assert (other.status, json.loads(other.response.body)["total"]) == (200, 0)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        ({"/auth/jwks": lambda jwks: {"keys": []}}, "the key set at its jwks_uri http://testserver/auth/jwks is empty"),
        ({"/auth/jwks": lambda jwks: {"keys": [{"kty": "EC", "crv": "P-256"}]}}, r"holds none that can be read \(key types: EC\)"),
        ({"/STU3/.well-known/smart-configuration": lambda c: {k: v for k, v in c.items() if k != "jwks_uri"}}, "names no jwks_uri"),
    ],
)
def test_key_confusion_without_a_usable_key_says_exactly_what_was_missing(rewrite: dict[str, object], reason: str) -> None:
    with TestClient(Faults(create_app(population=1, auth=SecuritySettings.load()), rewrite_body=rewrite)) as http:  # type: ignore[arg-type]
        with pytest.raises(NotApplicable, match=f"key confusion needs .*{reason}"):
            probes(http, []).forged_everywhere("hs256-key-confusion")


def test_key_confusion_with_a_published_key_is_sent(http: TestClient) -> None:
    recorded: list[Exchange] = []
    probes(http, recorded).forged_everywhere("hs256-key-confusion")
    assert recorded[-1].status == 401 and recorded[-1].notes[0].startswith("forged: hs256-key-confusion")
